/* The range-list parser of cfg/range-psz, cfg/range-pps, --sizes and --rates:
 * values, ranges, duplicates, limits, and the exact message of every error. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/config/rangelist.h"
#include "lib/units.h"

#define S RANGELIST_SIZES
#define R RANGELIST_RATES

struct good_case {
	enum rangelist_kind kind;
	const char *text;
	unsigned n;
	uint64_t v[8];
};

static const struct good_case good_cases[] = {
    {S, "64 512 1518", 3, {64, 512, 1518}},
    {S, "64,128\n\n256 # comment 999\n9018", 4, {64, 128, 256, 9018}},
    {S, "64..256:64", 4, {64, 128, 192, 256}},
    {S, "64..250:64", 3, {64, 128, 192}}, /* TO is a bound, not a must */
    {S, "1518..1518:1", 1, {1518}},
    {S, "\t64\r\n#x\n128#y", 2, {64, 128}},
    {R, "10k 50k 100k 200k", 4, {10000, 50000, 100000, 200000}},
    {R, "250000 250k 1.5M max", 3, {250000, 1500000, UNITS_RATE_MAX}},
    {R, "100k..1M:300k", 4, {100000, 400000, 700000, 1000000}},
    {R, "1 100M", 2, {1, 100000000}},
    {R, "99M..100M:1M", 2, {99000000, 100000000}},
    {R, "100M..100M:100M", 1, {100000000}},
    /* the shipped ladder: max, then shares of what it carried */
    {R, "max 50% 80% 95% 100%", 5,
     {UNITS_RATE_MAX, RUN_RATE_PCT(50), RUN_RATE_PCT(80), RUN_RATE_PCT(95), RUN_RATE_PCT(100)}},
    {R, "10k max 1%", 3, {10000, UNITS_RATE_MAX, RUN_RATE_PCT(1)}},
};

static void test_good(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		const struct good_case *c = &good_cases[i];
		struct run_list l;
		char err[512];
		unsigned k;
		int rc;

		rc = rangelist_parse_string(c->text, "t", c->kind, 0, &l, NULL, err, sizeof(err));
		if (rc)
			fail_msg("'%s': %s", c->text, err);
		assert_int_equal(l.n, c->n);
		for (k = 0; k < c->n; k++)
			assert_true(l.v[k] == c->v[k]);
		assert_string_equal(l.origin, "t");
		run_list_release(&l);
	}
}

struct bad_case {
	enum rangelist_kind kind;
	unsigned other_n;
	const char *text;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
    {R, 0, "10k\n50k\n100k 1O0k", "f:3:6: expected a rate like 250000, 250k or 1.5M, got '1O0k'"},
    {R, 0, "  1O0k", "f:1:3: expected a rate like 250000, 250k or 1.5M, got '1O0k'"},
    {S, 0, "64 60",
     "f:1:4: expected a frame size from 64 to 9018 bytes, got '60': sizes here include the "
     "4-byte FCS, as RFC 2544 counts them (the original's pktgen pkt_size 60 is the 64-byte "
     "frame); use 64"},
    {S, 0, "60..1514:64",
     "f:1:1: expected a frame size from 64 to 9018 bytes, got '60': sizes here include the "
     "4-byte FCS, as RFC 2544 counts them (the original's pktgen pkt_size 60 is the 64-byte "
     "frame); use 64"},
    {S, 0, "40", "f:1:1: expected a frame size from 64 to 9018 bytes (FCS included), got '40'"},
    {S, 0, "9019", "f:1:1: expected a frame size from 64 to 9018 bytes (FCS included), got '9019'"},
    {S, 0, "64.5", "f:1:1: expected a frame size like 64, 1518 or 64..1518:64, got '64.5'"},
    {S, 0, "1k", "f:1:1: expected a frame size like 64, 1518 or 64..1518:64, got '1k'"},
    {S, 0, "# nothing\n\n",
     "f:3:1: expected at least one frame size like 64 or 64..1518:64, got an empty list"},
    {R, 0, "",
     "f:1:1: expected at least one rate like 250000, 250k, 1.5M or max, got an empty list"},
    {R, 0, "100k..1M:0", "f:1:10: expected a step above 0, got '0'"},
    {S, 0, "64..128:0", "f:1:9: expected a step above 0, got '0'"},
    {R, 0, "1M..100k:100k",
     "f:1:1: range '1M..100k:100k' runs backwards: expected FROM no higher than TO"},
    {R, 0, "100k..1M", "f:1:1: expected a range FROM..TO:STEP like 100k..1M:100k, got '100k..1M'"},
    {S, 0, "64..:1", "f:1:1: expected a range FROM..TO:STEP like 64..1518:64, got '64..:1'"},
    {S, 0, "..128:1", "f:1:1: expected a range FROM..TO:STEP like 64..1518:64, got '..128:1'"},
    {R, 0, "1k:5", "f:1:1: expected a range FROM..TO:STEP like 100k..1M:100k, got '1k:5'"},
    {R, 0, "1k..2k:1x", "f:1:8: expected a step in packets per second like 100k, got '1x'"},
    {R, 0, "1k..2O0k:1k", "f:1:5: expected a rate like 250000, 250k or 1.5M, got '2O0k'"},
    {R, 0, "10k..max:1k",
     "f:1:6: expected a rate like 250000, 250k or 1.5M as a range bound ('max' stands on its "
     "own), got 'max'"},
    {R, 0, "50% max",
     "f:1:1: expected 'max' before '50%': a percentage is a share of what the DUT carried at "
     "max"},
    {R, 0, "max 0%",
     "f:1:5: expected a share of what max carried from 1% to 100% (it stands on its own), got "
     "'0%'"},
    {R, 0, "max 101%",
     "f:1:5: expected a share of what max carried from 1% to 100% (it stands on its own), got "
     "'101%'"},
    {R, 0, "max 10%..50%:10",
     "f:1:5: expected a share of what max carried from 1% to 100% (it stands on its own), got "
     "'10%'"},
    {R, 0, "0", "f:1:1: expected a rate from 1 to 100M packets per second, got '0'"},
    {R, 0, "101M", "f:1:1: expected a rate from 1 to 100M packets per second, got '101M'"},
    {R, 0, "1e5", "f:1:1: expected a rate like 250000, 250k or 1.5M, got '1e5'"},
    {R, 0, "\x1b[2J", "f:1:1: expected a rate like 250000, 250k or 1.5M, got '\\x1b[2J'"},
    {R, 0, "1234567890123456789012345678901234567890123456789012345678901234567890",
     "f:1:1: expected a rate like 250000, 250k or 1.5M, got "
     "'1234567890123456789012345678901234567890...'"},
    {R, 0, "1..10001:1",
     "f:1:1: '1..10001:1' makes the list longer than 10000 rates, the most a sweep may have"},
    {R, 3, "1..4000:1",
     "f:1:1: '1..4000:1' makes the sweep longer than 10000 points (already 3 sizes x 3334 "
     "rates); use fewer sizes or rates"},
    {R, 5000, "1 2 3",
     "f:1:5: '3' makes the sweep longer than 10000 points (already 5000 sizes x 3 rates); use "
     "fewer sizes or rates"},
    {S, 10000, "64 65",
     "f:1:4: '65' makes the sweep longer than 10000 points (already 10000 rates x 2 sizes); use "
     "fewer sizes or rates"},
};

static void test_bad(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct run_list l;
		char err[512];
		int rc;

		rc = rangelist_parse_string(c->text, "f", c->kind, c->other_n, &l, NULL, err,
					    sizeof(err));
		assert_int_equal(rc, -EINVAL);
		if (strcmp(err, c->msg))
			fail_msg("case %zu: got\n  %s\nexpected\n  %s", i, err, c->msg);
		assert_null(l.v);
		assert_int_equal(l.n, 0);
	}
}

/* A NUL inside a token must not cut it into a valid number. */
static void test_nul_byte(void **state)
{
	static const char text[] = "64\0"
				   "9";
	struct run_list l;
	char err[512];
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	assert_non_null(f);
	assert_int_equal(rangelist_parse(f, "f", S, 0, &l, NULL, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "f:1:1: expected a frame size like 64, 1518 or 64..1518:64, got "
				 "'64\\x009'");
	fclose(f);
}

static void test_duplicates_warned(void **state)
{
	struct run_list l;
	char err[512], *buf = NULL;
	size_t len = 0;
	FILE *diag = open_memstream(&buf, &len);

	assert_int_equal(rangelist_parse_string("64 128\n64 64..256:64 256", "f", S, 0, &l, diag,
						err, sizeof(err)),
			 0);
	fclose(diag);
	assert_int_equal(l.n, 4);
	assert_true(l.v[0] == 64 && l.v[1] == 128 && l.v[2] == 192 && l.v[3] == 256);
	assert_string_equal(buf,
			    "f:2:1: warning: '64' already listed; dropped\n"
			    "f:2:4: warning: 2 values of '64..256:64' already listed; dropped\n"
			    "f:2:15: warning: '256' already listed; dropped\n");
	free(buf);
	run_list_release(&l);
}

/* Duplicates do not count against the limit: 10000 values, then all again. */
static void test_limit_counts_distinct(void **state)
{
	struct run_list l;
	char err[512];

	assert_int_equal(rangelist_parse_string("1..10000:1 1..10000:1 5000", "f", R, 0, &l, NULL,
						err, sizeof(err)),
			 0);
	assert_int_equal(l.n, 10000);
	assert_true(l.v[9999] == 10000);
	run_list_release(&l);
	assert_int_equal(rangelist_parse_string("1..100M:1", "f", R, 0, &l, NULL, err, sizeof(err)),
			 -EINVAL);
}

static void test_file(void **state)
{
	char path[] = "/tmp/mp-test-rangelistXXXXXX";
	struct run_list l;
	char err[512], want[600];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "# sizes\n64\n128 oops\n", 20), 20);
	close(fd);
	assert_int_equal(rangelist_parse_file(path, S, 0, &l, NULL, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s:3:5: expected a frame size like 64, 1518 or 64..1518:64, got 'oops'", path);
	assert_string_equal(err, want);
	unlink(path);
	assert_int_equal(rangelist_parse_file(path, S, 0, &l, NULL, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want),
		 "%s: cannot open the frame size list: No such file or directory", path);
	assert_string_equal(err, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_nul_byte),
	    cmocka_unit_test(test_duplicates_warned),
	    cmocka_unit_test(test_limit_counts_distinct),
	    cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
