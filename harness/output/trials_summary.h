/* trials = N for a sweep: every point is measured N times in a row (each a
 * row of stats.csv); this summarises them per size and rate with mean,
 * standard deviation, min, max and a 95 % confidence interval (Student's t)
 * into stats-trials (for people) and stats-trials.csv (for programs), and
 * plots received against offered with the spread as error bars. */
#ifndef MP_TRIALS_SUMMARY_H
#define MP_TRIALS_SUMMARY_H

#include "harness/output/results.h"

/* Write the summary files into the run directory and, with templates (the
 * plots/ directory; NULL for none), plots/rx_vs_offered_ci.{png,svg}.
 * Nothing is written when no point was repeated. 0 or a negative errno. */
int trials_summary_write(const struct results *r, const char *templates);

#endif
