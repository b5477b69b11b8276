/* The results writers: golden stats and stats.csv for fixed input, stats.json
 * always a complete document, rows only ever complete. */
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
#include <cmocka.h>

#include "harness/output/results.h"
#include "lib/units.h"

static uint64_t sizes[] = {64, 1518};
static uint64_t rates[] = {100000, UNITS_RATE_MAX};
static struct run_cfg cfg;
static struct results_meta meta;
static char dir[] = "/tmp/mp-test-results-XXXXXX";

static int setup(void **state)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.sizes.v = sizes;
	cfg.sizes.n = 2;
	snprintf(cfg.sizes.origin, sizeof(cfg.sizes.origin), "cfg/range-psz");
	cfg.rates.v = rates;
	cfg.rates.n = 2;
	snprintf(cfg.rates.origin, sizeof(cfg.rates.origin), "--rates");
	cfg.duration_ns = 10000000000ULL;
	cfg.warmup_ns = 2000000000ULL;
	cfg.settle_ns = 1000000000ULL;
	cfg.interval_ns = 100000000ULL;
	cfg.trials = 1;
	cfg.flows = 1;

	memset(&meta, 0, sizeof(meta));
	strcpy(meta.version, "v1.0-test");
	strcpy(meta.kernel, "Linux 6.1.0-test x86_64");
	strcpy(meta.cpu, "Test CPU @ 2.00GHz");
	strcpy(meta.library, "mirage-net-xen");
	strcpy(meta.commit, "0123456789abcdef0123456789abcdef01234567");
	strcpy(meta.dut, "fwd");
	strcpy(meta.platform, "local");
	meta.start_ns = 1795000000ULL * 1000000000ULL; /* 2026-11-18T11:06:40Z */
	strcpy(meta.status, "running");
	strcpy(dir, "/tmp/mp-test-results-XXXXXX");
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

static void point(struct results_point *p, unsigned index, uint32_t size, uint64_t target,
		  double offered, uint64_t sent, uint64_t received)
{
	unsigned h;

	memset(p, 0, sizeof(*p));
	p->index = index;
	p->trial = 1;
	p->size = size;
	p->target_pps = target;
	p->offered_pps = offered;
	p->window_ns = 10000000000ULL;
	p->sent = sent;
	p->received = received;
	p->lost = sent - received;
	for (h = 0; h < HOP_COUNT; h++) {
		p->hop[h].packets = h < HOP_DUT_OUT ? sent : received;
		p->hop[h].pps = h < HOP_DUT_OUT ? offered : offered * (double)received / sent;
	}
	p->hop[HOP_DUT_IN].dropped = sent - received;
	p->lat_min_us = 5;
	p->lat_mean_us = 14.25;
	p->lat_p50_us = 12.5;
	p->lat_p90_us = 20;
	p->lat_p99_us = 48.75;
	p->lat_p999_us = 90;
	p->lat_max_us = 120;
	p->settled = 1;
	p->agent_offered_pps = offered;
	p->gen_point_pps = offered;
}

static char *slurp(const char *name)
{
	char path[128];
	char *buf;
	FILE *f;
	long n;

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

static const char golden_stats[] =
    "# mir-perf v1.0-test\n"
    "# library mirage-net-xen  commit 0123456789abcdef0123456789abcdef01234567  dut fwd  "
    "platform local\n"
    "# date 2026-11-18T11:06:40Z  kernel Linux 6.1.0-test x86_64  cpu Test CPU @ 2.00GHz\n"
    "# size: frame with FCS; pps: frames per second (target: asked, offered: really sent);\n"
    "# offered, DUT in/out, sink rx: kernel counters of gen eth0 tx, tap0 tx, tap1 rx, sink eth1 "
    "rx, all in one window;\n"
    "# Mbit/s: sink rx at layer 2 with FCS; loss: (sent - received) / sent; latency: one way\n"
    "# size     target    offered     DUT in    DUT out    sink rx      sink     loss   lat p50 "
    "  lat p99\n"
    "#    B        pps        pps        pps        pps        pps    Mbit/s        %        us "
    "       us\n"
    "    64     100000      99998      99998      99998      99998     51.20    0.000      12.5 "
    "     48.8\n"
    "    64        max     452000     452000     406800     406800    208.28   10.000      12.5 "
    "     48.8\n"
    "  1518        max      81000      81000      81000      81000    983.66    0.000      12.5 "
    "     48.8\n"
    "   512        200          0          0          0          0      0.00        -         - "
    "        -\n"
    "# ! point 4: generator failed: 18076 send errors; offered 0 of 200 pps\n"
    "# complete 2026-11-18T11:07:20Z, 4 points\n"
    "# highest loss-free rate at 64 B: 99998 pps (51.20 Mbit/s)\n"
    "# knee at 64 B: between 100.0 kpps (loss-free) and 452 kpps offered (10.000 % lost); the "
    "most it forwarded: 407 kpps; the generator's top: 452 kpps (max)\n"
    "# highest loss-free rate at 1518 B: 81000 pps (983.66 Mbit/s); a lower bound: no faster "
    "point lost frames\n"
    "# knee at 1518 B: beyond 81.0 kpps: no rate offered lost frames, up to the generator's "
    "top (max); the generator, not the DUT, is the limit here\n"
    "# highest loss-free rate at 512 B: none\n"
    "# knee at 512 B: not measured: the generator failed at every point of this size (1)\n"
    "# the generator failed at 1 point (first: point 4): their loss is not computed and no "
    "summary counts them\n";

static const char golden_csv[] =
    "point,trial,size,target_pps,offered_pps,window_s,sent,send_errors,received,lost,"
    "reordered,duplicated,sink_ring_drops,loss_pct,sink_mbps,gen_tx_pps,dut_in_pps,"
    "dut_out_pps,sink_rx_pps,gen_tx_pkts,gen_tx_drops,dut_in_pkts,dut_in_drops,"
    "dut_out_pkts,dut_out_drops,sink_rx_pkts,sink_rx_drops,lat_min_us,lat_mean_us,"
    "lat_p50_us,lat_p90_us,lat_p99_us,lat_p999_us,lat_max_us,settled,agent_offered_pps,flags,"
    "dut_stopped_after,rate,gen_point_pps\n"
    "1,1,64,100000,99998.0,10.000,1199976,0,1199976,0,0,0,0,0.000000,51.199,99998.0,"
    "99998.0,99998.0,99998.0,1199976,0,1199976,0,1199976,0,1199976,0,5.0,14.2,12.5,20.0,"
    "48.8,90.0,120.0,1,99998.0,,0,100000,99998.0\n"
    "2,1,64,max,452000.0,10.000,5424000,0,4881600,542400,0,0,0,10.000000,208.282,"
    "452000.0,452000.0,406800.0,406800.0,5424000,0,5424000,542400,4881600,0,4881600,0,"
    "5.0,14.2,12.5,20.0,48.8,90.0,120.0,1,452000.0,,0,max,452000.0\n"
    "3,1,1518,max,81000.0,10.000,972000,0,972000,0,0,0,0,0.000000,983.664,81000.0,"
    "81000.0,81000.0,81000.0,972000,0,972000,0,972000,0,972000,0,5.0,14.2,12.5,20.0,"
    "48.8,90.0,120.0,1,81000.0,,0,max,81000.0\n"
    "4,1,512,200,0.0,10.000,1,18076,0,1,0,0,0,-,0.000,0.0,0.0,0.0,0.0,1,0,1,1,0,0,0,0,5.0,14.2,"
    "12.5,20.0,48.8,90.0,120.0,1,0.0,gen_failed,0,200,0.0\n";

static void test_golden(void **state)
{
	struct results_point p;
	struct results *r;
	char *s;

	assert_int_equal(results_open(dir, &meta, &cfg, &r), 0);
	point(&p, 1, 64, 100000, 99998, 1199976, 1199976);
	assert_int_equal(results_add(r, &p), 0);
	point(&p, 2, 64, UNITS_RATE_MAX, 452000, 5424000, 4881600);
	assert_int_equal(results_add(r, &p), 0);
	point(&p, 3, 1518, UNITS_RATE_MAX, 81000, 972000, 972000);
	assert_int_equal(results_add(r, &p), 0);
	/* the Xen run of issue 16: the generator's sends failed; not a 100 % loss */
	point(&p, 4, 512, 200, 0, 1, 0);
	p.send_errors = 18076;
	p.flags = RESULTS_GEN_FAILED;
	assert_int_equal(results_add(r, &p), 0);
	assert_true(isnan(results_loss_pct(&p)));
	assert_false(results_loss_free(&p));
	assert_null(results_best(r, 512));
	assert_int_equal(results_finish(r, "complete", meta.start_ns + 40000000000ULL), 0);
	results_close(r);

	s = slurp("stats");
	assert_string_equal(s, golden_stats);
	free(s);
	s = slurp("stats.csv");
	assert_string_equal(s, golden_csv);
	free(s);
}

static void test_json_always_complete(void **state)
{
	struct results_point p;
	struct results *r;
	struct stat st;
	char path[128];
	char *s;

	assert_int_equal(results_open(dir, &meta, &cfg, &r), 0);
	/* valid before the first point */
	s = slurp("stats.json");
	assert_non_null(strstr(s, "\"status\": \"running\""));
	assert_non_null(strstr(s, "\"end\": null"));
	assert_non_null(strstr(s, "\"points\": []"));
	assert_non_null(strstr(s, "\"rates\": [\n      100000,\n      \"max\"\n    ]"));
	free(s);
	point(&p, 1, 64, 100000, 99998, 1199976, 1199970);
	assert_int_equal(results_add(r, &p), 0);
	s = slurp("stats.json");
	assert_non_null(strstr(s, "\"offered_pps\": 99998.0"));
	assert_non_null(strstr(s, "\"loss_free\": false"));
	/* the only point lost frames: no loss-free rate for its size */
	assert_non_null(strstr(s, "\"offered_pps\": null"));
	assert_non_null(strstr(s, "\"lower_bound\": false"));
	assert_non_null(strstr(s, "\"dut_in\": {\n"));
	assert_non_null(strstr(s, "\"kernel\": \"Linux 6.1.0-test x86_64\""));
	assert_non_null(strstr(s, "\"commit\": \"0123456789abcdef0123456789abcdef01234567\""));
	free(s);
	/* millions of pps and latencies of seconds keep every digit */
	point(&p, 2, 64, UNITS_RATE_MAX, 12345678.9, 148148146, 148148146);
	p.lat_p99_us = 1107296.25;
	assert_int_equal(results_add(r, &p), 0);
	s = slurp("stats.json");
	assert_non_null(strstr(s, "\"offered_pps\": 12345678.9,"));
	assert_non_null(strstr(s, "\"p99\": 1107296.250,"));
	/* ends with the closing brace of the document: never half written */
	assert_string_equal(s + strlen(s) - 3, "]\n}\n" + 1);
	free(s);
	/* the temporary file never stays behind */
	snprintf(path, sizeof(path), "%s/stats.json.tmp", dir);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(results_finish(r, "interrupted", meta.start_ns + 1000000000ULL), 0);
	s = slurp("stats.json");
	assert_non_null(strstr(s, "\"status\": \"interrupted\""));
	assert_non_null(strstr(s, "\"end\": \"2026-11-18T11:06:41Z\""));
	free(s);
	results_close(r);
}

static void test_derived(void **state)
{
	struct results_point p;

	point(&p, 1, 64, 100000, 100000, 1000000, 999999);
	assert_true(results_loss_free(&p)); /* one in a million */
	p.received = 999998;
	assert_false(results_loss_free(&p));
	p.sent = 0;
	p.received = 0;
	assert_false(results_loss_free(&p)); /* nothing sent proves nothing */
	/* received above sent (duplicates) is no negative loss */
	p.sent = 10;
	p.received = 11;
	assert_true(results_loss_pct(&p) == 0.0);
}

static void test_unwritable_dir(void **state)
{
	struct results *r = NULL;

	assert_int_equal(results_open("/nonexistent/mp-test", &meta, &cfg, &r), -ENOENT);
	assert_null(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_golden, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json_always_complete, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_derived, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unwritable_dir, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
