/* The rr mode's files: the client's document read (every transaction
 * accounted, or refused), rr.csv with one complete row per point, rr.json a
 * whole document after every point, the plot's data file with a block per
 * connection count, report.html. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "harness/output/rr_out.h"
#include "harness/output/rr_report.h"
#include "lib/json.h"

static char dir[] = "/tmp/mp-test-rr-XXXXXX";
static int dfd = -1;

static const char doc[] =
    "mir-trafgen: a warning first, on stderr\n"
    "{\"req_bytes\":64,\"resp_bytes\":1024,\"conns\":2,\"warmup_s\":1.000,\"duration_s\":2.000,"
    "\"timeout_s\":2.000,\"seconds\":2.000000,\"started\":1000,\"completed\":990,"
    "\"timed_out\":4,\"failed\":5,\"unfinished\":1,\"warmup_transactions\":300,\"tps\":495.000,"
    "\"latency_ns\":{\"n\":990,\"min\":20000,\"mean\":30250.0,\"p50\":25000,\"p90\":40000,"
    "\"p99\":90000,\"p999\":150000,\"max\":2000000},\"connects\":7,\"cpu_client_pct\":12.50,"
    "\"cpu_server_pct\":10.25,\"server_transactions\":1295,\"interrupted\":false,"
    "\"last_error\":\"\"}\n";

static int setup(void **state)
{
	strcpy(dir, "/tmp/mp-test-rr-XXXXXX");
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	close(dfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static char *slurp(const char *name)
{
	char path[256], *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void test_parse(void **state)
{
	struct rr_result r;
	char text[sizeof(doc)], err[256];
	char *p;

	memcpy(text, doc, sizeof(doc));
	assert_int_equal(rr_result_parse(text, &r, err, sizeof(err)), 0);
	assert_true(r.started == 1000 && r.completed == 990 && r.timed_out == 4 && r.failed == 5);
	assert_true(r.unfinished == 1 && r.warmup_transactions == 300 && r.connects == 7);
	assert_true(r.server_transactions == 1295);
	assert_true(r.lat_p50 == 25000 && r.lat_p999 == 150000 && r.lat_max == 2000000);
	assert_true(r.tps == 495 && r.cpu_server_pct == 10.25);

	/* counts that do not add up are refused, saying so */
	memcpy(text, doc, sizeof(doc));
	p = strstr(text, "\"failed\":5");
	p[9] = '6';
	assert_int_equal(rr_result_parse(text, &r, err, sizeof(err)), -EPROTO);
	assert_string_equal(err, "the client's counts do not add up: 1000 started, 990 completed, "
				 "4 timed out, 6 failed, 1 unfinished");
	/* a missing figure */
	memcpy(text, doc, sizeof(doc));
	p = strstr(text, "\"p99\"");
	p[2] = 'x';
	assert_int_equal(rr_result_parse(text, &r, err, sizeof(err)), -EPROTO);
	assert_string_equal(err, "the client's document has no number 'latency_ns.p99'");
	strcpy(text, "rr client: cannot reach the rr server\n");
	assert_int_equal(rr_result_parse(text, &r, err, sizeof(err)), -EPROTO);
	assert_string_equal(err, "no JSON document in the client's output");
}

static void test_files(void **state)
{
	struct results_meta meta;
	struct table_out *o = NULL;
	struct rr_row row;
	struct json_val *root = NULL;
	const struct json_val *pts;
	char text[sizeof(doc)], err[256], *csv, *json, *dat, *line;
	double v;
	unsigned i;

	memset(&meta, 0, sizeof(meta));
	snprintf(meta.dut, sizeof(meta.dut), "bridge");
	assert_int_equal(rr_out_open(dfd, dir, &meta, &o), 0);
	for (i = 0; i < 3; i++) {
		memset(&row, 0, sizeof(row));
		memcpy(text, doc, sizeof(doc));
		assert_int_equal(rr_result_parse(text, &row.r, err, sizeof(err)), 0);
		row.index = i + 1;
		row.pt.req = i == 1 ? 1 : 64;
		row.pt.resp = i == 1 ? 1 : 1024;
		row.pt.conns = i == 2 ? 4 : 1;
		row.pt.trial = 1;
		row.hop[HOP_DUT_IN].packets = 1300 + i;
		row.hop[HOP_DUT_IN].back_packets = 1290 + i;
		row.r.lat_p50 = 1000.0 * (i + 1);
		assert_int_equal(table_out_add(o, &row), 0);
		/* rr.json is whole after every point */
		json = slurp("rr.json");
		assert_int_equal(json_tree_parse(json, &root, err, sizeof(err)), 0);
		pts = json_member(root, "points");
		assert_non_null(pts);
		assert_int_equal(json_path_num(root, "meta.status", &v), -EINVAL);
		json_tree_free(root);
		free(json);
	}
	assert_int_equal(table_out_count(o), 3);
	csv = slurp("rr.csv");
	line = strtok(csv, "\n");
	assert_non_null(strstr(line, "index,trial,req_bytes,resp_bytes,conns,seconds,tps,"));
	assert_non_null(strstr(line, ",dut_in_packets,dut_in_bytes,dut_in_back_packets,"));
	for (i = 0; i < 3; i++)
		assert_non_null(strtok(NULL, "\n"));
	assert_null(strtok(NULL, "\n"));
	free(csv);
	csv = slurp("rr.csv");
	assert_non_null(strstr(csv, "\n2,1,1,1,1,2.000000,495.000,1000,990,4,5,1,300,20.000,"
				    "30.250,2.000,40.000,90.000,150.000,2000.000,7,1295,12.50,10.25,"));
	free(csv);
	assert_int_equal(table_out_finish(o, "complete", 0), 0);
	json = slurp("rr.json");
	assert_non_null(strstr(json, "\"status\": \"complete\""));
	assert_non_null(strstr(json, "\"back_packets\": 1291"));
	free(json);
	/* no templates: nothing; templates without ours: the data file, then an error */
	assert_int_equal(rr_out_plot(o, NULL), 0);
	assert_true(rr_out_plot(o, "/nonexistent") < 0);
	dat = slurp("plots/rr.dat");
	/* a block per connection count, a row per size: ordinal, label, p50 (means) */
	assert_non_null(strstr(dat, "\n0 64/1024 1.000 40.000 90.000 150.000 2000.000\n"
				    "1 1 2.000 40.000 90.000 150.000 2000.000\n"
				    "\n\n0 64/1024 3.000 "));
	free(dat);
	assert_int_equal(rr_report_write(o), 0);
	json = slurp("report.html");
	assert_non_null(strstr(json, "TCP request/response through the DUT"));
	assert_non_null(strstr(json, "<td>1301 / 1291</td>"));
	free(json);
	table_out_close(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test_setup_teardown(test_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
