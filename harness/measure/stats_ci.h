/* Summary statistics of repeated measurements (`trials = N`): mean, sample
 * standard deviation, min, max and a two-sided 95 % confidence interval of the
 * mean with Student's t, which matters for the small N (3..10) people run.
 * Used by the sweep (each point repeated), the search (each final bound
 * repeated) and compare (is a difference beyond both runs' noise?). */
#ifndef MP_STATS_CI_H
#define MP_STATS_CI_H

#include <stdint.h>

struct ci_stats {
	unsigned n;
	double mean;
	double stddev; /* sample standard deviation (n - 1); 0 when n < 2 */
	double min, max;
	double ci_half;	     /* t(0.975, n-1) * stddev / sqrt(n); NaN when n < 2 */
	double ci_lo, ci_hi; /* mean -/+ ci_half; both NaN when n < 2 */
};

/* Running accumulator (Welford), so a caller need not keep every value. */
struct ci_acc {
	unsigned n;
	double mean, m2, min, max;
};

void ci_acc_init(struct ci_acc *a);
void ci_acc_add(struct ci_acc *a, double v);
void ci_acc_finish(const struct ci_acc *a, struct ci_stats *out);

/* The same over an array; n == 0 gives n = 0 and NaN everywhere. */
void ci_compute(const double *v, unsigned n, struct ci_stats *out);

/* Two-sided 95 % quantile of Student's t with df degrees of freedom
 * (df >= 1): 12.706 for df = 1, 1.960 as df grows. */
double ci_t95(unsigned df);

/* Whether the confidence intervals of a and b do not overlap. When either
 * has no interval (n < 2), its mean stands for it. */
int ci_disjoint(const struct ci_stats *a, const struct ci_stats *b);

#endif
