/* Confidence-interval maths against values computed independently (R's
 * qt(0.975, df) and textbook examples). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "harness/measure/stats_ci.h"

static void assert_near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol))
		fail_msg("got %.9g, want %.9g (+/- %g)", got, want, tol);
}

static void test_t_quantiles(void **state)
{
	assert_near(ci_t95(1), 12.7062047, 1e-6);
	assert_near(ci_t95(2), 4.3026527, 1e-6);
	assert_near(ci_t95(4), 2.7764451, 1e-6);
	assert_near(ci_t95(9), 2.2621572, 1e-6);
	assert_near(ci_t95(29), 2.0452296, 1e-6);
	/* interpolated rows: qt(0.975, 50) = 2.0085591, 100 -> 1.9839715,
	 * 1000 -> 1.9623391, 1e6 -> 1.9599664 */
	assert_near(ci_t95(50), 2.0085591, 1e-4);
	assert_near(ci_t95(100), 1.9839715, 1e-4);
	assert_near(ci_t95(1000), 1.9623391, 1e-4);
	assert_near(ci_t95(1000000), 1.9599664, 1e-5);
	assert_true(isnan(ci_t95(0)));
	/* monotonically falling */
	for (unsigned df = 1; df < 300; df++)
		assert_true(ci_t95(df + 1) < ci_t95(df));
}

static void test_known_sample(void **state)
{
	/* 10 12 14 16 18: mean 14, s = sqrt(10), half = 2.7764451 * sqrt(10) / sqrt(5) */
	static const double v[] = {10, 12, 14, 16, 18};
	struct ci_stats s;

	ci_compute(v, 5, &s);
	assert_int_equal(s.n, 5);
	assert_near(s.mean, 14, 1e-12);
	assert_near(s.stddev, sqrt(10), 1e-12);
	assert_near(s.min, 10, 0);
	assert_near(s.max, 18, 0);
	assert_near(s.ci_half, 2.7764451 * sqrt(2), 1e-6);
	assert_near(s.ci_lo, 14 - 3.9264863, 1e-6);
	assert_near(s.ci_hi, 14 + 3.9264863, 1e-6);
}

static void test_textbook(void **state)
{
	/* Student's 1908 sleep data, group 1 (R: t.test(extra[1:10])):
	 * mean 0.75, 95 % CI -0.5297804 .. 2.0297804 */
	static const double v[] = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
	struct ci_stats s;

	ci_compute(v, 10, &s);
	assert_near(s.mean, 0.75, 1e-12);
	assert_near(s.stddev, 1.7890097, 1e-6);
	assert_near(s.ci_lo, -0.5297804, 1e-6);
	assert_near(s.ci_hi, 2.0297804, 1e-6);
}

static void test_small_n(void **state)
{
	static const double one[] = {42};
	static const double two[] = {1e6, 1e6 + 2};
	struct ci_stats s;

	ci_compute(one, 1, &s);
	assert_int_equal(s.n, 1);
	assert_near(s.mean, 42, 0);
	assert_near(s.stddev, 0, 0);
	assert_true(isnan(s.ci_half) && isnan(s.ci_lo) && isnan(s.ci_hi));
	ci_compute(NULL, 0, &s);
	assert_int_equal(s.n, 0);
	assert_true(isnan(s.mean));
	/* large values, small spread: Welford keeps it exact */
	ci_compute(two, 2, &s);
	assert_near(s.stddev, sqrt(2), 1e-9);
	assert_near(s.ci_half, 12.7062047 * sqrt(2) / sqrt(2), 1e-5);
}

static void test_disjoint(void **state)
{
	static const double a[] = {100, 101, 99, 100}, b[] = {90, 91, 89, 90},
			    c[] = {99, 100, 101, 100};
	struct ci_stats sa, sb, sc, one;
	static const double x[] = {100};

	ci_compute(a, 4, &sa);
	ci_compute(b, 4, &sb);
	ci_compute(c, 4, &sc);
	ci_compute(x, 1, &one);
	assert_true(ci_disjoint(&sa, &sb));
	assert_true(ci_disjoint(&sb, &sa));
	assert_false(ci_disjoint(&sa, &sc));
	assert_false(ci_disjoint(&sa, &one)); /* 100 lies in a's interval */
	assert_true(ci_disjoint(&sb, &one));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_t_quantiles), cmocka_unit_test(test_known_sample),
	    cmocka_unit_test(test_textbook),	cmocka_unit_test(test_small_n),
	    cmocka_unit_test(test_disjoint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
