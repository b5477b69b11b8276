/* report.html of a goodput run: the run's metadata, the goodput plot and a
 * table of every point, in one page with no script and no network, written
 * atomically (temp file + rename) like the frames' report. */
#ifndef MP_GOODPUT_REPORT_H
#define MP_GOODPUT_REPORT_H

#include "harness/output/goodput_out.h"

/* t: the goodput mode's table (goodput_out_open). 0 or a negative errno. */
int goodput_report_write(const struct table_out *t);

#endif
