/* report.html of an rr run: metadata, the latency plot and a row per point
 * (transactions/s, latency percentiles, the transactions' ends, CPU, every
 * hop both ways). Written through the run directory's fd (lib/atomic_file). */
#ifndef MP_RR_REPORT_H
#define MP_RR_REPORT_H

#include "harness/output/rr_out.h"

/* t: the rr mode's table (rr_out_open). 0 or a negative errno. */
int rr_report_write(const struct table_out *t);

#endif
