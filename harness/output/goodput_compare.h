/* mir-perf compare on two goodput runs: per protocol, stream count, write
 * size and UDP target, A's and B's goodput (the mean of their trials), B's
 * difference in %, and whether it is beyond both runs' noise (95 %
 * confidence intervals of the trials, when there are more than one). B
 * regressed when even its best plausible goodput is more than PCT % below
 * A's worst plausible one: lower goodput is worse. Reads goodput.csv by
 * column name; writes compare-goodput.csv into the comparison directory. */
#ifndef MP_GOODPUT_COMPARE_H
#define MP_GOODPUT_COMPARE_H

#include <stdio.h>

#include "harness/output/compare.h"

/* 1 when dir holds a goodput run (goodput.csv). */
int goodput_compare_is_goodput(const char *dir);
/* As compare_runs (compare.h): 0, 1 when something regressed, -EINVAL for
 * runs that cannot be compared (reported), another negative errno. */
int goodput_compare_runs(const char *dir_a, const char *dir_b, const struct compare_opts *o,
			 FILE *out);

#endif
