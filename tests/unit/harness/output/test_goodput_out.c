/* The goodput mode's plan and files: the points in run order, goodput.csv
 * with one complete row per point, goodput.json a whole document after every
 * point (read back with the tree parser), the plot's data file. */
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

#include <fcntl.h>
#include <unistd.h>

#include "harness/config/goodput_plan.h"
#include "harness/output/goodput_out.h"
#include "harness/output/goodput_report.h"
#include "harness/output/rr_out.h"
#include "harness/output/rr_report.h"
#include "lib/json.h"

static char dir[] = "/tmp/mp-test-goodput-XXXXXX";
static int dfd = -1; /* the run directory, as the harness holds it */

static int setup(void **state)
{
	strcpy(dir, "/tmp/mp-test-goodput-XXXXXX");
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	close(dfd);
	dfd = -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static char *slurp(const char *name)
{
	char path[256];
	char *buf;
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

static void plan_cfg(struct run_cfg *cfg, uint64_t *bufsz, unsigned n)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = MODE_GOODPUT;
	cfg->bufsz.v = bufsz;
	cfg->bufsz.n = n;
	cfg->streams[0] = 1;
	cfg->streams[1] = 4;
	cfg->nstreams = 2;
	cfg->protocols = RUN_PROTO_TCP | RUN_PROTO_UDP;
	cfg->bitrates[0] = 5000000;
	cfg->bitrates[1] = 10000000;
	cfg->nbitrates = 2;
	cfg->trials = 2;
	cfg->warmup_ns = 1000000000ULL;
	cfg->duration_ns = 3000000000ULL;
	cfg->settle_ns = 1000000000ULL;
}

/* TCP then UDP; streams, then write size, then bitrate; trials in a row. */
static void test_plan_order(void **state)
{
	uint64_t bufsz[] = {1460, 64};
	struct goodput_point *p = NULL;
	struct run_cfg cfg;
	char text[96];
	unsigned n = 0;

	plan_cfg(&cfg, bufsz, 2);
	assert_int_equal(goodput_plan_points(&cfg), 2 * 2 + 2 * 2 * 2);
	assert_int_equal(goodput_plan(&cfg, &p, &n), 0);
	assert_int_equal(n, 24);
	assert_false(p[0].udp);
	assert_int_equal(p[0].streams, 1);
	assert_int_equal(p[0].bufsz, 1460);
	assert_int_equal(p[0].trial, 1);
	assert_int_equal(p[1].trial, 2);
	assert_int_equal(p[2].bufsz, 64);
	assert_int_equal(p[4].streams, 4);
	assert_true(p[8].udp);
	assert_int_equal(p[8].streams, 1);
	assert_int_equal(p[8].bufsz, 1460);
	assert_true(p[8].bitrate == 5000000);
	assert_true(p[10].bitrate == 10000000);
	assert_int_equal(p[12].bufsz, 64);
	assert_int_equal(p[23].streams, 4);
	goodput_point_text(text, sizeof(text), &p[0]);
	assert_string_equal(text, "tcp  1 stream  1460 B");
	goodput_point_text(text, sizeof(text), &p[23]);
	assert_string_equal(text, "udp  4 streams  64 B  10.0 Mbit/s");
	/* 24 trials of 1 + 3 s, 23 settle gaps of 1 s */
	assert_true(goodput_estimate_ns(&cfg) == (24ULL * 4 + 23) * 1000000000ULL);
	free(p);
	cfg.protocols = RUN_PROTO_UDP;
	cfg.bufsz.n = 0;
	assert_int_equal(goodput_plan(&cfg, &p, &n), -EINVAL);
}

static void row_of(struct goodput_row *w, unsigned index, int udp, unsigned streams,
		   unsigned bufsz, double mbps)
{
	memset(w, 0, sizeof(*w));
	w->index = index;
	w->pt.udp = udp;
	w->pt.streams = streams;
	w->pt.bufsz = bufsz;
	w->pt.trial = 1;
	w->pt.bitrate = udp ? 10000000 : 0;
	w->r.udp = udp;
	w->r.goodput_bps = mbps * 1e6;
	w->r.bytes_received = 1000 * index;
	w->r.retransmits = udp ? 0 : 7;
	w->r.lost_packets = udp ? 3 : 0;
	w->hop[HOP_SINK_RX].bytes = 1066 * index;
	w->hop[HOP_SINK_RX].back_packets = 5;
}

static void test_files(void **state)
{
	struct results_meta meta;
	struct table_out *o = NULL;
	struct goodput_row w;
	struct json_val *root = NULL;
	const struct json_val *pts, *p;
	char *csv, *doc, err[128], line[64];
	double v;

	memset(&meta, 0, sizeof(meta));
	strcpy(meta.version, "v-test");
	strcpy(meta.dut, "bridge");
	strcpy(meta.platform, "local");
	meta.start_ns = 1795000000ULL * 1000000000ULL;
	assert_int_equal(goodput_out_open(dfd, dir, &meta, &o), 0);
	/* a second run into the same directory must not clobber the first */
	{
		struct table_out *o2 = NULL;

		assert_int_equal(goodput_out_open(dfd, dir, &meta, &o2), -EEXIST);
	}
	doc = slurp("goodput.json");
	assert_int_equal(json_tree_parse(doc, &root, err, sizeof(err)), 0);
	assert_string_equal(json_path(root, "meta.status")->str, "running");
	assert_int_equal(json_member(root, "points")->n, 0);
	json_tree_free(root);
	free(doc);

	row_of(&w, 1, 0, 1, 1460, 9.5);
	assert_int_equal(table_out_add(o, &w), 0);
	row_of(&w, 2, 1, 4, 512, 4.25);
	assert_int_equal(table_out_add(o, &w), 0);
	assert_int_equal(table_out_count(o), 2);

	csv = slurp("goodput.csv");
	assert_non_null(strstr(csv, "index,trial,protocol,streams,bufsz,target_bps,"));
	assert_non_null(strstr(csv, "\n1,1,tcp,1,1460,0,0.000,9.5000,"));
	assert_non_null(strstr(csv, "\n2,1,udp,4,512,10000000,0.000,4.2500,"));
	snprintf(line, sizeof(line), ",%u,%u,0\n", 2 * 1066, 5);
	assert_non_null(strstr(csv, line)); /* sink_rx bytes and ACKs, last columns */
	free(csv);

	doc = slurp("goodput.json");
	assert_int_equal(json_tree_parse(doc, &root, err, sizeof(err)), 0);
	pts = json_member(root, "points");
	assert_int_equal(pts->n, 2);
	p = pts->child->next;
	assert_string_equal(json_member(p, "protocol")->str, "udp");
	assert_int_equal(json_path_num(p, "goodput_mbps", &v), 0);
	assert_true(v == 4.25);
	assert_int_equal(json_path_num(p, "udp_lost", &v), 0);
	assert_true(v == 3);
	assert_int_equal(json_path_num(p, "hops.sink_rx.bytes", &v), 0);
	assert_true(v == 2132);
	assert_null(json_member(p, "retransmits"));
	assert_int_equal(json_path_num(pts->child, "retransmits", &v), 0);
	assert_true(v == 7);
	json_tree_free(root);
	free(doc);

	/* report.html: a row per point */
	assert_int_equal(goodput_report_write(o), 0);
	doc = slurp("report.html");
	assert_non_null(strstr(doc, "<tr><td>1</td><td>1</td><td>tcp</td><td>1</td><td>1460</td>"
				    "<td>-</td><td>9.50</td>"));
	assert_non_null(strstr(doc, "<td>udp</td><td>4</td><td>512</td><td>10.0 Mbit/s</td>"
				    "<td>4.25</td>"));
	assert_null(strstr(doc, "goodput_vs_bufsz.svg")); /* no plot drawn: none shown */
	free(doc);

	assert_int_equal(table_out_finish(o, "complete", meta.start_ns + 60000000000ULL), 0);
	doc = slurp("goodput.json");
	assert_int_equal(json_tree_parse(doc, &root, err, sizeof(err)), 0);
	assert_string_equal(json_path(root, "meta.status")->str, "complete");
	assert_string_equal(json_path(root, "meta.end")->str, "2026-11-18T11:07:40Z");
	json_tree_free(root);
	free(doc);
	table_out_close(o);
}

/* server = dut: the path ends at the DUT, so hops dut_out and sink_rx are
 * not measured on it: "-" in goodput.csv (the row keeps every column), no
 * key in goodput.json, never a zero that reads as counted; the server's CPU
 * is the DUT's, and the report names its tap0 as the server's link. */
static void test_server_dut(void **state)
{
	struct results_meta meta;
	struct run_cfg cfg;
	struct table_out *o = NULL;
	struct goodput_row w;
	struct json_val *root = NULL;
	const struct json_val *p;
	char *csv, *doc, err[128], *row;
	unsigned fields = 0, dashes = 0;
	double v;

	memset(&cfg, 0, sizeof(cfg));
	cfg.mode = MODE_GOODPUT;
	cfg.server = RUN_SERVER_DUT;
	results_meta_collect(&meta, &cfg, "xen", 1795000000ULL * 1000000000ULL);
	assert_int_equal(goodput_out_open(dfd, dir, &meta, &o), 0);
	row_of(&w, 1, 0, 1, 1460, 9.5);
	w.server_dut = 1;
	w.r.cpu_server_pct = 42.5;
	w.hop[HOP_GEN_TX].packets = 900;
	w.hop[HOP_DUT_IN].packets = 899;
	w.hop[HOP_DUT_IN].bytes = 123456;
	w.hop[HOP_DUT_IN].back_packets = 450;
	w.hop[HOP_DUT_OUT].packets = 450; /* the platform's tap0 rx: the DUT's answers */
	assert_int_equal(table_out_add(o, &w), 0);

	csv = slurp("goodput.csv");
	row = strchr(csv, '\n') + 1;
	for (char *c = row; *c && *c != '\n'; c++)
		fields += *c == ',';
	assert_int_equal(fields + 1, GP_COUNT);
	/* the last eight columns: dut_out's and sink_rx's four each */
	assert_non_null(strstr(row, ",899,123456,450,0,-,-,-,-,-,-,-,-\n"));
	for (char *c = row; *c; c++)
		dashes += *c == '-';
	assert_int_equal(dashes, 8);
	assert_non_null(strstr(row, ",42.50,"));
	free(csv);

	doc = slurp("goodput.json");
	assert_int_equal(json_tree_parse(doc, &root, err, sizeof(err)), 0);
	p = json_member(root, "points")->child;
	assert_int_equal(json_path_num(p, "hops.dut_in.packets", &v), 0);
	assert_true(v == 899);
	assert_int_equal(json_path_num(p, "hops.gen_tx.packets", &v), 0);
	assert_true(v == 900);
	assert_null(json_path(p, "hops.dut_out"));
	assert_null(json_path(p, "hops.sink_rx"));
	assert_int_equal(json_path_num(p, "cpu_server_pct", &v), 0);
	assert_true(v == 42.5);
	assert_string_equal(json_path(root, "meta.server")->str, "dut");
	json_tree_free(root);
	free(doc);

	assert_int_equal(goodput_report_write(o), 0);
	doc = slurp("report.html");
	assert_non_null(strstr(doc, "<tr><th>iperf3's server</th><td>the DUT itself (dut): the "
				    "library's MirageOS iperf3 unikernel</td></tr>\n"));
	assert_null(strstr(doc, "behind the DUT"));
	assert_non_null(strstr(doc, "<th>CPU client / DUT (the server) %</th>"
				    "<th>DUT tap0 (the server) bytes</th>"));
	assert_non_null(strstr(doc, "<td>0.0 / 42.5</td><td>123456</td></tr>"));
	free(doc);
	table_out_close(o);
}

/* The run's documents say where iperf3's server was, the goodput run's
 * only: goodput.json's meta "server" is "sink" or "dut" as cfg->server, and
 * report.html's head says it; rr.json has no such key, nor its report the
 * row (the frames mode's meta has none to write). */
static void test_meta_server(void **state)
{
	static const struct {
		enum run_mode mode;
		enum run_server server;
		const char *want; /* NULL: no key */
	} runs[] = {
	    {MODE_GOODPUT, RUN_SERVER_SINK, "sink"},
	    {MODE_GOODPUT, RUN_SERVER_DUT, "dut"},
	    {MODE_RR, RUN_SERVER_DUT, NULL}, /* a stray server = dut changes nothing */
	    {MODE_RR, RUN_SERVER_SINK, NULL},
	    {MODE_FRAMES, RUN_SERVER_SINK, NULL},
	};
	struct results_meta meta;
	struct table_out *o = NULL;
	struct json_val *root = NULL;
	const struct json_val *s;
	struct run_cfg cfg;
	char name[32], err[128], *doc;
	unsigned i;

	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		int sub;

		memset(&cfg, 0, sizeof(cfg));
		cfg.mode = runs[i].mode;
		cfg.server = runs[i].server;
		results_meta_collect(&meta, &cfg, "xen", 1795000000ULL * 1000000000ULL);
		assert_string_equal(meta.server, runs[i].want ? runs[i].want : "");
		if (runs[i].mode == MODE_FRAMES)
			continue;
		snprintf(name, sizeof(name), "run%u", i);
		assert_int_equal(mkdirat(dfd, name, 0755), 0);
		sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		assert_true(sub >= 0);
		if (runs[i].mode == MODE_GOODPUT) {
			assert_int_equal(goodput_out_open(sub, name, &meta, &o), 0);
			assert_int_equal(goodput_report_write(o), 0);
			snprintf(name, sizeof(name), "run%u/goodput.json", i);
		} else {
			assert_int_equal(rr_out_open(sub, name, &meta, &o), 0);
			assert_int_equal(rr_report_write(o), 0);
			snprintf(name, sizeof(name), "run%u/rr.json", i);
		}
		close(sub);
		table_out_close(o);
		doc = slurp(name);
		assert_int_equal(json_tree_parse(doc, &root, err, sizeof(err)), 0);
		assert_non_null(json_path(root, "meta.status")); /* the meta is there */
		s = json_path(root, "meta.server");
		if (runs[i].want) {
			assert_non_null(s);
			assert_int_equal(s->kind, JSON_K_STR);
			assert_string_equal(s->str, runs[i].want);
		} else {
			assert_null(s);
		}
		json_tree_free(root);
		free(doc);
		snprintf(name, sizeof(name), "run%u/report.html", i);
		doc = slurp(name);
		assert_true(!strstr(doc, "iperf3's server") == !runs[i].want);
		if (runs[i].want && !strcmp(runs[i].want, "sink"))
			assert_non_null(strstr(doc, "<tr><th>iperf3's server</th><td>behind the "
						    "DUT (sink)</td></tr>\n"));
		free(doc);
	}
}

/* The plot's data: a block per protocol and stream count, a row per write
 * size with the mean, lowest and highest goodput of its trials. Without a
 * template directory nothing is done. */
static void test_plot_data(void **state)
{
	struct results_meta meta;
	struct table_out *o = NULL;
	struct goodput_row w;
	char *dat, tpl[300];
	FILE *f;

	memset(&meta, 0, sizeof(meta));
	assert_int_equal(goodput_out_open(dfd, dir, &meta, &o), 0);
	row_of(&w, 1, 0, 1, 64, 2.0);
	assert_int_equal(table_out_add(o, &w), 0);
	row_of(&w, 2, 0, 1, 64, 4.0);
	w.pt.trial = 2;
	assert_int_equal(table_out_add(o, &w), 0);
	row_of(&w, 3, 0, 1, 1460, 9.0);
	assert_int_equal(table_out_add(o, &w), 0);
	row_of(&w, 4, 1, 1, 64, 1.0);
	assert_int_equal(table_out_add(o, &w), 0);
	assert_int_equal(goodput_out_plot(o, NULL), 0);
	/* a template that draws nothing: the data file is what is checked */
	snprintf(tpl, sizeof(tpl), "%s/goodput_vs_bufsz.gp", dir);
	f = fopen(tpl, "w");
	assert_non_null(f);
	fputs("print blocks, titles\n", f);
	fclose(f);
	goodput_out_plot(o, dir); /* 1 with gnuplot installed, -ENOENT without */
	dat = slurp("plots/goodput.dat");
	assert_non_null(strstr(dat, "\n64 3.0000 2.0000 4.0000\n1460 9.0000 9.0000 9.0000\n\n\n"
				    "64 1.0000 1.0000 1.0000\n"));
	free(dat);
	table_out_close(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plan_order),
	    cmocka_unit_test_setup_teardown(test_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_server_dut, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_meta_server, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_plot_data, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
