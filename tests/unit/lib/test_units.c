/* Numbers with units: the one parser every program and cfg file uses. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/units.h"

static void test_rate_forms(void **state)
{
	uint64_t v;

	assert_int_equal(units_parse_rate("250000", 0, &v), 0);
	assert_int_equal(v, 250000);
	assert_int_equal(units_parse_rate("250k", 0, &v), 0);
	assert_int_equal(v, 250000);
	assert_int_equal(units_parse_rate("1.5M", 0, &v), 0);
	assert_int_equal(v, 1500000);
	assert_int_equal(units_parse_rate("100M", 0, &v), 0);
	assert_int_equal(v, 100000000);
	assert_int_equal(units_parse_rate("max", 1, &v), 0);
	assert_true(v == UNITS_RATE_MAX);
	assert_int_equal(units_parse_rate("0.5k", 0, &v), 0);
	assert_int_equal(v, 500);
}

static void test_rate_bad(void **state)
{
	static const char *const bad[] = { "", "1O0k", "1e5", "-5", "+5", " 5", "5 ", "0x10",
					   "1.5", "5K", "5kk", "max1", ".5k", "5.k", "inf" };
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(units_parse_rate(bad[i], 1, &v), -EINVAL);
	assert_int_equal(units_parse_rate("max", 0, &v), -EINVAL);
	assert_int_equal(units_parse_rate("0", 0, &v), -ERANGE);
	assert_int_equal(units_parse_rate("101M", 0, &v), -ERANGE);
	assert_int_equal(units_parse_rate("99999999999999999999999", 0, &v), -ERANGE);
}

static void test_frame_size(void **state)
{
	uint32_t v;

	assert_int_equal(units_parse_frame_size("64", &v), 0);
	assert_int_equal(v, 64);
	assert_int_equal(units_parse_frame_size("9018", &v), 0);
	assert_int_equal(units_parse_frame_size("60", &v), -ERANGE);
	assert_int_equal(units_parse_frame_size("9019", &v), -ERANGE);
	assert_int_equal(units_parse_frame_size("64.0", &v), -EINVAL);
	assert_int_equal(units_parse_frame_size("1k", &v), -EINVAL);
}

static void test_duration(void **state)
{
	uint64_t ns;

	assert_int_equal(units_parse_duration("10", &ns), 0);
	assert_true(ns == 10000000000ULL);
	assert_int_equal(units_parse_duration("1.5s", &ns), 0);
	assert_true(ns == 1500000000ULL);
	assert_int_equal(units_parse_duration("500ms", &ns), 0);
	assert_true(ns == 500000000ULL);
	assert_int_equal(units_parse_duration("250us", &ns), 0);
	assert_true(ns == 250000ULL);
	assert_int_equal(units_parse_duration("2m", &ns), 0);
	assert_true(ns == 120000000000ULL);
	assert_int_equal(units_parse_duration("10x", &ns), -EINVAL);
	assert_int_equal(units_parse_duration("s", &ns), -EINVAL);
	assert_int_equal(units_parse_duration("", &ns), -EINVAL);
}

static void test_count_and_uint(void **state)
{
	uint64_t v;

	assert_int_equal(units_parse_count("100k", &v), 0);
	assert_int_equal(v, 100000);
	assert_int_equal(units_parse_uint("42", 1, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(units_parse_uint("0", 1, 100, &v), -ERANGE);
	assert_int_equal(units_parse_uint("4.2", 1, 100, &v), -EINVAL);
}

/* Overflow is an error, never a wrapped small value; fractions that need
 * more than 64 bits on the way are still exact. */
static void test_overflow(void **state)
{
	uint64_t v = 0;

	(void)state;
	/* 5124095.9 h is 1.8446745e19 ns: more than 2^64 */
	assert_int_equal(units_parse_duration("5124095.9h", &v), -ERANGE);
	/* 5124095 h fits (1.8446742e19 ns) */
	assert_int_equal(units_parse_duration("5124095h", &v), 0);
	assert_true(v == 5124095ULL * 3600000000000ULL);
	assert_int_equal(units_parse_duration("0.123456789h", &v), 0);
	assert_true(v == 444444440400ULL);
	assert_int_equal(units_parse_duration("99999999999999999999", &v), -ERANGE);
	assert_int_equal(units_parse_count("18446744073709551.9k", &v), -ERANGE);
	assert_int_equal(units_parse_count("18446744073709551.615k", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(units_parse_count("18446744073709551.616k", &v), -ERANGE);
	assert_int_equal(units_parse_rate("18446744073709551.9k", 1, &v), -ERANGE);
	assert_int_equal(units_parse_count("18446744073709551616", &v), -ERANGE);
}

static void test_format(void **state)
{
	char b[32];

	units_fmt_pps(b, sizeof(b), 250000);
	assert_string_equal(b, "250 kpps");
	units_fmt_pps(b, sizeof(b), 1500000);
	assert_string_equal(b, "1.50 Mpps");
	units_fmt_bps(b, sizeof(b), 812e6);
	assert_string_equal(b, "812 Mbit/s");
	/* 64-byte frames at 1 pps: 512 bit/s at L2, (64+20)*8 = 672 at L1 */
	assert_true(units_l2_bps(1, 64) == 512.0);
	assert_true(units_l1_bps(1, 64) == 672.0);
}

static void test_format_duration(void **state)
{
	char b[32];

	units_fmt_duration(b, sizeof(b), 500000000ULL);
	assert_string_equal(b, "500 ms");
	units_fmt_duration(b, sizeof(b), 1500000ULL);
	assert_string_equal(b, "1.5 ms");
	units_fmt_duration(b, sizeof(b), 1500000000ULL);
	assert_string_equal(b, "1.5 s");
	units_fmt_duration(b, sizeof(b), 10000000000ULL);
	assert_string_equal(b, "10 s");
	units_fmt_duration(b, sizeof(b), 84000000000ULL);
	assert_string_equal(b, "1 min 24 s");
	units_fmt_duration(b, sizeof(b), 120000000000ULL);
	assert_string_equal(b, "2 min");
	units_fmt_duration(b, sizeof(b), 7500000000000ULL);
	assert_string_equal(b, "2 h 5 min");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_forms),    cmocka_unit_test(test_rate_bad),
		cmocka_unit_test(test_frame_size),    cmocka_unit_test(test_duration),
		cmocka_unit_test(test_count_and_uint), cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_duration), cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
