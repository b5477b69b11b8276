/* mir-perf compare on two rr runs: per request size, response size and
 * connection count, A's and B's transactions per second and p99 latency (the
 * means of their trials), B's differences in %, and whether each is beyond
 * both runs' noise (95 % confidence intervals of the trials, when there are
 * more than one). B regressed when even its lowest plausible p99 is more than
 * PCT % above A's highest plausible one, or its highest plausible rate more
 * than PCT % below A's lowest: higher latency and fewer transactions are
 * worse. Reads rr.csv by column name; writes compare-rr.csv into the
 * comparison directory. */
#ifndef MP_RR_COMPARE_H
#define MP_RR_COMPARE_H

#include <stdio.h>

#include "harness/output/compare.h"

/* 1 when dir holds an rr run (rr.csv). */
int rr_compare_is_rr(const char *dir);
/* As compare_runs (compare.h): 0, 1 when something regressed, -EINVAL for
 * runs that cannot be compared (reported), another negative errno. */
int rr_compare_runs(const char *dir_a, const char *dir_b, const struct compare_opts *o,
		    FILE *out);

#endif
