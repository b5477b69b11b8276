/* mir-trafgen rr client: netperf's TCP_RR against rr_server.h. conns TCP
 * connections each keep one transaction outstanding (write Q bytes, read R
 * bytes, start the next), for warm-up + duration, in one thread (epoll).
 *
 * What is measured: a transaction belongs to the run when it starts after the
 * warm-up and before the end (those started during warm-up are counted
 * apart); each ends exactly one way: completed (its latency, from the
 * request's first write to the response's last byte on CLOCK_MONOTONIC, into
 * the histogram), timed out (no whole response within timeout: the connection
 * is closed, as its byte stream is out of step, and a new one opened; a
 * response that came later than timeout is counted so too),
 * failed (the connection broke: reset, closed, refused), or unfinished (a
 * stop signal came first). Transactions in flight at the end are waited for
 * (up to timeout). tps = completed / the measured seconds. */
#ifndef MP_TRAFGEN_RR_CLIENT_H
#define MP_TRAFGEN_RR_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "trafgen/histo.h"

struct rr_client_opts {
	uint32_t ip; /* host byte order */
	uint16_t port;
	uint32_t req, resp; /* RR_SIZE_MIN..RR_SIZE_MAX */
	unsigned conns;	    /* 1..RR_MAX_CONNS */
	uint64_t warmup_ns, duration_ns, timeout_ns;
};

struct rr_client_result {
	uint64_t started, completed, timed_out, failed, unfinished;
	uint64_t warmup_transactions; /* started during the warm-up, any end */
	uint64_t warmup_lost;	      /* of those, timed out or failed */
	uint64_t connects;	      /* connections opened, the first conns included */
	double seconds;		      /* the measured window (shorter when stopped) */
	double cpu_client_pct;	      /* this process, % of one CPU, whole run */
	double cpu_server_pct;	      /* the server's, from its stats; -1 unknown */
	int64_t server_transactions;  /* answered by the server over the run; -1 unknown */
	int interrupted;	      /* a stop signal ended the run early */
	char last_error[128];	      /* why the last connection failed, "" none */
	struct histo lat;	      /* completed transactions, ns */
};

/* Run to the end (or a SIGINT/SIGTERM, blocked by the caller). 0, or a
 * negative errno with err saying why the run could not start (the server
 * unreachable); r is filled either way. */
int rr_client_run(const struct rr_client_opts *o, struct rr_client_result *r, char *err,
		  size_t len);

#endif
