/* Plots and report.html from fixed results: gnuplot really renders every plot
 * as PNG and SVG from the templates in plots/, the title cannot inject gnuplot
 * commands, and the report shows the plots and one table row per point. */
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

#include "harness/output/plots.h"
#include "harness/output/report.h"
#include "harness/output/results.h"
#include "lib/units.h"

static uint64_t sizes[] = {64, 512, 1518};
static uint64_t rates[] = {100000, 200000, 400000, 800000};
static struct run_cfg cfg;
static char dir[] = "/tmp/mp-test-plots-XXXXXX";
static char templates[PATH_MAX];

static int setup(void **state)
{
	const char *top = getenv("MP_TOP");

	memset(&cfg, 0, sizeof(cfg));
	cfg.sizes.v = sizes;
	cfg.sizes.n = 3;
	cfg.rates.v = rates;
	cfg.rates.n = 4;
	strcpy(dir, "/tmp/mp-test-plots-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(templates, sizeof(templates), "%s/plots", top ? top : ".");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	if (!getenv("MP_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
	return 0;
}

/* A DUT that forwards at most cap pps of any size; the generator does 600 kpps. */
static void fill(struct results *r)
{
	double cap = 450000, gen = 600000;
	unsigned s, k, n = 0;

	for (s = 0; s < 3; s++) {
		for (k = 0; k < 4; k++) {
			struct results_point p;
			double off = (double)rates[k] < gen ? (double)rates[k] : gen;
			double rx = off < cap ? off : cap;

			memset(&p, 0, sizeof(p));
			p.index = ++n;
			p.trial = 1;
			p.size = (uint32_t)sizes[s];
			p.target_pps = rates[k];
			p.offered_pps = off;
			p.window_ns = 10000000000ULL;
			p.sent = (uint64_t)(off * 12);
			p.received = (uint64_t)(rx * 12);
			p.hop[HOP_GEN_TX].pps = p.hop[HOP_DUT_IN].pps = off;
			p.hop[HOP_DUT_OUT].pps = p.hop[HOP_SINK_RX].pps = rx;
			p.lat_p50_us = 10 + off / 20000;
			p.lat_p99_us = 3 * p.lat_p50_us;
			p.lat_p999_us = 5 * p.lat_p50_us;
			p.settled = 1;
			assert_int_equal(results_add(r, &p), 0);
		}
	}
}

static int is_png(const char *path)
{
	unsigned char sig[8] = {0};
	FILE *f = fopen(path, "rb");
	int ok;

	if (!f)
		return 0;
	ok = fread(sig, 1, 8, f) == 8 && !memcmp(sig, "\x89PNG\r\n\x1a\n", 8);
	fclose(f);
	return ok;
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_size;
}

static void test_render_and_report(void **state)
{
	struct results_meta meta;
	struct results *r;
	char path[PATH_MAX + 64], html[65536];
	const char *p;
	unsigned k;
	size_t n;
	FILE *f;

	results_meta_collect(&meta, &cfg, "local", 1795000000ULL * 1000000000ULL);
	strcpy(meta.library, "mirage-net-xen");
	strcpy(meta.commit, "0123456789abcdef0123456789abcdef01234567");
	assert_int_equal(results_open(dir, &meta, &cfg, &r), 0);
	/* nothing measured yet: nothing to draw, not an error */
	assert_int_equal(plots_render(r, templates), 0);
	fill(r);
	assert_int_equal(plots_render(r, templates), PLOT_COUNT);
	for (k = 0; k < PLOT_COUNT; k++) {
		snprintf(path, sizeof(path), "%s/plots/%s.png", dir, plots_name(k));
		assert_true(is_png(path));
		assert_true(file_size(path) > 5000);
		snprintf(path, sizeof(path), "%s/plots/%s.svg", dir, plots_name(k));
		assert_true(file_size(path) > 5000);
	}
	assert_int_equal(report_write(r), 0);
	snprintf(path, sizeof(path), "%s/report.html", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(html, 1, sizeof(html) - 1, f);
	html[n] = '\0';
	fclose(f);
	assert_non_null(strstr(html, "<img src=\"plots/rx_vs_offered.svg\""));
	assert_non_null(strstr(html, "<img src=\"plots/latency_vs_offered.svg\""));
	/* the first screen says what was found, size by size */
	assert_non_null(strstr(html, "<div class=\"summary\"><b>What was found</b>"));
	assert_non_null(strstr(html, "<li><b>64 B</b>: loss-free up to 400000 pps (204.80 Mbit/s); "
				     "knee between 400 kpps (loss-free) and "));
	/* every plot in the same box; no library row left empty */
	for (k = 0, p = html; (p = strstr(p, "<img ")); p++, k++)
		assert_int_equal(strncmp(strstr(p, "width="), "width=\"900\" height=\"600\"", 24),
				 0);
	assert_int_equal(k, PLOT_COUNT);
	assert_null(strstr(html, "<td>-</td></tr>\n<tr><th>commit"));
	assert_null(strstr(html, "http")); /* readable with no network */
	/* the points table: a header row and one row per point */
	for (k = 0, p = strstr(html, "<h2>Points</h2>"); p && (p = strstr(p, "<tr")); p++)
		k++;
	assert_int_equal(k, 12 + 1); /* header + one row per point */
	results_close(r);
}

static void test_title_is_inert(void **state)
{
	struct results_meta m;
	char t[256];

	memset(&m, 0, sizeof(m));
	strcpy(m.dut, "exec:sh -c 'x'; `touch /tmp/p`; @x {y} $z \"q\"\n");
	strcpy(m.platform, "local");
	plots_title(t, sizeof(t), &m);
	assert_null(strpbrk(t, "'`@{}$\";\n\\"));
	assert_non_null(strstr(t, "local"));
	strcpy(m.library, "mirage-net-xen");
	strcpy(m.commit, "0123456789abcdef0123456789abcdef01234567");
	plots_title(t, sizeof(t), &m);
	assert_int_equal(strncmp(t, "mirage-net-xen 0123456789ab ", 28), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_render_and_report, setup, teardown),
	    cmocka_unit_test(test_title_is_inert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
