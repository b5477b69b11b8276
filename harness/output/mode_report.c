/* What the goodput and rr report pages share; see mode_report.h. */
#include "harness/output/mode_report.h"

#include <string.h>

#include "lib/atomic_file.h"
#include "lib/mtime.h"

void mode_report_text(FILE *f, const char *s)
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
	mode_report_text(f, val && *val ? val : "-");
	fputs("</td></tr>\n", f);
}

void mode_report_head(FILE *f, const char *mode, const char *h1, const struct results_meta *m,
		      unsigned points)
{
	char start[32], end[32] = "-", count[16];

	mtime_fmt_utc(start, sizeof(start), m->start_ns, 1);
	if (m->end_ns)
		mtime_fmt_utc(end, sizeof(end), m->end_ns, 1);
	snprintf(count, sizeof(count), "%u", points);
	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mir-perf %s ",
		mode);
	mode_report_text(f, m->dut[0] ? m->dut : m->library);
	fputs("</title><style>body{font-family:sans-serif;margin:2em;color:#222}"
	      "table{border-collapse:collapse;margin:1em 0}"
	      "td,th{border:1px solid #ccc;padding:.25em .6em}"
	      "table.stats td{text-align:right;font-variant-numeric:tabular-nums}"
	      "table.meta th{text-align:left;background:#f4f4f4}"
	      "img{max-width:100%;border:1px solid #ddd}</style></head><body>\n",
	      f);
	fprintf(f, "<h1>%s</h1>\n<table class=\"meta\">\n", h1);
	meta_row(f, "library", m->library);
	meta_row(f, "commit", m->commit);
	meta_row(f, "DUT", m->dut);
	/* goodput: whether the DUT forwarded to a server or was the server */
	if (m->server[0])
		meta_row(f, "iperf3's server",
			 !strcmp(m->server, "dut")
			     ? "the DUT itself (dut): the library's MirageOS iperf3 unikernel"
			     : "behind the DUT (sink)");
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

int mode_report_write(const struct table_out *t, void (*page)(FILE *f, const struct table_out *t))
{
	struct afile a;
	FILE *f;
	int rc;

	rc = afile_open(&a, table_out_dirfd(t), "report.html", 0644, &f);
	if (rc)
		return rc;
	page(f, t);
	return afile_commit(&a, 0);
}
