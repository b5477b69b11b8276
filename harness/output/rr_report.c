/* report.html of an rr run; see rr_report.h. */
#include "harness/output/rr_report.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "lib/atomic_file.h"
#include "lib/mtime.h"

static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

static void meta_row(FILE *f, const char *key, const char *val)
{
	fprintf(f, "<tr><th>%s</th><td>", key);
	html_text(f, val && *val ? val : "-");
	fputs("</td></tr>\n", f);
}

static void write_page(FILE *f, const struct rr_out *o)
{
	static const char *const hops[HOP_COUNT] = {"gen eth0", "tap0", "tap1", "srv eth1"};
	const struct results_meta *m = rr_out_meta(o);
	char start[32], end[32] = "-", count[16];
	unsigned i, h, n = rr_out_count(o);

	mtime_fmt_utc(start, sizeof(start), m->start_ns, 1);
	if (m->end_ns)
		mtime_fmt_utc(end, sizeof(end), m->end_ns, 1);
	snprintf(count, sizeof(count), "%u", n);
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mir-perf rr ", f);
	html_text(f, m->dut[0] ? m->dut : m->library);
	fputs("</title><style>body{font-family:sans-serif;margin:2em;color:#222}"
	      "table{border-collapse:collapse;margin:1em 0}"
	      "td,th{border:1px solid #ccc;padding:.25em .6em}"
	      "table.stats td{text-align:right;font-variant-numeric:tabular-nums}"
	      "table.meta th{text-align:left;background:#f4f4f4}"
	      "img{max-width:100%;border:1px solid #ddd}</style></head><body>\n"
	      "<h1>mir-perf: TCP request/response through the DUT</h1>\n<table class=\"meta\">\n",
	      f);
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
	if (!faccessat(rr_out_dirfd(o), "plots/rr_latency_vs_size.svg", R_OK, 0))
		fputs("<figure><img src=\"plots/rr_latency_vs_size.svg\" alt=\"latency vs "
		      "size\"><figcaption>Transaction latency percentiles against request/response "
		      "size, per connection count: the mean of the trials (<a "
		      "href=\"plots/rr_latency_vs_size.png\">PNG</a>)</figcaption></figure>\n",
		      f);
	fputs("<h2>Points</h2>\n<table class=\"stats\">\n<tr><th>#</th><th>trial</th>"
	      "<th>request B</th><th>response B</th><th>conns</th><th>transactions/s</th>"
	      "<th>p50 us</th><th>p90 us</th><th>p99 us</th><th>p99.9 us</th><th>max us</th>"
	      "<th>completed</th><th>timed out</th><th>failed</th>"
	      "<th>CPU client / server %</th>",
	      f);
	for (h = 0; h < HOP_COUNT; h++)
		fprintf(f, "<th>%s packets out / back</th>", hops[h]);
	fputs("</tr>\n", f);
	for (i = 0; i < n; i++) {
		const struct rr_row *w = rr_out_row_at(o, i);

		fprintf(f,
			"<tr><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>%.1f</td>"
			"<td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td>"
			"<td>%llu</td><td>%llu</td><td>%llu</td><td>%.1f / %.1f</td>",
			w->index, w->pt.trial, w->pt.req, w->pt.resp, w->pt.conns, w->r.tps,
			w->r.lat_p50 / 1e3, w->r.lat_p90 / 1e3, w->r.lat_p99 / 1e3,
			w->r.lat_p999 / 1e3, w->r.lat_max / 1e3,
			(unsigned long long)w->r.completed, (unsigned long long)w->r.timed_out,
			(unsigned long long)w->r.failed, w->r.cpu_client_pct, w->r.cpu_server_pct);
		for (h = 0; h < HOP_COUNT; h++)
			fprintf(f, "<td>%llu / %llu</td>", (unsigned long long)w->hop[h].packets,
				(unsigned long long)w->hop[h].back_packets);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<p>Every figure is in rr.csv and rr.json; the client's own "
	      "documents are in rr/.</p>\n</body></html>\n",
	      f);
}

int rr_report_write(const struct rr_out *o)
{
	struct afile a;
	FILE *f;
	int rc;

	rc = afile_open(&a, rr_out_dirfd(o), "report.html", 0644, &f);
	if (rc)
		return rc;
	write_page(f, o);
	return afile_commit(&a, 0);
}
