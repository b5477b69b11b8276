/* report.html of a goodput run; see goodput_report.h. */
#include "harness/output/goodput_report.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "harness/output/mode_report.h"
#include "lib/units.h"

static void write_page(FILE *f, const struct table_out *t)
{
	const struct goodput_row *rows = table_out_rows(t);
	const struct results_meta *m = table_out_meta(t);
	char rate[32];
	unsigned i, n = table_out_count(t);

	mode_report_head(f, "goodput", "mir-perf: TCP/UDP goodput through the DUT", m, n);
	if (!faccessat(table_out_dirfd(t), "plots/goodput_vs_bufsz.svg", R_OK, 0))
		fputs("<figure><img src=\"plots/goodput_vs_bufsz.svg\" alt=\"goodput vs write "
		      "size\"><figcaption>Goodput against write size, a line per protocol and "
		      "stream count: the mean of the trials, bars from the lowest to the "
		      "highest (<a href=\"plots/goodput_vs_bufsz.png\">PNG</a>)</figcaption>"
		      "</figure>\n",
		      f);
	/* server = dut: the server's link is the DUT's tap0, and its CPU the
	 * DUT domain's (goodput.h) */
	int dut = n && rows[0].server_dut;

	fprintf(f,
		"<h2>Points</h2>\n<table class=\"stats\">\n<tr><th>#</th><th>trial</th>"
		"<th>protocol</th><th>streams</th><th>write B</th><th>UDP target</th>"
		"<th>goodput Mbit/s</th><th>intervals min..max</th><th>retransmits</th>"
		"<th>UDP loss %%</th><th>jitter ms</th><th>CPU client / %s %%</th>"
		"<th>%s bytes</th></tr>\n",
		dut ? "DUT (the server)" : "server", dut ? "DUT tap0 (the server)" : "sink eth1");
	for (i = 0; i < n; i++) {
		const struct goodput_row *w = &rows[i];

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
		if (isnan(w->r.cpu_server_pct)) /* server = dut, the DUT not sampled */
			fprintf(f, "<td>%.1f / -</td>", w->r.cpu_client_pct);
		else
			fprintf(f, "<td>%.1f / %.1f</td>", w->r.cpu_client_pct,
				w->r.cpu_server_pct);
		fprintf(f, "<td>%llu</td></tr>\n",
			(unsigned long long)w->hop[w->server_dut ? HOP_DUT_IN : HOP_SINK_RX].bytes);
	}
	fputs("</table>\n<p>Every figure is in goodput.csv and goodput.json; iperf3's own "
	      "documents are in iperf3/.</p>\n</body></html>\n",
	      f);
}

int goodput_report_write(const struct table_out *t)
{
	return mode_report_write(t, write_page);
}
