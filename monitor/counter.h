/* Inside libmonitor: the arithmetic of one sample against the last,
 * counter by counter through the one table of counters (counter.c), and
 * the running statistics of a hop's per-interval rates. The table's own
 * accessors (mon_counter_name, mon_counter_get, ...) are in monitor.h. */
#ifndef MP_MONITOR_COUNTER_H
#define MP_MONITOR_COUNTER_H

#include <stdint.h>

#include "monitor/monitor.h"

/* Every counter of cur against last over dt_ns: its delta (a 32- or 64-bit
 * wrap undone; after a reset, the new value) and its rate. first: no last,
 * deltas and rates 0. Returns MON_FIRST, MON_RESET when a counter was reset,
 * else MON_WRAP when one wrapped, else MON_OK. */
enum mon_status mon_counter_step(int first, const struct mon_counters *last,
				 const struct mon_counters *cur, uint64_t dt_ns,
				 struct mon_counters *delta, struct mon_rates *rate);
/* sum += delta, counter by counter. */
void mon_counter_add(struct mon_counters *sum, const struct mon_counters *delta);

/* Running mean/min/max/variance (Welford) of per-interval rates. */
struct mon_rate_acc {
	uint64_t n;
	double mean, m2, min, max;
};

void mon_rate_acc_add(struct mon_rate_acc *a, double x);
void mon_rate_acc_get(const struct mon_rate_acc *a, struct mon_rate_stats *out);

#endif
