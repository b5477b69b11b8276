/* report.html of a goodput run; see goodput_report.h. */
#include "harness/output/goodput_report.h"

#include "lib/atomic_file.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/mtime.h"
#include "lib/units.h"

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

static void write_page(FILE *f, const struct goodput_out *o)
{
	const struct results_meta *m = goodput_out_meta(o);
	char start[32], end[32] = "-", count[16], rate[32];
	unsigned i, n = goodput_out_count(o);

	mtime_fmt_utc(start, sizeof(start), m->start_ns, 1);
	if (m->end_ns)
		mtime_fmt_utc(end, sizeof(end), m->end_ns, 1);
	snprintf(count, sizeof(count), "%u", n);
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mir-perf goodput ",
	      f);
	html_text(f, m->dut[0] ? m->dut : m->library);
	fputs("</title><style>body{font-family:sans-serif;margin:2em;color:#222}"
	      "table{border-collapse:collapse;margin:1em 0}"
	      "td,th{border:1px solid #ccc;padding:.25em .6em}"
	      "table.stats td{text-align:right;font-variant-numeric:tabular-nums}"
	      "table.meta th{text-align:left;background:#f4f4f4}"
	      "img{max-width:100%;border:1px solid #ddd}</style></head><body>\n"
	      "<h1>mir-perf: TCP/UDP goodput through the DUT</h1>\n<table class=\"meta\">\n",
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
	if (!faccessat(goodput_out_dirfd(o), "plots/goodput_vs_bufsz.svg", R_OK, 0))
		fputs("<figure><img src=\"plots/goodput_vs_bufsz.svg\" alt=\"goodput vs write "
		      "size\"><figcaption>Goodput against write size, a line per protocol and "
		      "stream count: the mean of the trials, bars from the lowest to the "
		      "highest (<a href=\"plots/goodput_vs_bufsz.png\">PNG</a>)</figcaption>"
		      "</figure>\n",
		      f);
	fputs("<h2>Points</h2>\n<table class=\"stats\">\n<tr><th>#</th><th>trial</th>"
	      "<th>protocol</th><th>streams</th><th>write B</th><th>UDP target</th>"
	      "<th>goodput Mbit/s</th><th>intervals min..max</th><th>retransmits</th>"
	      "<th>UDP loss %</th><th>jitter ms</th><th>CPU client / server %</th>"
	      "<th>sink eth1 bytes</th></tr>\n",
	      f);
	for (i = 0; i < n; i++) {
		const struct goodput_row *w = goodput_out_row_at(o, i);

		if (w->pt.udp)
			units_fmt_bps(rate, sizeof(rate), (double)w->pt.bitrate);
		fprintf(f,
			"<tr><td>%u</td><td>%u</td><td>%s</td><td>%u</td><td>%u</td><td>%s</td>"
			"<td>%.2f</td><td>%.2f..%.2f</td>",
			w->index, w->pt.trial, w->pt.udp ? "udp" : "tcp", w->pt.streams,
			w->pt.bufsz, w->pt.udp ? rate : "-", w->r.goodput_bps / 1e6,
			w->r.interval.min / 1e6, w->r.interval.max / 1e6);
		if (w->pt.udp)
			fprintf(f, "<td>-</td><td>%.3f</td><td>%.3f</td>", w->r.lost_pct,
				w->r.jitter_ms);
		else
			fprintf(f, "<td>%llu</td><td>-</td><td>-</td>",
				(unsigned long long)w->r.retransmits);
		fprintf(f, "<td>%.1f / %.1f</td><td>%llu</td></tr>\n", w->r.cpu_client_pct,
			w->r.cpu_server_pct, (unsigned long long)w->hop[HOP_SINK_RX].bytes);
	}
	fputs("</table>\n<p>Every figure is in goodput.csv and goodput.json; iperf3's own "
	      "documents are in iperf3/.</p>\n</body></html>\n",
	      f);
}

int goodput_report_write(const struct goodput_out *o)
{
	struct afile a;
	FILE *f;
	int rc;

	rc = afile_open(&a, goodput_out_dirfd(o), "report.html", 0644, &f);
	if (rc)
		return rc;
	write_page(f, o);
	return afile_commit(&a, 0);
}
