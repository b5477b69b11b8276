/* trials = N on a sweep: per-point mean, stddev, min, max, 95 % CI, from the
 * real results writer, against values worked out by hand. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/output/results.h"
#include "harness/output/trials_summary.h"
#include "lib/units.h"

static uint64_t sizes[] = {64};
static uint64_t rates[] = {100000, UNITS_RATE_MAX};
static char dir[] = "/tmp/mp-test-trials-XXXXXX";

static void open_run(struct results **r, struct run_cfg *cfg, struct results_meta *meta)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->sizes.v = sizes;
	cfg->sizes.n = 1;
	cfg->rates.v = rates;
	cfg->rates.n = 2;
	cfg->duration_ns = 1000000000ULL;
	cfg->trials = 3;
	memset(meta, 0, sizeof(*meta));
	strcpy(meta->version, "t");
	strcpy(meta->dut, "fwd");
	strcpy(meta->platform, "local");
	strcpy(meta->status, "running");
	meta->start_ns = 1795000000ULL * 1000000000ULL;
	strcpy(dir, "/tmp/mp-test-trials-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(results_open(dir, meta, cfg, r), 0);
}

static void add(struct results *r, unsigned idx, unsigned trial, uint64_t target, double offered,
		double rx, uint64_t sent, uint64_t received)
{
	struct results_point p;

	memset(&p, 0, sizeof(p));
	p.index = idx;
	p.trial = trial;
	p.size = 64;
	p.target_pps = target;
	p.offered_pps = offered;
	p.window_ns = 1000000000ULL;
	p.sent = sent;
	p.received = received;
	p.hop[HOP_SINK_RX].pps = rx;
	assert_int_equal(results_add(r, &p), 0);
}

static char *slurp(const char *name)
{
	static char buf[16384];
	char path[256];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static void cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_summary(void **state)
{
	struct results *r;
	struct run_cfg cfg;
	struct results_meta meta;
	char tpl[512], *s;

	open_run(&r, &cfg, &meta);
	/* 100k: rx 99000, 100000, 101000: mean 100000, s = 1000, half = 4.3026527 * 1000 / sqrt(3)
	 */
	add(r, 1, 1, 100000, 100000, 99000, 1000, 990);
	add(r, 2, 2, 100000, 100000, 100000, 1000, 1000);
	add(r, 3, 3, 100000, 100000, 101000, 1000, 1000);
	add(r, 4, 1, UNITS_RATE_MAX, 450000, 400000, 1000, 900);
	add(r, 5, 2, UNITS_RATE_MAX, 452000, 400000, 1000, 900);
	add(r, 6, 3, UNITS_RATE_MAX, 454000, 400000, 1000, 900);
	snprintf(tpl, sizeof(tpl), "%s/plots", getenv("MP_TOP") ? getenv("MP_TOP") : ".");
	assert_int_equal(trials_summary_write(r, access("/usr/bin/gnuplot", X_OK) ? NULL : tpl), 0);
	s = slurp("stats-trials.csv");
	assert_non_null(s);
	assert_non_null(strstr(s, "size,target_pps,trials,offered_pps_mean,offered_pps_stddev,"));
	/* 2484.138 = 4.3026527 * 1000 / sqrt(3) */
	assert_non_null(strstr(s, "\n64,100000,3,100000.000,0.000,100000.000,100000.000,"
				  "100000.000,100000.000,100000.000,1000.000,99000.000,101000.000,"
				  "97515.862,102484.138,0.333,"));
	assert_non_null(strstr(s, "\n64,max,3,452000.000,2000.000,450000.000,454000.000,"));
	s = slurp("stats-trials");
	assert_non_null(strstr(s, "100000 +/- 2484"));
	if (!access("/usr/bin/gnuplot", X_OK)) {
		char path[300];

		snprintf(path, sizeof(path), "%s/plots/rx_vs_offered_ci.png", dir);
		assert_int_equal(access(path, R_OK), 0);
	}
	results_close(r);
	cleanup();
}

static void test_no_repeats_no_files(void **state)
{
	struct results *r;
	struct run_cfg cfg;
	struct results_meta meta;

	open_run(&r, &cfg, &meta);
	add(r, 1, 1, 100000, 100000, 99000, 1000, 990);
	add(r, 2, 1, UNITS_RATE_MAX, 450000, 400000, 1000, 900);
	assert_int_equal(trials_summary_write(r, NULL), 0);
	assert_null(slurp("stats-trials.csv"));
	results_close(r);
	cleanup();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_summary),
	    cmocka_unit_test(test_no_repeats_no_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
