/* The per-hop interface counter sampler, linked by mir-monitor and the harness.
 *
 * Implemented in $(LIBMONITOR); mir-monitor and the harness call it.
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
	const char *label; /* "gen eth0", "tap0", ... shown to the user */
	const char *netns; /* NULL or "" = the caller's namespace */
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
	uint64_t elapsed_ns;	   /* between the first and last sample of the window */
	uint64_t first_t_ns, last_t_ns; /* those samples' CLOCK_MONOTONIC times */
	double rx_pps, tx_pps;	   /* total / elapsed */
	double rx_bps, tx_bps;	   /* bits per second, from bytes (no FCS) */
	struct mon_rate_stats rx_pps_stats, tx_pps_stats;
	uint32_t samples;
	int vanished; /* the interface disappeared during the window */
	int reset;    /* a counter went backwards (reset) during the window */
};

/* Opens every namespace and checks every interface exists (-ENODEV, -ENOENT
 * for a missing namespace; *bad_hop tells which). interval_ns >= 1 ms.
 * -EINVAL: a namespace or interface name the kernel would not accept
 * (*bad_hop tells which), or an interval under 1 ms (*bad_hop = n). */
int monitor_open(const struct mon_hop *hops, unsigned n, uint64_t interval_ns, struct monitor **out,
		 unsigned *bad_hop);
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

/* ---- Compatible extensions (monitor/, for mir-monitor and tests) ---- */

/* Per-second rates of every counter over one sampling interval. */
struct mon_rates {
	double rx_packets, tx_packets;
	double rx_bytes, tx_bytes;
	double rx_dropped, tx_dropped;
	double rx_errors, tx_errors;
};

enum mon_status {
	MON_FIRST, /* first sample of the hop: counters, no rate yet */
	MON_OK,
	MON_WRAP,     /* a counter wrapped (32 or 64 bit) and was carried over */
	MON_RESET,    /* a counter went backwards: counted from zero again */
	MON_VANISHED, /* the interface is gone; it is not read again */
	MON_ERROR,    /* this read failed (err); the next one is tried */
};

/* One hop at one sample. */
struct mon_sample {
	uint64_t t_ns;	 /* CLOCK_MONOTONIC when the kernel read the counters */
	int64_t late_ns; /* t_ns minus the scheduled deadline; 0 for on-demand samples */
	/* From the request to the kernel's answer: long when the kernel made the
	 * read wait for its RTNL lock (t_ns is after that wait). */
	uint64_t read_ns;
	int scheduled; /* taken by the sampling thread on its schedule */
	enum mon_status status;
	int err;	       /* negative errno for MON_ERROR / MON_VANISHED */
	uint64_t interval_ns;  /* since this hop's previous sample; 0 for the first */
	struct mon_counters c; /* valid unless MON_VANISHED / MON_ERROR */
	struct mon_rates rate; /* valid for MON_OK / MON_WRAP / MON_RESET */
};

/* Called after every sample with one entry per hop (hops that vanished earlier
 * are passed with MON_VANISHED again). It runs on the sampling thread (or the
 * caller of window_begin/end/monitor_sample) with the monitor locked: keep it
 * short and do not call back into the monitor. */
typedef void (*mon_sample_fn)(void *arg, const struct mon_sample *s, unsigned n);
void monitor_set_sample_cb(struct monitor *m, mon_sample_fn fn, void *arg);
/* Take one sample now, as the sampling thread does on its schedule. */
int monitor_sample(struct monitor *m);
/* Number of hops that have vanished so far. */
unsigned monitor_vanished(struct monitor *m);
/* The counter table: name ("packets"), unit, and the counters it pairs. */
unsigned mon_counter_count(void);
const char *mon_counter_name(unsigned i);
const char *mon_counter_unit(unsigned i);
/* Counter i of the table, received (tx = 0) or sent (tx = 1). */
uint64_t mon_counter_get(const struct mon_counters *c, unsigned i, int tx);
double mon_rate_get(const struct mon_rates *r, unsigned i, int tx);

#endif
