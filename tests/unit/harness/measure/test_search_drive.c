/* search_drive: the search of a whole run through the point runner
 * (point_run, a link-time stand-in here, simulating a DUT of known capacity), with the
 * real results and search writers: every trial in stats.csv and trials.csv,
 * each trial as long as the search asked, partial results kept on Ctrl-C. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/measure/search.h"
#include "harness/measure/search_drive.h"
#include "lib/log.h"
#include "lib/units.h"

static double capacity = 50000, gen_max = 400000;
static unsigned calls, fail_at, prepared[8], nprepared;
static uint64_t durations[256];

int __wrap_point_run(struct point *p, const struct point_req *pp, unsigned index,
		     struct results_point *out);
int __wrap_point_run(struct point *p, const struct point_req *pp, unsigned index,
		     struct results_point *out)
{
	double offered = pp->rate == UNITS_RATE_MAX || pp->rate > gen_max ? gen_max : pp->rate;
	double secs = (double)pp->duration_ns / 1e9;

	if (++calls == fail_at)
		return -EINTR;
	if (calls < 256)
		durations[calls] = pp->duration_ns;
	memset(out, 0, sizeof(*out));
	out->index = index;
	out->trial = pp->trial;
	out->size = pp->size;
	out->target_pps = pp->rate;
	out->offered_pps = offered;
	out->window_ns = pp->duration_ns;
	out->sent = (uint64_t)(offered * secs);
	out->received =
	    offered <= capacity ? out->sent : (uint64_t)((double)out->sent * capacity / offered);
	out->lost = out->sent - out->received;
	out->hop[HOP_SINK_RX].pps = (double)out->received / secs;
	return 0;
}

static int fake_prepare(struct platform *p, unsigned size)
{
	if (nprepared < 8)
		prepared[nprepared++] = size;
	return 0;
}

static const struct platform_ops fake_ops = {
    .name = "fake",
    .prepare_size = fake_prepare,
};

static uint64_t sizes[] = {64, 1518};
static uint64_t rates[] = {10000};
static char dir[] = "/tmp/mp-test-drive-XXXXXX";

static void setup_run(struct run_cfg *cfg, struct results **res)
{
	struct results_meta meta;

	memset(cfg, 0, sizeof(*cfg));
	cfg->sizes.v = sizes;
	cfg->sizes.n = 2;
	cfg->rates.v = rates;
	cfg->rates.n = 1;
	cfg->duration_ns = 5 * 1000000000ULL;
	cfg->trials = 1;
	cfg->quiet = 1;
	cfg->search = SEARCH_NDR | SEARCH_PDR;
	cfg->pdr_loss = 0.005;
	cfg->precision = 0.01;
	cfg->max_rate = UNITS_RATE_MAX;
	memset(&meta, 0, sizeof(meta));
	strcpy(meta.version, "t");
	strcpy(meta.dut, "fwd");
	strcpy(meta.platform, "local");
	strcpy(meta.status, "running");
	meta.start_ns = 1795000000ULL * 1000000000ULL;
	strcpy(dir, "/tmp/mp-test-drive-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_int_equal(results_open(dir, &meta, cfg, res), 0);
	calls = 0;
	nprepared = 0;
}

static unsigned lines(const char *name)
{
	char path[256], buf[4096];
	unsigned n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(buf, sizeof(buf), f))
		n++;
	fclose(f);
	return n;
}

static int contains(const char *name, const char *text)
{
	char path[256], buf[65536];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return strstr(buf, text) != NULL;
}

static void cleanup(struct results *res)
{
	char cmd[128];

	results_close(res);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_every_size(void **state)
{
	struct point_deps d;
	struct results *res;
	struct run_cfg cfg;
	unsigned i, shorter = 0, full = 0;

	setup_run(&cfg, &res);
	memset(&d, 0, sizeof(d));
	d.cfg = &cfg;
	d.ops = &fake_ops;
	d.res = res;
	assert_int_equal(search_drive(&d), 0);
	assert_int_equal(nprepared, 2);
	assert_int_equal(prepared[0], 64);
	assert_int_equal(prepared[1], 1518);
	/* every trial: a point of stats.csv and a row of trials.csv */
	assert_int_equal(results_count(res), calls);
	assert_int_equal(lines("stats.csv"), calls + 1);
	assert_int_equal(lines("trials.csv"), calls + 1);
	assert_int_equal(lines("search.csv"), 1 + 2 * 2);
	/* bracketing trials of 1 s, bounds from trials of 5 s */
	for (i = 1; i <= calls; i++) {
		shorter += durations[i] == 1000000000ULL;
		full += durations[i] == 5000000000ULL;
	}
	assert_int_equal(shorter + full, calls);
	assert_true(shorter > 0 && full > 0);
	assert_true(contains("search.json", "\"status\": \"complete\""));
	assert_true(contains("search.csv", "\n64,ndr,0,1,none,1,"));
	assert_true(contains("search.csv", "\n1518,pdr,0.5,1,none,1,"));
	cleanup(res);
}

static void test_interrupted_keeps_results(void **state)
{
	struct point_deps d;
	struct results *res;
	struct run_cfg cfg;
	unsigned first;

	/* how many trials the first size takes */
	setup_run(&cfg, &res);
	memset(&d, 0, sizeof(d));
	d.cfg = &cfg;
	d.ops = &fake_ops;
	d.res = res;
	cfg.sizes.n = 1;
	assert_int_equal(search_drive(&d), 0);
	first = calls;
	cleanup(res);

	setup_run(&cfg, &res);
	d.cfg = &cfg;
	d.res = res;
	fail_at = first + 2; /* Ctrl-C during the second size */
	assert_int_equal(search_drive(&d), -EINTR);
	fail_at = 0;
	assert_int_equal(results_count(res), first + 1);
	assert_int_equal(lines("trials.csv"), first + 2);
	/* the first size's result, and the second's so far (not converged) */
	assert_true(contains("search.csv", "\n64,ndr,0,1,none,1,"));
	assert_true(contains("search.json", "\"status\": \"interrupted\""));
	cleanup(res);
}

static void test_bad_params(void **state)
{
	struct point_deps d;
	struct results *res;
	struct run_cfg cfg;

	setup_run(&cfg, &res);
	memset(&d, 0, sizeof(d));
	d.cfg = &cfg;
	d.ops = &fake_ops;
	d.res = res;
	cfg.ndr_loss = 0.01; /* above the PDR's */
	assert_int_equal(search_drive(&d), -EINVAL);
	assert_int_equal(calls, 0);
	cleanup(res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_size),
	    cmocka_unit_test(test_interrupted_keeps_results),
	    cmocka_unit_test(test_bad_params),
	};

	log_init("test_search_drive");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
