/* The column tables (columns.h): every table well formed (each column named
 * once, each output's positions 1..N with no gap), header and row agreeing
 * for every kind of point, and what is written read back to the same values:
 * stats.csv by compare's reader (csvread), stats.json, goodput.json and rr.json by the
 * JSON tree parser at the table's keys. A stats.csv without a column compare
 * needs is refused naming the file and the column. */
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

#include "harness/output/columns.h"
#include "harness/output/compare.h"
#include "harness/output/csvread.h"
#include "harness/output/goodput_out.h"
#include "harness/output/results.h"
#include "harness/output/rr_out.h"
#include "harness/output/search_cols.h"
#include "lib/units.h"

static const struct col_table *const tables[] = {&columns_point, &goodput_columns,
						 &search_trial_columns, &search_columns, &rr_columns};

/* Each output's positions are 1..N, each once; names and JSON keys once;
 * the ids (the table's index) are the CSV order; a text column has a head,
 * a width that holds it, and a unit; every column has a field or a get. */
static void test_tables_well_formed(void **state)
{
	unsigned t, i, j, o;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		const struct col_table *tb = tables[t];

		assert_true(tb->n > 0);
		for (o = 0; o < COL_OUTS; o++) {
			unsigned n = columns_count(tb, (enum col_out)o), seen[256] = {0};

			for (i = 0; i < tb->n; i++) {
				unsigned a = tb->col[i].at[o];

				if (!a)
					continue;
				assert_true(a <= n);
				assert_int_equal(seen[a]++, 0);
			}
		}
		for (i = 0; i < tb->n; i++) {
			const struct column *c = &tb->col[i];

			assert_non_null(c->name);
			assert_non_null(c->unit);
			assert_true(c->size || c->get);
			assert_true(c->at[COL_TEXT] || c->at[COL_CSV] || c->at[COL_JSON] ||
				    c->at[COL_DAT]);
			if (c->at[COL_CSV])
				assert_int_equal(c->at[COL_CSV], i + 1);
			if (c->at[COL_TEXT]) {
				assert_non_null(c->head);
				assert_true(c->width >= strlen(c->head));
				assert_true(c->width >= strlen(c->unit));
			}
			if (c->at[COL_HTML])
				assert_non_null(c->html);
			if (c->kind == COL_REAL && c->size)
				assert_int_equal(c->size, sizeof(double));
			for (j = 0; j < i; j++) {
				const struct column *d = &tb->col[j];

				assert_string_not_equal(c->name, d->name);
				if (c->at[COL_JSON] && d->at[COL_JSON])
					assert_string_not_equal(c->json ? c->json : c->name,
								d->json ? d->json : d->name);
			}
			assert_ptr_equal(columns_find(tb, c->name), c);
		}
		assert_null(columns_find(tb, "no_such_column"));
	}
}

/* Every kind of point: plain, "max", an N% rate, the generator failed (no
 * loss), nothing received (no latency), the DUT stopped. */
#define NKINDS 6
static void kind_point(struct results_point *p, unsigned k)
{
	unsigned h;

	memset(p, 0, sizeof(*p));
	p->index = k + 1;
	p->trial = 1;
	p->size = 64;
	p->target_pps = 100000;
	p->offered_pps = 99999.25;
	p->window_ns = 1500000000ULL;
	p->sent = 1000000;
	p->received = 999000;
	p->lost = 1000;
	for (h = 0; h < HOP_COUNT; h++) {
		p->hop[h].pps = 99000.5 - h;
		p->hop[h].packets = 1000000 - h;
		p->hop[h].dropped = h;
	}
	p->lat_min_us = 3.5;
	p->lat_mean_us = 10.25;
	p->lat_p50_us = 9.75;
	p->lat_p90_us = 15;
	p->lat_p99_us = 30.125;
	p->lat_p999_us = 60;
	p->lat_max_us = 99.5;
	p->settled = 1;
	p->agent_offered_pps = 99990;
	p->gen_point_pps = 100001;
	switch (k) {
	case 1:
		p->target_pps = UNITS_RATE_MAX;
		break;
	case 2:
		p->plan_rate = RUN_RATE_PCT(75);
		break;
	case 3:
		p->received = 0;
		p->sent = 1;
		p->send_errors = 5000;
		p->flags = RESULTS_GEN_FAILED | RESULTS_AGENT_DIFFERS;
		break;
	case 4:
		p->received = 0;
		break;
	case 5:
		p->flags = RESULTS_DUT_STOPPED | RESULTS_RATE_ORDER;
		p->order_hop = HOP_SINK_RX;
		p->dut_stopped_after = 512;
		p->dut_in_since_stop = 40;
		break;
	}
}

static unsigned count_char(const char *s, char ch)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == ch;
	return n;
}

static unsigned count_str(const char *s, const char *what)
{
	unsigned n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

static unsigned count_words(const char *s)
{
	unsigned n = 0;
	int in = 0;

	for (; *s && *s != '\n'; s++) {
		if (*s != ' ' && !in)
			n++;
		in = *s != ' ';
	}
	return n;
}

static void test_header_and_rows_agree(void **state)
{
	char hdr[2048], row[2048];
	struct results_point p;
	unsigned k, ncsv = columns_count(&columns_point, COL_CSV);

	assert_true(columns_csv_header(&columns_point, hdr, sizeof(hdr)) > 0);
	assert_int_equal(count_char(hdr, ','), ncsv - 1);
	assert_true(columns_text_header(&columns_point, hdr, sizeof(hdr)) > 0);
	for (k = 0; k < NKINDS; k++) {
		char *second = strchr(hdr, '\n') + 1;

		kind_point(&p, k);
		assert_true(columns_csv_row(&columns_point, &p, row, sizeof(row)) > 0);
		assert_int_equal(count_char(row, ','), ncsv - 1);
		assert_int_equal(count_char(row, '\n'), 1);
		/* the table for people stays aligned: every line as long */
		assert_true(columns_text_row(&columns_point, &p, row, sizeof(row)) > 0);
		assert_int_equal(count_words(row), columns_count(&columns_point, COL_TEXT));
		assert_int_equal(strlen(row), (size_t)(second - hdr));
		assert_int_equal(strlen(second), (size_t)(second - hdr));
		assert_true(columns_dat_row(&columns_point, &p, row, sizeof(row)) > 0);
		assert_int_equal(count_words(row), columns_count(&columns_point, COL_DAT));
		/* report.html: a cell per header cell */
		assert_true(columns_html_row(&columns_point, &p, "loss", row, sizeof(row)) > 0);
		assert_int_equal(count_str(row, "<td"), columns_count(&columns_point, COL_HTML));
		assert_int_equal(count_str(row, "</td>"), columns_count(&columns_point, COL_HTML));
		assert_int_equal(
		    strncmp(row, "<tr class=\"loss\"><td>", strlen("<tr class=\"loss\"><td>")), 0);
	}
	assert_true(columns_html_header(&columns_point, hdr, sizeof(hdr)) > 0);
	assert_int_equal(count_str(hdr, "<th>"), columns_count(&columns_point, COL_HTML));
	assert_true(columns_dat_header(&columns_point, hdr, sizeof(hdr)) > 0);
	assert_int_equal(count_words(hdr), columns_count(&columns_point, COL_DAT) + 1);
	assert_true(columns_dat_empty(&columns_point, 1518, row, sizeof(row)) > 0);
	assert_int_equal(count_words(row), columns_count(&columns_point, COL_DAT));
	/* too small a buffer is an error, never a cut row */
	kind_point(&p, 0);
	assert_int_equal(columns_csv_row(&columns_point, &p, row, 64), -EOVERFLOW);
	assert_string_equal(row, "");
}

/* The value of field f (a CSV field or a JSON value's text) is what the
 * table says column c holds, to its decimals in that output. */
static void check_number(const struct column *c, const struct col_val *v, enum col_out o,
			 double got)
{
	double want = c->kind == COL_REAL  ? v->d
		      : c->kind == COL_INT ? (double)(int64_t)v->u
					   : (double)v->u;

	if (c->kind == COL_REAL && isnan(v->d)) {
		assert_true(isnan(got));
		return;
	}
	if (fabs(got - want) > 0.5 * pow(10, -c->dec[o]) + 1e-9 * fabs(want)) {
		fail_msg("column %s: read %.9g, the point has %.9g", c->name, got, want);
	}
}

static void test_csv_read_back(void **state)
{
	char dir[] = "/tmp/mp-test-columns-XXXXXX", path[128], *f[CSV_MAX_COLS], cmd[128];
	struct results_point pts[NKINDS];
	struct results_meta meta;
	struct run_cfg cfg;
	struct results *r;
	struct csv c;
	unsigned k, i;

	assert_non_null(mkdtemp(dir));
	memset(&cfg, 0, sizeof(cfg));
	memset(&meta, 0, sizeof(meta));
	strcpy(meta.status, "running");
	assert_int_equal(results_open(dir, &meta, &cfg, &r), 0);
	for (k = 0; k < NKINDS; k++) {
		kind_point(&pts[k], k);
		assert_int_equal(results_add(r, &pts[k]), 0);
	}
	results_close(r);
	snprintf(path, sizeof(path), "%s/stats.csv", dir);
	assert_int_equal(csv_open(&c, path), 0);
	for (k = 0; k < NKINDS; k++) {
		assert_int_equal(csv_next(&c, f), (int)columns_count(&columns_point, COL_CSV));
		for (i = 0; i < columns_point.n; i++) {
			const struct column *col = &columns_point.col[i];
			int at = csv_col(&c, col->name, 0);
			struct col_val v;
			double got;

			if (!col->at[COL_CSV]) {
				assert_int_equal(at, -1);
				continue;
			}
			assert_int_equal(at, col->at[COL_CSV] - 1);
			columns_value(col, &pts[k], COL_CSV, &v);
			if (v.s[0] || col->kind == COL_STR || col->kind == COL_TOKENS) {
				assert_string_equal(f[at], v.s);
				continue;
			}
			assert_int_equal(csv_num(&c, f, at, &got), 0);
			check_number(col, &v, COL_CSV, got);
		}
	}
	assert_int_equal(csv_next(&c, f), 0);
	csv_close(&c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The row's JSON object, parsed back, holds every JSON column at its key. */
static void json_read_back(const struct col_table *t, const void *row)
{
	char *text = NULL, err[128];
	struct json_val *root = NULL;
	struct json_writer w;
	size_t len = 0;
	unsigned i;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	json_init(&w, f, 1);
	columns_json(t, row, &w);
	fclose(f);
	assert_int_equal(json_tree_parse(text, &root, err, sizeof(err)), 0);
	for (i = 0; i < t->n; i++) {
		const struct column *c = &t->col[i];
		const struct json_val *j;
		struct col_val v;

		if (!c->at[COL_JSON])
			continue;
		columns_value(c, row, COL_JSON, &v);
		j = json_path(root, c->json ? c->json : c->name);
		if (v.absent) {
			assert_null(j);
			continue;
		}
		assert_non_null(j);
		if (v.null || (c->kind == COL_REAL && isnan(v.d))) {
			assert_int_equal(j->kind, JSON_K_NULL);
		} else if (c->kind == COL_STR) {
			assert_int_equal(j->kind, JSON_K_STR);
			assert_string_equal(j->str, v.s);
		} else if (c->kind == COL_TOKENS) {
			assert_int_equal(j->kind, JSON_K_ARR);
			assert_int_equal(j->n, v.s[0] ? count_char(v.s, '|') + 1 : 0);
		} else if (c->kind == COL_BOOL) {
			assert_int_equal(j->kind, JSON_K_BOOL);
			assert_int_equal(j->num != 0, v.u != 0);
		} else {
			assert_int_equal(j->kind, JSON_K_NUM);
			check_number(c, &v, COL_JSON, j->num);
		}
	}
	json_tree_free(root);
	free(text);
}

static void test_json_read_back(void **state)
{
	struct results_point p;
	struct goodput_row g;
	struct rr_row r;
	unsigned k;

	for (k = 0; k < NKINDS; k++) {
		kind_point(&p, k);
		json_read_back(&columns_point, &p);
	}
	for (k = 0; k < 2; k++) {
		char row[2048];

		memset(&g, 0, sizeof(g));
		g.index = k + 1;
		g.pt.udp = (int)k;
		g.pt.streams = 2;
		g.pt.bufsz = 1460;
		g.r.goodput_bps = 912345678.9;
		g.r.retransmits = 7;
		g.r.packets = 1000;
		g.r.lost_pct = 0.25;
		g.hop[HOP_DUT_OUT].back_bytes = 123456789;
		json_read_back(&goodput_columns, &g);
		/* goodput.csv: every column on every row */
		assert_true(columns_csv_row(&goodput_columns, &g, row, sizeof(row)) > 0);
		assert_int_equal(count_char(row, ','), goodput_columns.n - 1);
	}
	/* rr.json: latency from ns to us, a signed count (-1: unknown) */
	for (k = 0; k < 2; k++) {
		char row[2048];

		memset(&r, 0, sizeof(r));
		r.index = k + 1;
		r.pt.req = 64;
		r.pt.resp = 1024;
		r.pt.conns = 4;
		r.r.tps = 12345.678;
		r.r.lat_p99 = 150123.4;
		r.r.server_transactions = k ? -1 : 24990;
		r.r.cpu_server_pct = -1;
		r.hop[HOP_SINK_RX].back_bytes = 987654321;
		json_read_back(&rr_columns, &r);
		assert_true(columns_csv_row(&rr_columns, &r, row, sizeof(row)) > 0);
		assert_int_equal(count_char(row, ','), rr_columns.n - 1);
		assert_non_null(strstr(row, k ? ",-1,0.00,-1.00," : ",24990,0.00,-1.00,"));
		assert_non_null(strstr(row, ",12345.678,"));
		assert_non_null(strstr(row, ",150.123,"));
	}
}

/* A stats.csv of an older mir-perf without sink_rx_pps: one line naming the
 * file and the column, and compare refuses the run. */
static void test_missing_column_named(void **state)
{
	char root[] = "/tmp/mp-test-columns-XXXXXX", path[256], cmd[300], err[1024] = "";
	struct compare_opts o = {.fail_pct = -1, .quiet = 1};
	int saved, fd, rc;
	unsigned i;
	FILE *f, *out;

	assert_non_null(mkdtemp(root));
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%c", root, 'a' + i);
		assert_int_equal(mkdir(path, 0755), 0);
		snprintf(path, sizeof(path), "%s/%c/stats.csv", root, 'a' + i);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs("point,trial,size,target_pps,offered_pps\n1,1,64,1000,999.0\n", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/err", root);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	out = fopen("/dev/null", "w");
	snprintf(path, sizeof(path), "%s/a", root);
	snprintf(cmd, sizeof(cmd), "%s/b", root);
	rc = compare_runs(path, cmd, &o, out);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	fclose(out);
	assert_int_equal(rc, -EINVAL);
	snprintf(path, sizeof(path), "%s/err", root);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_true(fread(err, 1, sizeof(err) - 1, f) > 0);
	fclose(f);
	snprintf(path, sizeof(path), "%s/a/stats.csv:1:1: no column 'sink_rx_pps'", root);
	assert_non_null(strstr(err, path));
	assert_int_equal(count_char(err, '\n'), 1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables_well_formed),
	    cmocka_unit_test(test_header_and_rows_agree),
	    cmocka_unit_test(test_csv_read_back),
	    cmocka_unit_test(test_json_read_back),
	    cmocka_unit_test(test_missing_column_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
