/* compare on hand-made run directories: files read by column name, noise from
 * trials and search bounds, regressions, mismatched runs. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/output/compare.h"
#include "lib/log.h"

static char root[] = "/tmp/mp-test-compare-XXXXXX";
static char outbuf[65536];

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", root, dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void run_dir(const char *dir, const char *platform)
{
	char path[512], json[256];

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	mkdir(path, 0755);
	snprintf(
	    json, sizeof(json),
	    "{\n  \"mir_perf_version\": \"t\",\n  \"library\": \"\",\n  \"commit\": \"\",\n"
	    "  \"dut\": \"fwd\",\n  \"platform\": \"%s\",\n  \"cfg\": {\"platform\": \"x\"}\n}\n",
	    platform);
	put(dir, "stats.json", json);
	put(dir, "search.json", json);
}

static const char search_hdr[] =
    "size,target,loss_tolerance_pct,found,limit,converged,lower_pps,upper_pps,extra,"
    "rx_ci_lo_pps,rx_ci_hi_pps\n";

/* A search run: NDR [lo, hi] and PDR [lo, hi * 1.005] at 64 and 512 B. */
static void search_run(const char *dir, const char *platform, double lo, double hi)
{
	char text[2048];

	run_dir(dir, platform);
	snprintf(text, sizeof(text),
		 "%s64,ndr,0,1,none,1,%.1f,%.1f,x,,\n64,pdr,0.5,1,none,1,%.1f,%.1f,x,,\n"
		 "512,ndr,0,1,none,1,%.1f,%.1f,x,,\n512,pdr,0.5,1,none,1,%.1f,%.1f,x,,\n",
		 search_hdr, lo, hi, lo, hi * 1.005, lo / 2, hi / 2, lo / 2, hi / 2 * 1.005);
	put(dir, "search.csv", text);
}

static int cmp(const char *a, const char *b, double fail_pct)
{
	char pa[512], pb[512], tpl[512];
	struct compare_opts o = {.fail_pct = fail_pct, .out_dir = NULL, .templates = NULL};
	FILE *f = fmemopen(outbuf, sizeof(outbuf), "w");
	int rc;

	snprintf(pa, sizeof(pa), "%s/%s", root, a);
	snprintf(pb, sizeof(pb), "%s/%s", root, b);
	snprintf(tpl, sizeof(tpl), "%s/plots", getenv("MP_TOP") ? getenv("MP_TOP") : ".");
	if (access("/usr/bin/gnuplot", X_OK) == 0)
		o.templates = tpl;
	rc = compare_runs(pa, pb, &o, f);
	fclose(f);
	return rc;
}

static void test_same_dut_no_regression(void **state)
{
	char path[512];

	/* two runs of one DUT of capacity 100k: bounds overlap */
	search_run("s1", "local", 99200, 100100);
	search_run("s2", "local", 99600, 100500);
	assert_int_equal(cmp("s1", "s2", 5), 0);
	assert_int_equal(compare_exit_status(0), 0);
	assert_non_null(strstr(outbuf, "NDR"));
	assert_non_null(strstr(outbuf, "0 regressed"));
	assert_null(strstr(outbuf, "REGRESSION"));
	snprintf(path, sizeof(path), "%s/s2/compare-vs-s1/compare.csv", root);
	assert_int_equal(access(path, R_OK), 0);
	if (access("/usr/bin/gnuplot", X_OK) == 0) {
		snprintf(path, sizeof(path), "%s/s2/compare-vs-s1/compare.png", root);
		assert_int_equal(access(path, R_OK), 0);
	}
}

static void test_half_rate_regression(void **state)
{
	search_run("r", "local", 99200, 100100);
	search_run("half", "local", 49500, 50000);
	assert_int_equal(cmp("r", "half", 5), 1);
	assert_int_equal(compare_exit_status(1), 3);
	assert_non_null(strstr(outbuf, "-50.1 %"));
	assert_non_null(strstr(outbuf, "REGRESSION"));
	assert_non_null(strstr(outbuf, "4 regressed"));
	/* without --fail-on-regression nothing fails, the difference still shows */
	assert_int_equal(cmp("r", "half", -1), 0);
	assert_non_null(strstr(outbuf, "yes, B lower"));
	/* B better than A is never a regression */
	assert_int_equal(cmp("half", "r", 5), 0);
	assert_non_null(strstr(outbuf, "yes, B higher"));
	/* a 60 % threshold: 50 % worse is not enough */
	assert_int_equal(cmp("r", "half", 60), 0);
}

static void test_bounds_are_noise(void **state)
{
	/* B 96.0k..96.96k against A 99.2k..100.1k: the values differ by 3.2 %,
	 * but beyond both intervals only (99200 - 96960) / 99200 = 2.26 % */
	search_run("a", "local", 99200, 100100);
	search_run("b", "local", 96000, 96960);
	assert_int_equal(cmp("a", "b", 2.2), 1);
	assert_int_equal(cmp("a", "b", 2.3), 0);
	assert_non_null(strstr(outbuf, "-3.2 %"));
}

static void test_generator_limited(void **state)
{
	char text[1024];

	run_dir("la", "local");
	run_dir("lb", "local");
	snprintf(text, sizeof(text), "%s64,ndr,0,1,generator,1,1000000.0,,x,,\n", search_hdr);
	put("la", "search.csv", text);
	snprintf(text, sizeof(text), "%s64,ndr,0,1,generator,1,940000.0,,x,,\n", search_hdr);
	put("lb", "search.csv", text);
	/* both ">= X": neither can be said to be worse */
	assert_int_equal(cmp("la", "lb", 1), 0);
	assert_non_null(strstr(outbuf, ">= 1.00 Mpps"));
	snprintf(text, sizeof(text), "%s64,ndr,0,1,none,1,500000.0,505000.0,x,,\n", search_hdr);
	put("lb", "search.csv", text);
	assert_int_equal(cmp("la", "lb", 1), 1);
	/* no loss-free rate at all in B */
	snprintf(text, sizeof(text), "%s64,ndr,0,0,none,1,,1000.0,x,,\n", search_hdr);
	put("lb", "search.csv", text);
	assert_int_equal(cmp("la", "lb", 1), 1);
	assert_non_null(strstr(outbuf, "none"));
}

/* stats.csv by column name, in any order, with trials giving confidence intervals. */
static void sweep_run(const char *dir, const double *rx64, unsigned n)
{
	char text[4096];
	size_t off;
	unsigned i;

	run_dir(dir, "local");
	off = (size_t)snprintf(text, sizeof(text),
			       "point,trial,sink_rx_pps,whatever,target_pps,size\n");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%u,%u,%.1f,z,200000,64\n",
					i + 1, i + 1, rx64[i]);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%u,%u,%.1f,z,max,1518\n",
					n + i + 1, i + 1, 81000.0 + i);
	put(dir, "stats.csv", text);
}

static void test_sweep_trials(void **state)
{
	static const double a[] = {199000, 199500, 198800, 199200};
	static const double close[] = {198000, 199900, 197000, 199000};
	static const double low[] = {150000, 150400, 149900, 150100};

	sweep_run("wa", a, 4);
	sweep_run("wb", close, 4);
	assert_int_equal(cmp("wa", "wb", 0.1), 0); /* within the CIs */
	assert_non_null(strstr(outbuf, "200 kpps"));
	assert_non_null(strstr(outbuf, "max"));
	assert_non_null(strstr(outbuf, "2 compared, 0 beyond noise"));
	sweep_run("wc", low, 4);
	assert_int_equal(cmp("wa", "wc", 10), 1);
	assert_non_null(strstr(outbuf, "1 beyond noise"));
	/* one trial each: no CI, the threshold alone decides */
	sweep_run("w1", a, 1);
	sweep_run("w2", close + 2, 1);
	assert_int_equal(cmp("w1", "w2", 0.5), 1); /* 199000 -> 197000: 1 % */
	assert_int_equal(cmp("w1", "w2", 2), 0);
}

/* The shipped ladder's points (max, then N% of what max carried) are matched
 * by the rate as written, not by the target each run derived from its own max. */
static void test_ladder_points_match(void **state)
{
	run_dir("ladder_a", "local");
	put("ladder_a", "stats.csv",
	    "size,target_pps,sink_rx_pps,rate\n64,max,190000,max\n64,95000,95000,50%\n"
	    "64,180500,180000,95%\n");
	run_dir("ladder_b", "local");
	put("ladder_b", "stats.csv",
	    "size,target_pps,sink_rx_pps,rate\n64,max,120000,max\n64,60000,60000,50%\n"
	    "64,114000,114000,95%\n");
	assert_int_equal(cmp("ladder_a", "ladder_b", 10), 1);
	assert_non_null(strstr(outbuf, "3 compared, 3 beyond noise"));
}

static void test_mismatched(void **state)
{
	static const double a[] = {199000};
	char text[512];

	search_run("p1", "local", 99200, 100100);
	search_run("p2", "xen", 99200, 100100);
	assert_int_equal(cmp("p1", "p2", 5), -EINVAL);
	assert_int_equal(compare_exit_status(-EINVAL), 2);
	/* search against sweep */
	sweep_run("sw", a, 1);
	assert_int_equal(cmp("p1", "sw", 5), -EINVAL);
	/* no common size */
	run_dir("big", "local");
	snprintf(text, sizeof(text), "%s9000,ndr,0,1,none,1,10000.0,10100.0,x,,\n", search_hdr);
	put("big", "search.csv", text);
	assert_int_equal(cmp("p1", "big", 5), -EINVAL);
	/* different PDR tolerance */
	run_dir("tol", "local");
	snprintf(text, sizeof(text), "%s64,pdr,1,1,none,1,100000.0,101000.0,x,,\n", search_hdr);
	put("tol", "search.csv", text);
	assert_int_equal(cmp("p1", "tol", 5), -EINVAL);
	/* not a run directory */
	assert_int_equal(cmp("p1", "nonexistent", 5), -EINVAL);
	run_dir("empty", "local");
	assert_int_equal(cmp("p1", "empty", 5), -EINVAL);
}

static void test_bad_files(void **state)
{
	char text[512];

	search_run("ok", "local", 99200, 100100);
	run_dir("bad", "local");
	snprintf(text, sizeof(text), "%s64,ndr,0,1,none,1,99k,100100.0,x,,\n", search_hdr);
	put("bad", "search.csv", text);
	assert_int_equal(cmp("ok", "bad", 5), -EINVAL);
	snprintf(text, sizeof(text), "%s64,ndr,0,1,none,1,99000\n", search_hdr); /* cut short */
	put("bad", "search.csv", text);
	assert_int_equal(cmp("ok", "bad", 5), -EINVAL);
	put("bad", "search.csv", "size,target,found\n64,ndr,1\n"); /* missing columns */
	assert_int_equal(cmp("ok", "bad", 5), -EINVAL);
	snprintf(text, sizeof(text), "%s70000,ndr,0,1,none,1,99000.0,100100.0,x,,\n", search_hdr);
	put("bad", "search.csv", text);
	assert_int_equal(cmp("ok", "bad", 5), -EINVAL);
	put("bad", "search.csv", search_hdr); /* header only */
	assert_int_equal(cmp("ok", "bad", 5), -EINVAL);
}

static int setup(void **state)
{
	log_init("test_compare");
	log_set_level(LOG_QUIET);
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_dut_no_regression),
	    cmocka_unit_test(test_half_rate_regression),
	    cmocka_unit_test(test_bounds_are_noise),
	    cmocka_unit_test(test_generator_limited),
	    cmocka_unit_test(test_sweep_trials),
	    cmocka_unit_test(test_ladder_points_match),
	    cmocka_unit_test(test_mismatched),
	    cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
