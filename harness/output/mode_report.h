/* What the goodput and rr modes' report.html share: HTML-escaped text,
 * the page's head (title, style, heading and the run's metadata table) and
 * the writing of the file.
 * Each mode writes its own plot and table of points after it. */
#ifndef MP_MODE_REPORT_H
#define MP_MODE_REPORT_H

#include <stdio.h>

#include "harness/output/results.h"
#include "harness/output/table_out.h"

/* s with & < > " escaped; NULL writes nothing. */
void mode_report_text(FILE *f, const char *s);

/* From <!DOCTYPE html> to the end of the metadata table: the title
 * "mir-perf <mode> <DUT or library>", the heading h1 (HTML as it is) and
 * the run's metadata with its count of points (and, for goodput, where
 * iperf3's server was: results_meta.server). */
void mode_report_head(FILE *f, const char *mode, const char *h1, const struct results_meta *m,
		      unsigned points);

/* report.html in t's run directory, through its fd (lib/atomic_file.h:
 * whole or not at all), page(f, t) writing the page. 0 or a negative errno. */
int mode_report_write(const struct table_out *t, void (*page)(FILE *f, const struct table_out *t));

#endif
