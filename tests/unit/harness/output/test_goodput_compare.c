/* compare on goodput runs: points matched by protocol, streams, write size
 * and UDP target; the mean of the trials; lower goodput beyond both runs'
 * 95 % confidence intervals by more than PCT % is a regression; points of one
 * run only are left out; runs with nothing in common cannot be compared, nor
 * runs whose iperf3 server was in different places (goodput.json's
 * meta.server; a run without the key had it behind the DUT). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/output/goodput_compare.h"

static char dir[] = "/tmp/mp-test-gpcmp-XXXXXX";

static int setup(void **state)
{
	strcpy(dir, "/tmp/mp-test-gpcmp-XXXXXX");
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

/* A run directory NAME whose goodput.csv has these rows (after the header). */
static void run(const char *name, const char *rows)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s/goodput.csv", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "index,trial,protocol,streams,bufsz,target_bps,goodput_mbps,retransmits\n%s",
		rows);
	fclose(f);
}

/* NAME's goodput.json: its meta with "server": server, or no such key
 * (NULL: a run written before the key was). */
static void json_of(const char *name, const char *server)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/goodput.json", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "{\n  \"mode\": \"goodput\",\n  \"meta\": {\n    \"version\": \"v1\",\n"
		   "    \"status\": \"complete\"%s%s%s\n  },\n  \"points\": []\n}\n",
		server ? ",\n    \"server\": \"" : "", server ? server : "", server ? "\"" : "");
	fclose(f);
}

static int compare(const char *a, const char *b, double pct, char **text)
{
	struct compare_opts o = {.fail_pct = pct, .quiet = 1};
	char pa[256], pb[256], out[256];
	size_t len = 0;
	FILE *f = open_memstream(text, &len);
	int rc;

	snprintf(pa, sizeof(pa), "%s/%s", dir, a);
	snprintf(pb, sizeof(pb), "%s/%s", dir, b);
	snprintf(out, sizeof(out), "%s/cmp", dir);
	o.out_dir = out;
	rc = goodput_compare_runs(pa, pb, &o, f);
	fclose(f);
	return rc;
}

static void test_regression(void **state)
{
	char *text = NULL;

	run("a", "1,1,tcp,1,1460,0,100.0,0\n2,2,tcp,1,1460,0,102.0,0\n3,3,tcp,1,1460,0,98.0,0\n"
		 "4,1,udp,1,1200,10000000,9.9,0\n5,1,tcp,4,1460,0,50,0\n");
	/* TCP 1460 down 20 %, far beyond the trials' spread; UDP the same; tcp 4
	 * streams only in A; udp 8192 only in B */
	run("b", "1,1,tcp,1,1460,0,80.0,0\n2,2,tcp,1,1460,0,81.0,0\n3,3,tcp,1,1460,0,79.0,0\n"
		 "4,1,udp,1,1200,10000000,9.9,0\n5,1,udp,1,8192,10000000,9.0,0\n");
	assert_int_equal(compare("a", "b", 5, &text), 1);
	assert_non_null(strstr(text, "tcp   1    1460       -         100.00 +- 4.97 (3)      "
				     "80.00 +- 2.48 (3)    -20.0%  yes, B lower  REGRESSION\n"));
	assert_non_null(strstr(text, "udp   1    1200   10.0M"));
	assert_non_null(strstr(text, "2 compared, 1 beyond noise, 1 regressed"));
	free(text);
	/* B against A: higher, no regression */
	assert_int_equal(compare("b", "a", 5, &text), 0);
	assert_non_null(strstr(text, "yes, B higher\n"));
	free(text);
	/* beyond noise but within 25 %: no regression at 25 % */
	assert_int_equal(compare("a", "b", 25, &text), 0);
	free(text);
}

static void test_nothing_in_common(void **state)
{
	char *text = NULL;

	run("a", "1,1,tcp,1,1460,0,100.0,0\n");
	run("c", "1,1,tcp,1,64,0,10.0,0\n");
	assert_int_equal(compare("a", "c", -1, &text), -EINVAL);
	free(text);
	run("bad", "1,1,sctp,1,1460,0,100.0,0\n");
	assert_int_equal(compare("a", "bad", -1, &text), -EINVAL);
	free(text);
}

/* compare a b refused with status want (and a line on stderr). */
static void refused(const char *a, const char *b, int want)
{
	char *text = NULL;

	assert_int_equal(compare(a, b, -1, &text), want);
	free(text);
}

/* Files that are not what mir-perf writes are refused (said on stderr): a
 * field that is not a number, a row cut short, a header without a column
 * compare needs; a run without goodput.csv cannot be opened. The reader
 * (csvread.h's csv_walk) is rr's too. */
static void test_bad_files(void **state)
{
	char path[256];
	FILE *f;

	run("a", "1,1,tcp,1,1460,0,100.0,0\n");
	run("num", "1,1,tcp,one,1460,0,100.0,0\n");
	refused("a", "num", -EINVAL);
	run("short", "1,1,tcp,1,1460\n");
	refused("a", "short", -EINVAL);
	run("nocol", "");
	snprintf(path, sizeof(path), "%s/nocol/goodput.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("index,trial,protocol,streams,bufsz,target_bps,retransmits\n", f);
	fclose(f);
	refused("nocol", "a", -EINVAL);
	refused("a", "none", -ENOENT);
}

/* compare a b with stderr caught into *err (free it). */
static int compare_err(const char *a, const char *b, char **text, char **err)
{
	char path[256];
	int saved, fd, rc;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(saved >= 0 && fd >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	close(fd);
	rc = compare(a, b, -1, text);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	*err = calloc(1, (size_t)n + 1);
	assert_non_null(*err);
	assert_int_equal(fread(*err, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return rc;
}

static unsigned lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The DUT as the server measures its stack, behind it its forwarding: two
 * runs that differ in it are refused (status 2: -EINVAL), in one line that
 * names both directories and both servers, with nothing written. A run
 * without the key (written before it was) is a sink run; the same server
 * compares. A meta.server that is not sink or dut, or a goodput.json that is
 * not JSON, is not what mir-perf writes: refused. */
static void test_server_differs(void **state)
{
	static const char rows[] = "1,1,tcp,1,1460,0,100.0,0\n";
	char *text = NULL, *err = NULL, want[512], out[256];

	run("sink", rows);
	json_of("sink", "sink");
	run("dut", rows);
	json_of("dut", "dut");
	run("dut2", rows);
	json_of("dut2", "dut");
	run("old", rows); /* before the key */
	json_of("old", NULL);
	run("nojson", rows);

	assert_int_equal(compare_err("sink", "dut", &text, &err), -EINVAL);
	assert_int_equal(lines(err), 1);
	snprintf(want, sizeof(want),
		 "cannot compare %s/sink with %s/dut: iperf3's server differs (server sink, "
		 "server dut): one run measures the DUT forwarding, the other the DUT's own "
		 "stack\n",
		 dir, dir);
	assert_non_null(strstr(err, want));
	assert_string_equal(text, ""); /* no table */
	free(text);
	free(err);
	snprintf(out, sizeof(out), "%s/cmp", dir);
	assert_int_equal(access(out, F_OK), -1);

	/* the other way, and against runs without the key: those are sink */
	assert_int_equal(compare_err("dut", "old", &text, &err), -EINVAL);
	assert_int_equal(lines(err), 1);
	assert_non_null(strstr(err, "(server dut, server sink)"));
	free(text);
	free(err);
	assert_int_equal(compare_err("nojson", "dut", &text, &err), -EINVAL);
	assert_non_null(strstr(err, "(server sink, server dut)"));
	free(text);
	free(err);

	/* the same server compares: dut with dut, sink with a run before the key */
	assert_int_equal(compare_err("dut", "dut2", &text, &err), 0);
	assert_string_equal(err, "");
	assert_non_null(strstr(text, "1 compared, 0 beyond noise"));
	free(text);
	free(err);
	assert_int_equal(compare_err("old", "sink", &text, &err), 0);
	assert_non_null(strstr(text, "1 compared"));
	free(text);
	free(err);
	assert_int_equal(compare_err("sink", "nojson", &text, &err), 0);
	free(text);
	free(err);

	/* not what mir-perf writes */
	run("odd", rows);
	json_of("odd", "client");
	assert_int_equal(compare_err("sink", "odd", &text, &err), -EINVAL);
	assert_int_equal(lines(err), 1);
	assert_non_null(strstr(err, "odd/goodput.json: meta.server: expected"));
	free(text);
	free(err);
	run("cut", rows);
	{
		char path[256];
		FILE *f;

		snprintf(path, sizeof(path), "%s/cut/goodput.json", dir);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs("{\"mode\": \"goodput\", \"meta\": {\"server\": \"si", f);
		fclose(f);
	}
	assert_int_equal(compare_err("cut", "sink", &text, &err), -EINVAL);
	assert_int_equal(lines(err), 1);
	assert_non_null(strstr(err, "cut/goodput.json: not a goodput run's document"));
	free(text);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_regression, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_in_common, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_server_differs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
