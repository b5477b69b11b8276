/* compare on rr runs: points matched by request size, response size and
 * connections; the means of the trials; fewer transactions/s or a higher p99
 * beyond both runs' 95 % confidence intervals by more than PCT % is a
 * regression; points of one run only are left out; runs with nothing in
 * common cannot be compared. */
#include <errno.h>
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

#include "harness/output/rr_compare.h"

static char dir[] = "/tmp/mp-test-rrcmp-XXXXXX";

static int setup(void **state)
{
	strcpy(dir, "/tmp/mp-test-rrcmp-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* A run directory NAME whose rr.csv has these rows: "req,resp,conns,tps,p99". */
static void run(const char *name, const char *rows)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s/rr.csv", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "req_bytes,resp_bytes,conns,tps,lat_p99_us\n%s", rows);
	fclose(f);
}

static int compare(const char *a, const char *b, double pct, char **text)
{
	struct compare_opts o = {.fail_pct = pct, .quiet = 1};
	char pa[256], pb[256];
	size_t len = 0;
	FILE *f = open_memstream(text, &len);
	int rc;

	snprintf(pa, sizeof(pa), "%s/%s", dir, a);
	snprintf(pb, sizeof(pb), "%s/%s", dir, b);
	rc = rr_compare_runs(pa, pb, &o, f);
	fclose(f);
	return rc;
}

static void test_regressions(void **state)
{
	char *text = NULL, path[256];

	/* three trials each; 1/1: same; 64/1024: B's p99 far higher; 1/1 x4: B's rate far lower */
	run("a", "1,1,1,1000,100\n1,1,1,1010,101\n1,1,1,990,99\n"
		 "64,1024,1,800,200\n64,1024,1,810,202\n64,1024,1,790,198\n"
		 "1,1,4,3000,300\n1,1,4,3010,301\n1,1,4,2990,299\n"
		 "9,9,1,5,5\n");
	run("b", "1,1,1,1005,100\n1,1,1,995,102\n1,1,1,1000,99\n"
		 "64,1024,1,800,400\n64,1024,1,805,402\n64,1024,1,795,398\n"
		 "1,1,4,1500,300\n1,1,4,1510,301\n1,1,4,1490,299\n");
	assert_true(rr_compare_is_rr(strcat(strcpy(path, dir), "/a")));
	assert_int_equal(compare("a", "b", 5, &text), 1);
	assert_non_null(strstr(text, "3 compared, 2 beyond noise, 2 regressed by more than 5 %"));
	assert_non_null(strstr(text, "B higher p99  REGRESSION\n"));
	assert_non_null(strstr(text, "B fewer tps  REGRESSION\n"));
	free(text);
	snprintf(path, sizeof(path), "%s/b/compare-vs-a/compare-rr.csv", dir);
	assert_int_equal(access(path, R_OK), 0);
	/* B against itself: nothing */
	assert_int_equal(compare("b", "b", 5, &text), 0);
	assert_non_null(strstr(text, "3 compared, 0 beyond noise, 0 regressed"));
	free(text);
	/* beyond noise, but by less than 150 %: not a regression at that threshold */
	assert_int_equal(compare("a", "b", 150, &text), 0);
	assert_non_null(strstr(text, "3 compared, 2 beyond noise, 0 regressed"));
	free(text);
}

static void test_nothing_in_common(void **state)
{
	char *text = NULL;

	run("a", "1,1,1,1000,100\n");
	run("b", "1,1,2,1000,100\n");
	assert_int_equal(compare("a", "b", -1, &text), -EINVAL);
	free(text);
	/* not what mir-perf writes (the reader is goodput's too: the rest of
	 * what it refuses is in test_goodput_compare.c) */
	run("bad", "1,1,1,1e999,100\n");
	assert_int_equal(compare("a", "bad", -1, &text), -EINVAL);
	free(text);
	assert_int_equal(compare("a", "none", -1, &text), -ENOENT);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_regressions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_in_common, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
