/* The search's options and files: parsers, trials.csv, search.csv (read back
 * by column name, as compare reads it), the table and search.json. */
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
#include <unistd.h>
#include <cmocka.h>

#include "harness/config/search_opts.h"
#include "harness/output/search_out.h"
#include "lib/units.h"

static void test_parsers(void **state)
{
	unsigned t;
	double v;

	assert_int_equal(search_parse_targets("ndr,pdr", &t), 0);
	assert_int_equal(t, SEARCH_NDR | SEARCH_PDR);
	assert_int_equal(search_parse_targets("pdr,ndr", &t), 0);
	assert_int_equal(t, SEARCH_NDR | SEARCH_PDR);
	assert_int_equal(search_parse_targets("pdr", &t), 0);
	assert_int_equal(t, SEARCH_PDR);
	assert_int_equal(search_parse_targets("ndr,ndr", &t), -EINVAL);
	assert_int_equal(search_parse_targets("ndr,", &t), -EINVAL);
	assert_int_equal(search_parse_targets(",ndr", &t), -EINVAL);
	assert_int_equal(search_parse_targets("NDR", &t), -EINVAL);
	assert_int_equal(search_parse_targets("ndr pdr", &t), -EINVAL);
	assert_int_equal(search_parse_targets("", &t), -EINVAL);

	assert_int_equal(search_parse_ratio("0.5%", &v), 0);
	assert_true(fabs(v - 0.005) < 1e-15);
	assert_int_equal(search_parse_ratio("0%", &v), 0);
	assert_true(v == 0);
	assert_int_equal(search_parse_ratio("0.005", &v), 0);
	assert_true(fabs(v - 0.005) < 1e-15);
	assert_int_equal(search_parse_ratio("12%", &v), 0);
	assert_true(fabs(v - 0.12) < 1e-15);
	assert_int_equal(search_parse_ratio("100%", &v), -ERANGE);
	assert_int_equal(search_parse_ratio("1", &v), -ERANGE);
	assert_int_equal(search_parse_ratio("-1%", &v), -EINVAL);
	assert_int_equal(search_parse_ratio("1%%", &v), -EINVAL);
	assert_int_equal(search_parse_ratio(".5%", &v), -EINVAL);
	assert_int_equal(search_parse_ratio("5.%", &v), -EINVAL);
	assert_int_equal(search_parse_ratio("0.5 %", &v), -EINVAL);
	assert_int_equal(search_parse_ratio("1e-3", &v), -EINVAL);
	assert_int_equal(search_parse_ratio("", &v), -EINVAL);
}

static void test_fmt_bound(void **state)
{
	struct search_bound b;
	char buf[96];

	memset(&b, 0, sizeof(b));
	b.found = 1;
	b.lower_pps = 1020000;
	b.limit = SEARCH_LIMIT_GENERATOR;
	b.converged = 1;
	search_fmt_bound(buf, sizeof(buf), &b);
	assert_non_null(strstr(buf, "generator-limited"));
	assert_non_null(strstr(buf, ">= 1.02 Mpps"));
	b.limit = SEARCH_LIMIT_NONE;
	b.upper_pps = 1030000;
	search_fmt_bound(buf, sizeof(buf), &b);
	assert_null(strstr(buf, "generator"));
	assert_null(strstr(buf, "not converged"));
	b.found = 0;
	b.lower_pps = 0;
	b.upper_pps = 1000;
	search_fmt_bound(buf, sizeof(buf), &b);
	assert_non_null(strstr(buf, "none"));
}

/* Column `name` of the first data row whose column 0..1 match size and target. */
static int csv_field(const char *path, unsigned size, const char *target, const char *name,
		     char *out, size_t len)
{
	char line[4096], hdr[4096], *cols[64], *vals[64], *save;
	int nc = 0, i, found = -1;
	FILE *f = fopen(path, "r");

	if (!f || !fgets(hdr, sizeof(hdr), f))
		return -1;
	hdr[strcspn(hdr, "\n")] = 0;
	for (char *c = strtok_r(hdr, ",", &save); c && nc < 64; c = strtok_r(NULL, ",", &save))
		cols[nc++] = c;
	while (fgets(line, sizeof(line), f)) {
		int nv = 0;
		char *p = line;

		line[strcspn(line, "\n")] = 0;
		while (nv < 64) {
			vals[nv++] = p;
			p = strchr(p, ',');
			if (!p)
				break;
			*p++ = 0;
		}
		if ((unsigned)atoi(vals[0]) != size || strcmp(vals[1], target))
			continue;
		for (i = 0; i < nc && i < nv; i++)
			if (!strcmp(cols[i], name)) {
				snprintf(out, len, "%s", vals[i]);
				found = 0;
			}
		break;
	}
	fclose(f);
	return found;
}

static char *slurp(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* search_out_open on the directory dir, through an fd as the run does. */
static int open_dir_and(const char *dir, const struct results_meta *meta,
			const struct search_params *p, struct search_out **o)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	assert_true(fd >= 0);
	*o = NULL;
	rc = search_out_open(fd, dir, meta, p, o);
	close(fd);
	return rc;
}

static void test_files(void **state)
{
	char dir[] = "/tmp/mp-test-search-out-XXXXXX", path[256], v[64];
	struct results_meta meta;
	struct search_params p;
	struct search_out *o = NULL;
	struct search_result r;
	struct search_rec rec;
	char *text;

	assert_non_null(mkdtemp(dir));
	memset(&meta, 0, sizeof(meta));
	strcpy(meta.version, "test");
	strcpy(meta.dut, "fwd");
	strcpy(meta.platform, "local");
	strcpy(meta.status, "running");
	meta.start_ns = 1764000000ULL * 1000000000ULL;
	search_params_default(&p);
	assert_int_equal(open_dir_and(dir, &meta, &p, &o), 0);

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
	assert_int_equal(search_out_trial(o, &rec, 7), 0);

	memset(&r, 0, sizeof(r));
	r.size = 64;
	r.top_pps = 1e6;
	r.trials = 6;
	r.elapsed_ns = 61500000000ULL;
	r.b[SEARCH_T_NDR].found = 1;
	r.b[SEARCH_T_NDR].converged = 1;
	r.b[SEARCH_T_NDR].lower_pps = 99000;
	r.b[SEARCH_T_NDR].upper_pps = 99900;
	r.b[SEARCH_T_NDR].rx.n = 1;
	r.b[SEARCH_T_NDR].rx.mean = 99000;
	r.b[SEARCH_T_NDR].rx.ci_lo = NAN;
	r.b[SEARCH_T_NDR].rx.ci_hi = NAN;
	r.b[SEARCH_T_PDR] = r.b[SEARCH_T_NDR];
	r.b[SEARCH_T_PDR].lower_pps = 99500;
	assert_int_equal(search_out_result(o, &r), 0);
	r.size = 1518;
	r.top_pps = 81000;
	r.b[SEARCH_T_NDR].limit = SEARCH_LIMIT_GENERATOR;
	r.b[SEARCH_T_NDR].lower_pps = 81000;
	r.b[SEARCH_T_NDR].upper_pps = 0;
	r.b[SEARCH_T_PDR] = r.b[SEARCH_T_NDR];
	assert_int_equal(search_out_result(o, &r), 0);
	assert_int_equal(search_out_finish(o, "complete", meta.start_ns + 100000000000ULL), 0);
	search_out_close(o);

	snprintf(path, sizeof(path), "%s/search.csv", dir);
	assert_int_equal(csv_field(path, 64, "ndr", "lower_pps", v, sizeof(v)), 0);
	assert_string_equal(v, "99000.0");
	assert_int_equal(csv_field(path, 64, "pdr", "lower_pps", v, sizeof(v)), 0);
	assert_string_equal(v, "99500.0");
	assert_int_equal(csv_field(path, 64, "ndr", "pct_of_max", v, sizeof(v)), 0);
	assert_string_equal(v, "9.90");
	/* 99000 pps * 64 B * 8 = 50.688 Mbit/s; L1: 99000 * 84 * 8 = 66.528 */
	assert_int_equal(csv_field(path, 64, "ndr", "lower_l2_mbps", v, sizeof(v)), 0);
	assert_string_equal(v, "50.688");
	assert_int_equal(csv_field(path, 64, "ndr", "lower_l1_mbps", v, sizeof(v)), 0);
	assert_string_equal(v, "66.528");
	assert_int_equal(csv_field(path, 1518, "ndr", "limit", v, sizeof(v)), 0);
	assert_string_equal(v, "generator");
	assert_int_equal(csv_field(path, 1518, "ndr", "upper_pps", v, sizeof(v)), 0);
	assert_string_equal(v, "");
	assert_int_equal(csv_field(path, 64, "ndr", "trials", v, sizeof(v)), 0);
	assert_string_equal(v, "6");

	snprintf(path, sizeof(path), "%s/trials.csv", dir);
	text = slurp(path);
	assert_non_null(strstr(text, "\n64,1,0,top,max,1.000,1000000.0,1000000,100000,90.000000,"));
	assert_non_null(strstr(text, ",7\n"));

	snprintf(path, sizeof(path), "%s/search", dir);
	text = slurp(path);
	assert_non_null(strstr(text, ">= 81.0 kpps, generator-limited"));
	assert_non_null(strstr(text, "platform local"));
	assert_non_null(strstr(text, "1:01"));

	snprintf(path, sizeof(path), "%s/search.json", dir);
	text = slurp(path);
	assert_non_null(strstr(text, "\"platform\": \"local\""));
	assert_non_null(strstr(text, "\"status\": \"complete\""));
	assert_non_null(strstr(text, "\"limit\": \"generator\""));
	assert_non_null(strstr(text, "\"upper_pps\": null"));

	if (system("command -v gnuplot >/dev/null") == 0) {
		char cmd[512], tpl[512];

		/* the files exist: a second search in the same directory is refused,
		 * not written over (nor through a symlink planted there) */
		assert_int_equal(open_dir_and(dir, &meta, &p, &o), -EEXIST);
		assert_null(o);
		snprintf(cmd, sizeof(cmd), "rm '%s/trials.csv' '%s/search' '%s/search.csv'", dir,
			 dir, dir);
		assert_int_equal(system(cmd), 0);
		/* templates from the source tree */
		assert_int_equal(open_dir_and(dir, &meta, &p, &o), 0);
		assert_int_equal(search_out_trial(o, &rec, 1), 0);
		r.size = 64;
		assert_int_equal(search_out_result(o, &r), 0);
		snprintf(tpl, sizeof(tpl), "%s/plots", getenv("MP_TOP") ? getenv("MP_TOP") : ".");
		assert_int_equal(search_out_plots(o, tpl), 3);
		search_out_close(o);
		snprintf(path, sizeof(path), "%s/plots/search_trials_64.png", dir);
		assert_int_equal(access(path, R_OK), 0);
		snprintf(path, sizeof(path), "%s/plots/search_rate.svg", dir);
		assert_int_equal(access(path, R_OK), 0);
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parsers),
	    cmocka_unit_test(test_fmt_bound),
	    cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
