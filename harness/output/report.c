/* report.html; see report.h. */
#include "harness/output/report.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/output/plots.h"
#include "lib/atomic_file.h"
#include "lib/mtime.h"

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

static void num_cell(FILE *f, double v, int decimals)
{
	if (isnan(v))
		fputs("<td>-</td>", f);
	else
		fprintf(f, "<td>%.*f</td>", decimals, v);
}

static const char style[] = "body{font-family:sans-serif;margin:2em;color:#222}"
			    "table{border-collapse:collapse;margin:1em 0}"
			    "td,th{border:1px solid #ccc;padding:.25em .6em}"
			    "table.stats td{text-align:right;font-variant-numeric:tabular-nums}"
			    "table.meta th{text-align:left;background:#f4f4f4}"
			    "tr.loss td{background:#fff1f0}"
			    "figure{display:inline-block;margin:1em;max-width:900px}"
			    "img{max-width:100%;border:1px solid #ddd}";

static void write_meta(FILE *f, const struct results_meta *m, unsigned n)
{
	char start[32], end[32] = "-", count[16];

	mtime_fmt_utc(start, sizeof(start), m->start_ns, 1);
	if (m->end_ns)
		mtime_fmt_utc(end, sizeof(end), m->end_ns, 1);
	snprintf(count, sizeof(count), "%u", n);
	fputs("<table class=\"meta\">\n", f);
	meta_row(f, "library", m->library);
	meta_row(f, "commit", m->commit);
	meta_row(f, "DUT", m->dut);
	meta_row(f, "platform", m->platform);
	meta_row(f, "start", start);
	meta_row(f, "end", end);
	meta_row(f, "status", m->status);
	meta_row(f, "points", count);
	meta_row(f, "kernel", m->kernel);
	meta_row(f, "CPU", m->cpu);
	meta_row(f, "mir-perf", m->version);
	fputs("</table>\n", f);
}

static void write_best(FILE *f, const struct results *r)
{
	unsigned i, j;

	fputs("<h2>Highest loss-free rate</h2>\n<ul>\n", f);
	for (i = 0; i < results_count(r); i++) {
		const struct results_point *p = results_point_at(r, i), *b;

		for (j = 0; j < i && results_point_at(r, j)->size != p->size; j++)
			;
		if (j < i)
			continue;
		b = results_best(r, p->size);
		if (b)
			fprintf(f, "<li>%u B: %.0f pps, %.2f Mbit/s%s</li>\n", p->size,
				b->offered_pps, results_sink_mbps(b),
				results_best_is_lower_bound(r, b)
				    ? " (a lower bound: no faster point lost frames)"
				    : "");
		else
			fprintf(f, "<li>%u B: none (every point lost frames)</li>\n", p->size);
	}
	fputs("</ul>\n", f);
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
		"<figure><img src=\"plots/%s.svg\" alt=\"%s\"><figcaption>%s "
		"(<a href=\"plots/%s.png\">PNG</a>)</figcaption></figure>\n",
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
	char path[PATH_MAX + 64];
	unsigned k;

	fputs("<h2>Plots</h2>\n", f);
	for (k = 0; k < PLOT_COUNT; k++) {
		snprintf(path, sizeof(path), "plots/%s.svg", plots_name(k));
		if (faccessat(results_dirfd(r), path, R_OK, 0))
			continue;
		fprintf(f,
			"<figure><img src=\"plots/%s.svg\" alt=\"%s\"><figcaption>%s "
			"(<a href=\"plots/%s.png\">PNG</a>)</figcaption></figure>\n",
			plots_name(k), plots_caption(k), plots_caption(k), plots_name(k));
	}
	write_extra_plots(f, r);
}

static void write_table(FILE *f, const struct results *r)
{
	unsigned i;

	fputs("<h2>Points</h2>\n<table class=\"stats\">\n<tr><th>point</th><th>size<br>B</th>"
	      "<th>target<br>pps</th><th>offered<br>pps</th><th>DUT in<br>pps</th>"
	      "<th>DUT out<br>pps</th><th>sink rx<br>pps</th><th>sink<br>Mbit/s</th>"
	      "<th>sent</th><th>received</th><th>loss<br>%</th><th>lat p50<br>&micro;s</th>"
	      "<th>lat p99<br>&micro;s</th><th>lat p99.9<br>&micro;s</th></tr>\n",
	      f);
	for (i = 0; i < results_count(r); i++) {
		const struct results_point *p = results_point_at(r, i);
		int lat = p->received > 0;

		fprintf(f, "<tr%s><td>%u</td><td>%u</td>",
			results_loss_free(p) ? "" : " class=\"loss\"", p->index, p->size);
		if (p->target_pps == UINT64_MAX)
			fputs("<td>max</td>", f);
		else
			fprintf(f, "<td>%llu</td>", (unsigned long long)p->target_pps);
		num_cell(f, p->offered_pps, 0);
		num_cell(f, p->hop[HOP_DUT_IN].pps, 0);
		num_cell(f, p->hop[HOP_DUT_OUT].pps, 0);
		num_cell(f, p->hop[HOP_SINK_RX].pps, 0);
		num_cell(f, results_sink_mbps(p), 2);
		fprintf(f, "<td>%llu</td><td>%llu</td>", (unsigned long long)p->sent,
			(unsigned long long)p->received);
		num_cell(f, results_loss_pct(p), 3);
		num_cell(f, lat ? p->lat_p50_us : NAN, 1);
		num_cell(f, lat ? p->lat_p99_us : NAN, 1);
		num_cell(f, lat ? p->lat_p999_us : NAN, 1);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

int report_write(const struct results *r)
{
	char title[256];
	struct afile a;
	FILE *f;
	int rc;

	rc = afile_begin(&a, results_dirfd(r), "report.html", 0644);
	if (rc)
		return rc;
	f = afile_stream(&a);
	if (!f) {
		rc = -errno;
		afile_abort(&a);
		return rc;
	}
	plots_title(title, sizeof(title), results_get_meta(r));
	fputs(
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>mir-perf: ",
	    f);
	html_text(f, title);
	fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>mir-perf: ", style);
	html_text(f, title);
	fputs("</h1>\n", f);
	write_meta(f, results_get_meta(r), results_count(r));
	write_best(f, r);
	write_search(f, r);
	write_plots(f, r);
	write_table(f, r);
	fputs("<p>Files: <a href=\"stats\">stats</a>, <a href=\"stats.csv\">stats.csv</a>, "
	      "<a href=\"stats.json\">stats.json</a>, <a href=\"samples.csv\">samples.csv</a>. "
	      "Loss-free: at most ",
	      f);
	fprintf(f, "%g %% of the frames sent lost.</p>\n</body></html>\n", RESULTS_LOSS_FREE_PCT);
	return afile_commit(&a, 1);
}
