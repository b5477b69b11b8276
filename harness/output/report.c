/* report.html; see report.h. */
#include "harness/output/report.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/output/columns.h"
#include "harness/output/csvread.h"
#include "harness/output/search_cols.h"
#include "harness/output/flags.h"
#include "harness/output/knee.h"
#include "harness/output/plots.h"
#include "lib/atomic_file.h"
#include "lib/mtime.h"
#include "lib/units.h"

static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

static void meta_row(FILE *f, const char *key, const char *val)
{
	fprintf(f, "<tr><th>%s</th><td>", key);
	html_text(f, val && *val ? val : "-");
	fputs("</td></tr>\n", f);
}

/* Every plot in a grid cell of the same width and a 3:2 box, whatever size
 * its SVG says (or does not say), so that they read side by side. */
static const char style[] = "body{font-family:sans-serif;margin:2em;color:#222;max-width:1500px}"
			    "table{border-collapse:collapse;margin:1em 0}"
			    "td,th{border:1px solid #ccc;padding:.25em .6em}"
			    "table.stats td{text-align:right;font-variant-numeric:tabular-nums}"
			    "table.stats td.note{text-align:left}"
			    "table.meta th{text-align:left;background:#f4f4f4}"
			    "tr.loss td{background:#fff1f0}"
			    "tr.flag td{background:#fff7d6}"
			    "div.summary{border-left:6px solid #2a6fdb;background:#f3f7ff;"
			    "padding:.6em 1.2em;margin:1em 0;font-size:1.1em}"
			    "div.warn{border-left-color:#d98c00;background:#fff7e6}"
			    "div.summary li{margin:.3em 0}"
			    "div.plots{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));"
			    "gap:1em;align-items:start}"
			    "figure{margin:0}"
			    "figure img{display:block;width:100%;height:auto;aspect-ratio:3/2;"
			    "object-fit:contain;border:1px solid #ddd;background:#fff}"
			    "figcaption{font-size:.9em;color:#555}";

static void write_meta(FILE *f, const struct results_meta *m, unsigned n)
{
	char start[32], end[32] = "-", count[16];

	mtime_fmt_utc(start, sizeof(start), m->start_ns, 1);
	if (m->end_ns)
		mtime_fmt_utc(end, sizeof(end), m->end_ns, 1);
	snprintf(count, sizeof(count), "%u", n);
	fputs("<table class=\"meta\">\n", f);
	/* Only what applies: a local run has no library or commit. */
	if (m->library[0])
		meta_row(f, "library", m->library);
	if (m->commit[0])
		meta_row(f, "commit", m->commit);
	if (m->dut[0])
		meta_row(f, "DUT", m->dut);
	meta_row(f, "platform", m->platform);
	meta_row(f, "generator", m->generator);
	meta_row(f, "start", start);
	if (m->end_ns)
		meta_row(f, "end", end);
	meta_row(f, "status", m->status);
	meta_row(f, "points", count);
	meta_row(f, "kernel", m->kernel);
	meta_row(f, "CPU", m->cpu);
	meta_row(f, "mir-perf", m->version);
	fputs("</table>\n", f);
}

/* The sizes of the run, in the order they first appear: calls fn for each. */
static void for_each_size(FILE *f, const struct results *r,
			  void (*fn)(FILE *f, const struct results *r, uint32_t size))
{
	unsigned i, j;

	for (i = 0; i < results_count(r); i++) {
		uint32_t size = results_point_at(r, i)->size;

		for (j = 0; j < i && results_point_at(r, j)->size != size; j++)
			;
		if (j == i)
			fn(f, r, size);
	}
}

static void knee_item(FILE *f, const struct results *r, uint32_t size)
{
	char line[320];

	const struct results_point *b = results_best(r, size);

	knee_sentence(r, size, line, sizeof(line));
	fprintf(f, "<li><b>%u B</b>: ", size);
	if (b)
		fprintf(f, "loss-free up to %.0f pps (%.2f Mbit/s); ", b->offered_pps,
			results_sink_mbps(b));
	else
		fputs("no loss-free point; ", f);
	fputs("knee ", f);
	html_text(f, line);
	fputs("</li>\n", f);
}

/* NDR and PDR bounds from search.csv, one item per size and target. */
static int search_items(FILE *f, const struct results *r)
{
	char path[PATH_MAX + 16], a[32], b[32], *fl[CSV_MAX_COLS];
	int cs, ct, cl, cu, cf, ctol, n = 0;
	struct csv c;
	double lo, up, found, tol = NAN;

	snprintf(path, sizeof(path), "%s/search.csv", results_dir(r));
	if (csv_open(&c, path))
		return 0;
	cs = csv_col_of(&c, &search_columns, SR_SIZE, 0);
	ct = csv_col_of(&c, &search_columns, SR_TARGET, 0);
	cl = csv_col_of(&c, &search_columns, SR_LOWER_PPS, 0);
	cu = csv_col_of(&c, &search_columns, SR_UPPER_PPS, 0);
	cf = csv_col_of(&c, &search_columns, SR_FOUND, 0);
	ctol = csv_col_of(&c, &search_columns, SR_LOSS_TOLERANCE_PCT, 0);
	while (cs >= 0 && ct >= 0 && cl >= 0 && cu >= 0 && cf >= 0 && csv_next(&c, fl) > 0) {
		if (csv_num(&c, fl, cl, &lo) || csv_num(&c, fl, cu, &up) ||
		    csv_num(&c, fl, cf, &found))
			break;
		if (ctol >= 0 && csv_num(&c, fl, ctol, &tol))
			break;
		fprintf(f, "<li><b>%s B</b> %s", fl[cs],
			!strcmp(fl[ct], "ndr")	 ? "NDR"
			: !strcmp(fl[ct], "pdr") ? "PDR"
						 : "?");
		if (!isnan(tol))
			fprintf(f, " (loss &le; %g %%)", tol);
		if (found > 0 && !isnan(lo)) {
			units_fmt_pps(a, sizeof(a), lo);
			units_fmt_pps(b, sizeof(b), up);
			fprintf(f, ": at least %s%s%s</li>\n", a, isnan(up) ? "" : ", less than ",
				isnan(up) ? "" : b);
		} else {
			fputs(": not found</li>\n", f);
		}
		n++;
	}
	csv_close(&c);
	return n;
}

/* The first screen: how fast is it, and where does it break? Then what is
 * wrong with the measurement itself, if anything. */
static void write_summary(FILE *f, const struct results *r)
{
	unsigned i, gen = 0, order = 0, stopped = 0, agent = 0;
	char text[512];

	fputs("<div class=\"summary\"><b>What was found</b>\n<ul>\n", f);
	if (!results_count(r))
		fputs("<li>no point was measured</li>\n", f);
	else if (!search_items(f, r))
		for_each_size(f, r, knee_item);
	fputs("</ul></div>\n", f);
	for (i = 0; i < results_count(r); i++) {
		unsigned fl = results_point_at(r, i)->flags;

		gen += !!(fl & RESULTS_GEN_FAILED);
		order += !!(fl & RESULTS_RATE_ORDER);
		stopped += !!(fl & RESULTS_DUT_STOPPED);
		agent += !!(fl & RESULTS_AGENT_DIFFERS);
	}
	if (!gen && !order && !stopped && !agent)
		return;
	fputs("<div class=\"summary warn\"><b>Read with care</b>\n<ul>\n", f);
	for (i = 0; i < results_count(r); i++) {
		const struct results_point *p = results_point_at(r, i);

		if (!(p->flags & (RESULTS_GEN_FAILED | RESULTS_DUT_STOPPED)))
			continue;
		flags_text(p, text, sizeof(text));
		fprintf(f, "<li>point %u (%u B): ", p->index, p->size);
		html_text(f, text);
		fputs("</li>\n", f);
		if (p->flags & RESULTS_DUT_STOPPED)
			break; /* the points after it say the same */
	}
	if (order)
		fprintf(f, "<li>%u point%s with a rate above its upstream's (see the table)</li>\n",
			order, order == 1 ? "" : "s");
	if (agent)
		fprintf(f,
			"<li>%u point%s where the agent's count disagrees with the generator's "
			"link counter (see the table)</li>\n",
			agent, agent == 1 ? "" : "s");
	fputs("</ul></div>\n", f);
}

/* Plots beyond the sweep's: a search's and the trials' confidence intervals
 * (harness/output/search_out.c, harness/output/trials_summary.c), when they were drawn. */
static const char *const extra_plots[][2] = {
    {"search_rate", "NDR and PDR against frame size (bars: lower..upper bound)"},
    {"search_gbps", "NDR and PDR in Gbit/s, layer 2 and layer 1"},
    {"rx_vs_offered_ci", "Received vs offered, mean of the trials and 95 % confidence intervals"},
};

static void write_figure(FILE *f, const struct results *r, const char *name, const char *caption)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "plots/%s.svg", name);
	if (faccessat(results_dirfd(r), path, R_OK, 0))
		return;
	fprintf(f,
		"<figure><img src=\"plots/%s.svg\" alt=\"%s\" width=\"900\" height=\"600\">"
		"<figcaption>%s (<a href=\"plots/%s.png\">PNG</a>)</figcaption></figure>\n",
		name, caption, caption, name);
}

static void write_extra_plots(FILE *f, const struct results *r)
{
	char name[64], caption[96];
	unsigned i, j;

	for (i = 0; i < sizeof(extra_plots) / sizeof(extra_plots[0]); i++)
		write_figure(f, r, extra_plots[i][0], extra_plots[i][1]);
	for (i = 0; i < results_count(r); i++) {
		uint32_t size = results_point_at(r, i)->size;

		for (j = 0; j < i && results_point_at(r, j)->size != size; j++)
			;
		if (j < i)
			continue;
		snprintf(name, sizeof(name), "search_trials_%u", size);
		snprintf(caption, sizeof(caption), "Every search trial at %u B", size);
		write_figure(f, r, name, caption);
	}
}

/* The search's own table (the file `search`), as it is. */
static void write_search(FILE *f, const struct results *r)
{
	char line[1024];
	FILE *s;
	int fd;

	fd = openat(results_dirfd(r), "search", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	s = fdopen(fd, "r");
	if (!s) {
		close(fd);
		return;
	}
	fputs("<h2>Throughput search</h2>\n<pre>", f);
	while (fgets(line, sizeof(line), s))
		html_text(f, line);
	fputs("</pre>\n<p>Files: <a href=\"search\">search</a>, <a href=\"search.csv\">"
	      "search.csv</a>, <a href=\"search.json\">search.json</a>, <a href=\"trials.csv\">"
	      "trials.csv</a>.</p>\n",
	      f);
	fclose(s);
}

static void write_plots(FILE *f, const struct results *r)
{
	unsigned k;

	fputs("<h2>Plots</h2>\n<div class=\"plots\">\n", f);
	for (k = 0; k < PLOT_COUNT; k++)
		write_figure(f, r, plots_name(k), plots_caption(k));
	write_extra_plots(f, r);
	fputs("</div>\n", f);
}

/* The points, from the column table (COL_HTML); a row's class marks a
 * flagged point, or one that lost frames. */
static int write_table(FILE *f, const struct results *r)
{
	char line[4096];
	struct col_val note;
	unsigned i;
	int rc;

	fputs("<h2>Points</h2>\n<table class=\"stats\">\n", f);
	rc = columns_html_header(&columns_point, line, sizeof(line));
	if (rc < 0)
		return rc;
	fputs(line, f);
	for (i = 0; i < results_count(r); i++) {
		const struct results_point *p = results_point_at(r, i);

		/* a flagged point is the table's note: one said in words */
		columns_value(&columns_point.col[CP_NOTE], p, COL_HTML, &note);
		rc = columns_html_row(&columns_point, p,
				      note.s[0]		     ? "flag"
				      : results_loss_free(p) ? ""
							     : "loss",
				      line, sizeof(line));
		if (rc < 0)
			return rc;
		fputs(line, f);
	}
	fputs("</table>\n", f);
	return 0;
}

int report_write(const struct results *r)
{
	char title[256];
	struct afile a;
	FILE *f;
	int rc;

	rc = afile_open(&a, results_dirfd(r), "report.html", 0644, &f);
	if (rc)
		return rc;
	plots_title(title, sizeof(title), results_get_meta(r));
	fputs(
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>mir-perf: ",
	    f);
	html_text(f, title);
	fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>mir-perf: ", style);
	html_text(f, title);
	fputs("</h1>\n", f);
	/* What was found, then the plots that show it, then the details. */
	write_summary(f, r);
	write_plots(f, r);
	write_search(f, r);
	fputs("<h2>Run</h2>\n", f);
	write_meta(f, results_get_meta(r), results_count(r));
	rc = write_table(f, r);
	if (rc) {
		afile_abort(&a);
		return rc;
	}
	fputs("<p>Files: <a href=\"stats\">stats</a>, <a href=\"stats.csv\">stats.csv</a>, "
	      "<a href=\"stats.json\">stats.json</a>, <a href=\"samples.csv\">samples.csv</a>. "
	      "Loss-free: at most ",
	      f);
	fprintf(f, "%g %% of the frames sent lost.</p>\n</body></html>\n", RESULTS_LOSS_FREE_PCT);
	return afile_commit(&a, 1);
}
