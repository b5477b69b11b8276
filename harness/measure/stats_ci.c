#include "harness/measure/stats_ci.h"

#include <math.h>
#include <stddef.h>

/* t(0.975, df) for df = 1..30, then the usual table rows; between rows the
 * quantile is interpolated linearly in 1/df, which is exact to 1e-3 here. */
static const double ci_t95_small[30] = {
    12.7062047, 4.3026527, 3.1824463, 2.7764451, 2.5705818, 2.4469119, 2.3646243, 2.3060041,
    2.2621572,	2.2281389, 2.2009852, 2.1788128, 2.1603687, 2.1447867, 2.1314495, 2.1199053,
    2.1098156,	2.1009220, 2.0930241, 2.0859634, 2.0796138, 2.0738731, 2.0686576, 2.0638986,
    2.0595386,	2.0555294, 2.0518305, 2.0484071, 2.0452296, 2.0422725,
};

static const struct {
	unsigned df;
	double t;
} ci_t95_large[] = {
    {30, 2.0422725},
    {40, 2.0210754},
    {60, 2.0002978},
    {120, 1.9799304},
};

#define CI_T95_INF 1.9599640

double ci_t95(unsigned df)
{
	size_t i;

	if (df == 0)
		return NAN;
	if (df <= 30)
		return ci_t95_small[df - 1];
	for (i = 1; i < sizeof(ci_t95_large) / sizeof(ci_t95_large[0]); i++) {
		if (df <= ci_t95_large[i].df) {
			double x0 = 1.0 / ci_t95_large[i - 1].df, x1 = 1.0 / ci_t95_large[i].df;
			double f = (1.0 / df - x0) / (x1 - x0);

			return ci_t95_large[i - 1].t +
			       f * (ci_t95_large[i].t - ci_t95_large[i - 1].t);
		}
	}
	{
		double x0 = 1.0 / 120, f = (1.0 / df) / x0;

		return CI_T95_INF + f * (ci_t95_large[3].t - CI_T95_INF);
	}
}

void ci_acc_init(struct ci_acc *a)
{
	a->n = 0;
	a->mean = 0;
	a->m2 = 0;
	a->min = NAN;
	a->max = NAN;
}

void ci_acc_add(struct ci_acc *a, double v)
{
	double d;

	a->n++;
	d = v - a->mean;
	a->mean += d / a->n;
	a->m2 += d * (v - a->mean);
	if (a->n == 1 || v < a->min)
		a->min = v;
	if (a->n == 1 || v > a->max)
		a->max = v;
}

void ci_acc_finish(const struct ci_acc *a, struct ci_stats *out)
{
	out->n = a->n;
	out->mean = a->n ? a->mean : NAN;
	out->min = a->min;
	out->max = a->max;
	if (a->n < 2) {
		out->stddev = a->n ? 0 : NAN;
		out->ci_half = NAN;
		out->ci_lo = NAN;
		out->ci_hi = NAN;
		return;
	}
	out->stddev = sqrt(a->m2 / (a->n - 1));
	out->ci_half = ci_t95(a->n - 1) * out->stddev / sqrt(a->n);
	out->ci_lo = out->mean - out->ci_half;
	out->ci_hi = out->mean + out->ci_half;
}

void ci_compute(const double *v, unsigned n, struct ci_stats *out)
{
	struct ci_acc a;
	unsigned i;

	ci_acc_init(&a);
	for (i = 0; i < n; i++)
		ci_acc_add(&a, v[i]);
	ci_acc_finish(&a, out);
}

int ci_disjoint(const struct ci_stats *a, const struct ci_stats *b)
{
	double alo = isnan(a->ci_lo) ? a->mean : a->ci_lo;
	double ahi = isnan(a->ci_hi) ? a->mean : a->ci_hi;
	double blo = isnan(b->ci_lo) ? b->mean : b->ci_lo;
	double bhi = isnan(b->ci_hi) ? b->mean : b->ci_hi;

	return ahi < blo || bhi < alo;
}
