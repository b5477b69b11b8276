/* The per-hop interface counter sampler, linked by mir-monitor and the harness.
 *
 * CONTRACT between monitor/ (which implements it, in $(LIBMONITOR)) and
 * harness/ (which calls it). Change it only together with its callers.
 *
 * One libnl-route-3 socket per network namespace, opened once; a background
 * thread samples every hop's IFLA_STATS64 counters on an absolute
 * CLOCK_MONOTONIC schedule. A window (one sweep point) gives exact totals
 * (last minus first counter) and statistics of the per-interval rates. */
#ifndef MP_MONITOR_H
#define MP_MONITOR_H

#include <stdint.h>
#include <stdio.h>

struct monitor;

struct mon_hop {
	const char *label;  /* "gen eth0", "tap0", ... shown to the user */
	const char *netns;  /* NULL or "" = the caller's namespace */
	const char *ifname;
};

/* Counters, declared as a table in monitor/ (name, unit, rx id, tx id). */
struct mon_counters {
	uint64_t rx_packets, tx_packets;
	uint64_t rx_bytes, tx_bytes;
	uint64_t rx_dropped, tx_dropped;
	uint64_t rx_errors, tx_errors;
};

struct mon_rate_stats {
	double mean, min, max, stddev; /* of the per-interval rates, per second */
};

struct mon_hop_window {
	struct mon_counters total; /* exact: last minus first, wrap/reset handled */
	uint64_t elapsed_ns;       /* between the first and last sample of the window */
	double rx_pps, tx_pps;     /* total / elapsed */
	double rx_bps, tx_bps;     /* bits per second, from bytes (no FCS) */
	struct mon_rate_stats rx_pps_stats, tx_pps_stats;
	uint32_t samples;
	int vanished;  /* the interface disappeared during the window */
	int reset;     /* a counter went backwards (reset) during the window */
};

/* Opens every namespace and checks every interface exists (-ENODEV, -ENOENT
 * for a missing namespace; *bad_hop tells which). interval_ns >= 1 ms. */
int monitor_open(const struct mon_hop *hops, unsigned n, uint64_t interval_ns,
		 struct monitor **out, unsigned *bad_hop);
/* Every sample of every hop is appended to f as CSV (header written once). */
void monitor_set_csv(struct monitor *m, FILE *f);
/* Tag written in the CSV's "point" column for the samples that follow. */
void monitor_set_tag(struct monitor *m, const char *tag);
int monitor_start(struct monitor *m);
/* Begin a window now (takes a sample at once). */
int monitor_window_begin(struct monitor *m);
/* End the window now (takes a sample at once) and fill out[0..n-1]. */
int monitor_window_end(struct monitor *m, struct mon_hop_window *out, unsigned n);
/* Read the current counters of every hop now, synchronously. */
int monitor_read_now(struct monitor *m, struct mon_counters *out, unsigned n);
void monitor_stop(struct monitor *m);
void monitor_close(struct monitor *m);

#endif
