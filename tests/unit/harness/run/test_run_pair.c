/* Two runs and their comparison, with a stand-in for run_execute that writes
 * a search result whose NDR depends on the DUT or commit it was given. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "harness/run/run_pair.h"
#include "lib/log.h"

static char root[] = "/tmp/mp-test-pair-XXXXXX";
static char ran[2][PATH_MAX];
static char ran_what[2][64];
static unsigned runs;
static int fail_run; /* 1-based run that fails with -EINTR */
static char outbuf[16384];

static int fake_execute(const struct run_cfg *cfg)
{
	char path[PATH_MAX + 32];
	double ndr = strstr(cfg->dut, "slow") || !strcmp(cfg->commit, "bbbbbbb") ? 50000 : 100000;
	FILE *f;

	runs++;
	if ((int)runs == fail_run)
		return -EINTR;
	snprintf(ran[runs - 1], sizeof(ran[0]), "%s", cfg->out_dir);
	snprintf(ran_what[runs - 1], sizeof(ran_what[0]), "%.30s%.30s", cfg->dut, cfg->commit);
	if (mkdir(cfg->out_dir, 0755))
		return -errno;
	snprintf(path, sizeof(path), "%s/search.csv", cfg->out_dir);
	f = fopen(path, "w");
	fprintf(f,
		"size,target,loss_tolerance_pct,found,limit,lower_pps,upper_pps\n"
		"64,ndr,0,1,none,%.1f,%.1f\n",
		ndr * 0.995, ndr * 1.004);
	fclose(f);
	snprintf(path, sizeof(path), "%s/search.json", cfg->out_dir);
	f = fopen(path, "w");
	fprintf(f, "{\"platform\": \"local\", \"dut\": \"%s\"}\n", cfg->dut);
	fclose(f);
	return 0;
}

static void fake_name(char *buf, size_t len, const struct run_cfg *cfg, uint64_t t)
{
	snprintf(buf, len, "%s-%s-T", cfg->library[0] ? cfg->library : "exec",
		 cfg->commit[0] ? cfg->commit : "local");
}

static const struct run_pair_ops ops = {.execute = fake_execute, .dir_name = fake_name};

static void base_cfg(struct run_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->platform = PLATFORM_LOCAL;
	c->quiet = 1;
	snprintf(c->dut, sizeof(c->dut), "exec:fast");
	c->dut_kind = RUN_DUT_EXEC;
	snprintf(c->results_dir, sizeof(c->results_dir), "%s/results", root);
}

static int pair(const struct run_cfg *c, const char *commit_b, const char *dut_b)
{
	FILE *f;
	int rc;

	memset(outbuf, 0, sizeof(outbuf));
	f = fmemopen(outbuf, sizeof(outbuf), "w");

	runs = 0;
	rc = run_pair(c, commit_b, dut_b, &ops, f);
	fclose(f);
	return rc;
}

static void test_dut_pair(void **state)
{
	struct run_cfg c;
	char want[PATH_MAX];

	base_cfg(&c);
	assert_int_equal(pair(&c, NULL, "exec:slow"), 0);
	assert_int_equal(runs, 2);
	assert_string_equal(ran_what[0], "exec:fast");
	assert_string_equal(ran_what[1], "exec:slow");
	/* same name for both: told apart */
	snprintf(want, sizeof(want), "%s/results/exec-local-T-a", root);
	assert_string_equal(ran[0], want);
	snprintf(want, sizeof(want), "%s/results/exec-local-T-b", root);
	assert_string_equal(ran[1], want);
	assert_non_null(strstr(outbuf, "yes, B lower"));
	assert_non_null(strstr(outbuf, "-50.0 %"));
}

static void test_commit_pair_out_dir(void **state)
{
	struct run_cfg c;
	char want[PATH_MAX];

	base_cfg(&c);
	c.platform = PLATFORM_XEN;
	c.dut[0] = '\0';
	c.dut_kind = RUN_DUT_LIBRARY;
	snprintf(c.library, sizeof(c.library), "mirage-net-xen");
	snprintf(c.commit, sizeof(c.commit), "aaaaaaa");
	snprintf(c.out_dir, sizeof(c.out_dir), "%s/pair", root);
	assert_int_equal(pair(&c, "bbbbbbb", NULL), 0);
	assert_string_equal(ran_what[0], "aaaaaaa");
	assert_string_equal(ran_what[1], "bbbbbbb");
	snprintf(want, sizeof(want), "%s/pair/a", root);
	assert_string_equal(ran[0], want);
	snprintf(want, sizeof(want), "%s/pair/b", root);
	assert_string_equal(ran[1], want);
	assert_non_null(strstr(outbuf, "yes, B lower"));
}

static void test_first_fails_no_second(void **state)
{
	struct run_cfg c;

	base_cfg(&c);
	snprintf(c.out_dir, sizeof(c.out_dir), "%s/p2", root);
	fail_run = 1;
	assert_int_equal(pair(&c, NULL, "exec:slow"), -EINTR);
	fail_run = 0;
	assert_int_equal(runs, 1);
	assert_string_equal(outbuf, "");
}

static void test_second_dut_other_platform(void **state)
{
	struct run_cfg c;

	base_cfg(&c);
	assert_int_equal(pair(&c, NULL, "linux-fwd"), -EINVAL);
	assert_int_equal(runs, 0);
}

static int setup(void **state)
{
	log_init("test_run_pair");
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
	    cmocka_unit_test(test_dut_pair),
	    cmocka_unit_test(test_commit_pair_out_dir),
	    cmocka_unit_test(test_first_fails_no_second),
	    cmocka_unit_test(test_second_dut_other_platform),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
