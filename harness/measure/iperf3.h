/* iperf3, the goodput mode's traffic: the command lines of its server and
 * client, and the reading of the client's `-J` document (never its text). The
 * client runs with --get-server-output, so one document holds both ends: the
 * sender's sums, the receiver's sums and the receiver's own per-interval
 * figures (the server reports every second).
 *
 * Write sizes (-l) iperf3 accepts, as iperf 3.12 checks them: TCP 1..1 MiB,
 * UDP 16..65507 bytes; iperf3_bufsz_check() refuses the rest before a run. */
#ifndef MP_IPERF3_H
#define MP_IPERF3_H

#include <stddef.h>
#include <stdint.h>

#define IPERF3_PORT	   5201
#define IPERF3_TCP_MIN	   1U
#define IPERF3_TCP_MAX	   1048576U
#define IPERF3_UDP_MIN	   16U
#define IPERF3_UDP_MAX	   65507U
#define IPERF3_MAX_STREAMS 128U

struct iperf3_stats {
	double mean, min, max, stddev; /* bit/s of the receiver's intervals */
	unsigned n;		       /* intervals counted (omitted ones are not) */
};

struct iperf3_result {
	int udp;
	unsigned streams, blksize;
	double seconds;		   /* the receiver's measured time */
	uint64_t bytes_sent;	   /* end.sum_sent.bytes */
	uint64_t bytes_received;   /* end.sum_received.bytes */
	double sent_bps, goodput_bps; /* sum_sent / sum_received bits_per_second */
	struct iperf3_stats interval; /* receiver's intervals, else the sender's */
	uint64_t retransmits;	   /* TCP: the sender's */
	uint64_t packets, lost_packets; /* UDP: datagrams sent, and lost */
	double lost_pct, jitter_ms;	/* UDP */
	double cpu_client_pct, cpu_server_pct; /* host_total, remote_total */
	/* The first line iperf3 wrote before its document (its stderr, e.g.
	 * "warning: UDP block size 1460 exceeds TCP MSS 1448, ..."), or "". */
	char warning[160];
};

/* 0 when iperf3 takes this write size for the protocol, else -EINVAL. */
int iperf3_bufsz_check(int udp, uint64_t bufsz);

/* What one client run asks. */
struct iperf3_client_args {
	const char *server_ip; /* dotted quad */
	unsigned port;
	int udp;
	unsigned bufsz, streams;
	uint64_t bitrate_bps;	/* UDP target (0: iperf3's 1 Mbit/s would apply: always give it) */
	unsigned seconds, omit; /* measured time, and warm-up left out of the sums */
};

/* argv of the client (argv[0] "iperf3"), into argv (at least 32 slots) with
 * its numbers written into buf. -ENOSPC when buf is too small. */
int iperf3_client_argv(const struct iperf3_client_args *a, char **argv, char *buf, size_t len);
/* argv of the persistent server bound to ip:port, its reports in JSON. */
int iperf3_server_argv(const char *ip, unsigned port, char **argv, char *buf, size_t len);

/* Read a client document (modified in place); lines before it (iperf3's
 * stderr, in the same file) are skipped, the first kept in r->warning. -EPROTO when iperf3 reported an
 * error (err quotes it), -EINVAL when a figure is missing or not a number (err
 * names it), -ENOMEM. */
int iperf3_parse(char *text, struct iperf3_result *r, char *err, size_t errlen);

#endif
