/* report.html of an rr run; see rr_report.h. */
#include "harness/output/rr_report.h"

#include <stdio.h>
#include <unistd.h>

#include "harness/output/mode_report.h"

static void write_page(FILE *f, const struct table_out *t)
{
	static const char *const hops[HOP_COUNT] = {"gen eth0", "tap0", "tap1", "srv eth1"};
	const struct rr_row *rows = table_out_rows(t);
	const struct results_meta *m = table_out_meta(t);
	unsigned i, h, n = table_out_count(t);

	mode_report_head(f, "rr", "mir-perf: TCP request/response through the DUT", m, n);
	if (!faccessat(table_out_dirfd(t), "plots/rr_latency_vs_size.svg", R_OK, 0))
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
		const struct rr_row *w = &rows[i];

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

int rr_report_write(const struct table_out *t)
{
	return mode_report_write(t, write_page);
}
