/* Every file the output writers make, byte for byte, for one fixed set of
 * points (tests/golden/output/): stats, stats.csv, stats.json, points.dat,
 * loss_free.dat, stats-trials{,.csv}, report.html, compare's files and table, search's
 * goodput's and rr's files. The points reach every branch of every column's
 * formatting: an N% rate, "max", a generator failure (NaN loss), nothing
 * received (no latency), a stopped DUT, repeated trials.
 * MP_GOLDEN_UPDATE=1 rewrites the golden files (review git diff after). */
#include <errno.h>
#include <fcntl.h>
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
#include "harness/output/goodput_compare.h"
#include "harness/output/goodput_out.h"
#include "harness/output/goodput_report.h"
#include "harness/output/plots.h"
#include "harness/output/report.h"
#include "harness/output/results.h"
#include "harness/output/rr_compare.h"
#include "harness/output/rr_out.h"
#include "harness/output/rr_report.h"
#include "harness/output/search_out.h"
#include "harness/output/trials_summary.h"
#include "lib/units.h"

static char root[] = "/tmp/mp-test-golden-XXXXXX";
static uint64_t sizes[] = {64, 1518};
static uint64_t rates[] = {RUN_RATE_PCT(50), 100000, UNITS_RATE_MAX};
static struct run_cfg cfg;
static struct results_meta meta;

static void meta_init(void)
{
	memset(&meta, 0, sizeof(meta));
	strcpy(meta.version, "v9.9-golden");
	strcpy(meta.kernel, "Linux 6.1.0-test x86_64");
	strcpy(meta.cpu, "Test CPU @ 2.00GHz");
	strcpy(meta.library, "mirage-net-xen");
	strcpy(meta.commit, "0123456789abcdef0123456789abcdef01234567");
	strcpy(meta.dut, "fwd");
	strcpy(meta.platform, "local");
	strcpy(meta.backend, "auto");
	strcpy(meta.generator, "1 thread, auto");
	meta.gen_threads = 1;
	meta.start_ns = 1795000000ULL * 1000000000ULL;
	strcpy(meta.status, "running");
}

static void cfg_init(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.sizes.v = sizes;
	cfg.sizes.n = 2;
	snprintf(cfg.sizes.origin, sizeof(cfg.sizes.origin), "--sizes");
	cfg.rates.v = rates;
	cfg.rates.n = 3;
	snprintf(cfg.rates.origin, sizeof(cfg.rates.origin), "--rates");
	cfg.duration_ns = 10000000000ULL;
	cfg.warmup_ns = 2000000000ULL;
	cfg.settle_ns = 1000000000ULL;
	cfg.interval_ns = 100000000ULL;
	cfg.trials = 2;
	cfg.flows = 4;
	cfg.gen_threads = 1;
}

static void point(struct results_point *p, unsigned index, unsigned trial, uint32_t size,
		  uint64_t target, double offered, uint64_t sent, uint64_t received)
{
	unsigned h;

	memset(p, 0, sizeof(*p));
	p->index = index;
	p->trial = trial;
	p->size = size;
	p->target_pps = target;
	p->offered_pps = offered;
	p->window_ns = 10000000000ULL + index * 1234567ULL;
	p->sent = sent;
	p->received = received;
	p->lost = sent > received ? sent - received : 0;
	p->reordered = index;
	p->duplicated = index / 2;
	p->ring_drops = index % 3;
	p->send_errors = index % 2;
	for (h = 0; h < HOP_COUNT; h++) {
		p->hop[h].packets = (h < HOP_DUT_OUT ? sent : received) + h;
		p->hop[h].dropped = h * index;
		p->hop[h].pps =
		    h < HOP_DUT_OUT ? offered : offered * (double)received / (double)sent;
	}
	p->lat_min_us = 5.125 * trial;
	p->lat_mean_us = 14.25 + index;
	p->lat_p50_us = 12.55;
	p->lat_p90_us = 20.05 + index;
	p->lat_p99_us = 48.75;
	p->lat_p999_us = 90.5;
	p->lat_max_us = 120 + index * 1.0625;
	p->settled = index != 3;
	p->agent_offered_pps = offered * 0.999;
	p->gen_point_pps = offered * 1.001;
}

/* A frames run: trials 2 of each of size x rate, the odd cases among them. */
static void frames_run(const char *name, double scale)
{
	char dir[256];
	struct results_point p;
	struct results *r;
	unsigned i = 0, t, s;

	snprintf(dir, sizeof(dir), "%s/%s", root, name);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(results_open(dir, &meta, &cfg, &r), 0);
	results_set_backend(r, "af_packet");
	for (s = 0; s < 2; s++)
		for (t = 1; t <= 2; t++) {
			uint32_t size = (uint32_t)sizes[s];
			double top = (size == 64 ? 452000.0 : 81000.0) * scale;

			point(&p, ++i, t, size, (uint64_t)(top / 2), top / 2 + t,
			      (uint64_t)(top * 5), (uint64_t)(top * 5));
			p.plan_rate = RUN_RATE_PCT(50);
			assert_int_equal(results_add(r, &p), 0);
			point(&p, ++i, t, size, 100000, size == 64 ? 99998.5 - t : top, 1199976,
			      1199976 - (size == 64 ? 0 : 12 * t));
			assert_int_equal(results_add(r, &p), 0);
			point(&p, ++i, t, size, UNITS_RATE_MAX, top + 0.25 * t,
			      (uint64_t)(top * 10), (uint64_t)(top * 9));
			if (size == 1518 && t == 2) {
				p.flags = RESULTS_DUT_STOPPED | RESULTS_RATE_ORDER;
				p.order_hop = HOP_DUT_OUT;
				p.dut_stopped_after = 4242;
				p.dut_in_since_stop = 77;
			}
			assert_int_equal(results_add(r, &p), 0);
		}
	/* the generator failed: no loss, no latency */
	point(&p, ++i, 1, 512, 200, 0, 1, 0);
	p.send_errors = 18076;
	p.flags = RESULTS_GEN_FAILED | RESULTS_AGENT_DIFFERS;
	assert_int_equal(results_add(r, &p), 0);
	/* nothing received: the latency columns say so */
	point(&p, ++i, 1, 9000, 1000, 1000, 10000, 0);
	assert_int_equal(results_add(r, &p), 0);
	/* plots without gnuplot's templates: points.dat and loss_free.dat stay */
	plots_render(r, "/nonexistent-mp-templates");
	assert_int_equal(trials_summary_write(r, NULL), 0);
	assert_int_equal(results_finish(r, "complete", meta.start_ns + 40000000000ULL), 0);
	assert_int_equal(report_write(r), 0);
	results_close(r);
}

static void search_files(const char *name)
{
	char dir[256];
	struct search_params p;
	struct search_out *o = NULL;
	struct search_result res;
	struct search_rec rec;
	int fd;

	snprintf(dir, sizeof(dir), "%s/%s", root, name);
	assert_int_equal(mkdir(dir, 0755), 0);
	search_params_default(&p);
	p.repeats = 3;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(search_out_open(fd, dir, &meta, &p, &o), 0);
	close(fd);
	memset(&rec, 0, sizeof(rec));
	rec.index = 1;
	rec.size = 64;
	rec.rate = UNITS_RATE_MAX;
	rec.duration_ns = 1000000000;
	rec.t.offered_pps = 1e6;
	rec.t.sent = 1000000;
	rec.t.received = 100000;
	rec.loss_ratio = 0.9;
	rec.rx_pps = 1e5;
	rec.start_ns = 123456789;
	assert_int_equal(search_out_trial(o, &rec, 7), 0);
	memset(&res, 0, sizeof(res));
	res.size = 64;
	res.top_pps = 1e6;
	res.trials = 6;
	res.elapsed_ns = 61500000000ULL;
	res.b[SEARCH_T_NDR].found = 1;
	res.b[SEARCH_T_NDR].converged = 1;
	res.b[SEARCH_T_NDR].lower_pps = 99000;
	res.b[SEARCH_T_NDR].upper_pps = 99900;
	res.b[SEARCH_T_NDR].rx.n = 3;
	res.b[SEARCH_T_NDR].rx.mean = 99000;
	res.b[SEARCH_T_NDR].rx.stddev = 12.5;
	res.b[SEARCH_T_NDR].rx.min = 98980;
	res.b[SEARCH_T_NDR].rx.max = 99020;
	res.b[SEARCH_T_NDR].rx.ci_lo = 98950;
	res.b[SEARCH_T_NDR].rx.ci_hi = 99050;
	res.b[SEARCH_T_NDR].repeats_ok = 3;
	res.b[SEARCH_T_PDR] = res.b[SEARCH_T_NDR];
	res.b[SEARCH_T_PDR].lower_pps = 99500;
	res.b[SEARCH_T_PDR].lower_loss = 0.001;
	assert_int_equal(search_out_result(o, &res), 0);
	/* 1518: generator-limited NDR (no upper bound), no PDR found, no repeats */
	rec.index = 2;
	rec.size = 1518;
	rec.rate = 81000;
	rec.purpose = SEARCH_P_COUNT - 1;
	rec.t.offered_pps = 80999.5;
	rec.t.sent = 81000;
	rec.t.received = 81000;
	rec.loss_ratio = 0;
	rec.rx_pps = 80999.5;
	assert_int_equal(search_out_trial(o, &rec, 0), 0);
	memset(&res, 0, sizeof(res));
	res.size = 1518;
	res.top_pps = 81000;
	res.trials = 2;
	res.elapsed_ns = 2500000000ULL;
	res.b[SEARCH_T_NDR].found = 1;
	res.b[SEARCH_T_NDR].converged = 1;
	res.b[SEARCH_T_NDR].limit = SEARCH_LIMIT_GENERATOR;
	res.b[SEARCH_T_NDR].lower_pps = 81000;
	res.b[SEARCH_T_NDR].rx.ci_lo = NAN;
	res.b[SEARCH_T_NDR].rx.ci_hi = NAN;
	res.b[SEARCH_T_PDR] = res.b[SEARCH_T_NDR];
	res.b[SEARCH_T_PDR].found = 0;
	res.b[SEARCH_T_PDR].limit = SEARCH_LIMIT_NONE;
	res.b[SEARCH_T_PDR].lower_pps = 0;
	res.b[SEARCH_T_PDR].upper_pps = 1000;
	res.b[SEARCH_T_PDR].upper_loss = 0.5;
	assert_int_equal(search_out_result(o, &res), 0);
	assert_int_equal(search_out_finish(o, "complete", meta.start_ns + 100000000000ULL), 0);
	search_out_close(o);
}

static void goodput_run(const char *name, double scale)
{
	char dir[256];
	struct table_out *o = NULL;
	struct results_meta gm = meta;
	struct goodput_row w;
	unsigned i, h;
	int fd;

	strcpy(gm.server, "sink"); /* as results_meta_collect fills a goodput run's */
	snprintf(dir, sizeof(dir), "%s/%s", root, name);
	assert_int_equal(mkdir(dir, 0755), 0);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(goodput_out_open(fd, dir, &gm, &o), 0);
	close(fd);
	for (i = 0; i < 4; i++) {
		memset(&w, 0, sizeof(w));
		w.index = i + 1;
		w.pt.udp = i >= 2;
		w.pt.streams = 1;
		w.pt.bufsz = 1460;
		w.pt.bitrate = w.pt.udp ? 10000000 : 0;
		w.pt.trial = i % 2 + 1;
		w.r.udp = w.pt.udp;
		w.r.seconds = 3.0005;
		w.r.goodput_bps = (9.4e8 + i * 1234567.0) * scale;
		w.r.sent_bps = 9.5e8 * scale;
		w.r.interval.mean = 9.4e8;
		w.r.interval.min = 9.1e8;
		w.r.interval.max = 9.6e8;
		w.r.interval.stddev = 1.25e6;
		w.r.interval.n = 3;
		w.r.bytes_sent = 352500000 + i;
		w.r.bytes_received = 352400000 + i;
		w.r.retransmits = w.pt.udp ? 0 : 17 + i;
		w.r.packets = w.pt.udp ? 2568 : 0;
		w.r.lost_packets = w.pt.udp ? 3 : 0;
		w.r.lost_pct = w.pt.udp ? 0.11682 : 0;
		w.r.jitter_ms = w.pt.udp ? 0.0123 : 0;
		w.r.cpu_client_pct = 12.345;
		w.r.cpu_server_pct = 45.678;
		for (h = 0; h < HOP_COUNT; h++) {
			w.hop[h].packets = 240000 + h;
			w.hop[h].bytes = 360000000 + h;
			w.hop[h].back_packets = 120000 - h;
			w.hop[h].back_bytes = 7800000 - h;
		}
		assert_int_equal(table_out_add(o, &w), 0);
	}
	assert_int_equal(table_out_finish(o, "complete", meta.start_ns + 60000000000ULL), 0);
	assert_int_equal(goodput_report_write(o), 0);
	table_out_close(o);
}

/* rr points: two sizes at one and four connections, repeated trials (a CI
 * in compare), an unknown server count (-1). */
static void rr_run(const char *name, double scale)
{
	char dir[256];
	struct table_out *o = NULL;
	struct rr_row w;
	unsigned i, h;
	int fd;

	snprintf(dir, sizeof(dir), "%s/%s", root, name);
	assert_int_equal(mkdir(dir, 0755), 0);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(rr_out_open(fd, dir, &meta, &o), 0);
	close(fd);
	for (i = 0; i < 8; i++) {
		memset(&w, 0, sizeof(w));
		w.index = i + 1;
		w.pt.req = i & 2 ? 1024 : 64;
		w.pt.resp = i & 2 ? 64 : 1024;
		w.pt.conns = i & 4 ? 4 : 1;
		w.pt.trial = i % 2 + 1;
		w.r.seconds = 2.0000005 + i;
		w.r.tps = (12345.6789 + 7 * i) * scale;
		w.r.started = 24700 + i;
		w.r.completed = 24690 + i;
		w.r.timed_out = 4;
		w.r.failed = 1;
		w.r.unfinished = 5;
		w.r.warmup_transactions = 300 + i;
		w.r.connects = w.pt.conns;
		w.r.server_transactions = i == 3 ? -1 : 24990 + (int64_t)i;
		w.r.lat_min = 41234.5 / scale;
		w.r.lat_mean = 80012.3456 + 100 * i;
		w.r.lat_p50 = 75000.4 + 50 * i;
		w.r.lat_p90 = 99000.5 + 10 * i;
		w.r.lat_p99 = (150000.25 + 3000 * (i % 2)) / scale;
		w.r.lat_p999 = 210000.125;
		w.r.lat_max = 999999.9999;
		w.r.cpu_client_pct = 12.345;
		w.r.cpu_server_pct = i == 5 ? -1 : 45.675;
		for (h = 0; h < HOP_COUNT; h++) {
			w.hop[h].packets = 50000 + h;
			w.hop[h].bytes = 3200000 + h;
			w.hop[h].back_packets = 49000 - h;
			w.hop[h].back_bytes = 51000000 - h;
		}
		assert_int_equal(table_out_add(o, &w), 0);
	}
	assert_int_equal(table_out_finish(o, "complete", meta.start_ns + 60000000000ULL), 0);
	assert_int_equal(rr_report_write(o), 0);
	table_out_close(o);
}

/* The table compare prints, into root/<name>. */
/* mode: 0 frames, 1 goodput, 2 rr */
static void compare_to_file(const char *a, const char *b, const char *name, int mode)
{
	char pa[256], pb[256], out[256], odir[256];
	struct compare_opts o = {.fail_pct = 2, .out_dir = odir, .templates = NULL, .quiet = 1};
	FILE *f;

	/* relative to root (the working directory): the table names them */
	snprintf(pa, sizeof(pa), "%s", a);
	snprintf(pb, sizeof(pb), "%s", b);
	snprintf(odir, sizeof(odir), "%s-files", name);
	snprintf(out, sizeof(out), "%s/%s", root, name);
	f = fopen(out, "w");
	assert_non_null(f);
	if (mode == 2)
		assert_true(rr_compare_runs(pa, pb, &o, f) >= 0);
	else if (mode == 1)
		assert_true(goodput_compare_runs(pa, pb, &o, f) >= 0);
	else
		assert_true(compare_runs(pa, pb, &o, f) >= 0);
	fclose(f);
}

static char *slurp(const char *path, long *len)
{
	char *buf;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)*len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)*len, f), (size_t)*len);
	fclose(f);
	return buf;
}

static const char *const files[] = {
    "a/stats",
    "a/stats.csv",
    "a/stats.json",
    "a/plots/points.dat",
    "a/plots/loss_free.dat",
    "a/stats-trials",
    "a/stats-trials.csv",
    "a/report.html",
    "b/stats.csv",
    "compare-ab",
    "compare-ab-files/compare.csv",
    "compare-ab-files/compare.dat",
    "s/search.json",
    "s/search.csv",
    "s/trials.csv",
    "s/search",
    "g/goodput.csv",
    "g/goodput.json",
    "g/report.html",
    "compare-gh",
    "compare-gh-files/compare-goodput.csv",
    "r/rr.csv",
    "r/rr.json",
    "r/report.html",
    "compare-rq",
    "compare-rq-files/compare-rr.csv",
};

static void test_every_file(void **state)
{
	const char *top = getenv("MP_TOP") ? getenv("MP_TOP") : ".";
	int update = getenv("MP_GOLDEN_UPDATE") && !strcmp(getenv("MP_GOLDEN_UPDATE"), "1");
	char cmd[1200], got_path[256], want_path[256], cwd[256];
	unsigned i;

	strcpy(root, "/tmp/mp-test-golden-XXXXXX");
	assert_non_null(mkdtemp(root));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(root), 0);
	meta_init();
	cfg_init();
	frames_run("a", 1.0);
	frames_run("b", 0.9);
	compare_to_file("a", "b", "compare-ab", 0);
	search_files("s");
	goodput_run("g", 1.0);
	goodput_run("h", 0.97);
	compare_to_file("g", "h", "compare-gh", 1);
	rr_run("r", 1.0);
	rr_run("q", 0.95);
	compare_to_file("r", "q", "compare-rq", 2);
	assert_int_equal(chdir(cwd), 0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		long nw = 0, ng = 0;
		char *want, *got;

		snprintf(got_path, sizeof(got_path), "%s/%s", root, files[i]);
		snprintf(want_path, sizeof(want_path), "%s/tests/golden/output/%s", top, files[i]);
		if (update) {
			snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\" && cp '%s' '%s'",
				 want_path, got_path, want_path);
			assert_int_equal(system(cmd), 0);
		}
		got = slurp(got_path, &ng);
		want = slurp(want_path, &nw);
		if (!got || !want || ng != nw || memcmp(got, want, (size_t)ng)) {
			snprintf(cmd, sizeof(cmd), "diff -u '%s' '%s' | head -40 >&2", want_path,
				 got_path);
			if (system(cmd)) {
			}
			fail_msg("%s differs from %s", got_path, want_path);
		}
		free(got);
		free(want);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
