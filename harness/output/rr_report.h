/* report.html of an rr run: metadata, the latency plot and a row per point
 * (transactions/s, latency percentiles, the transactions' ends, CPU, every
 * hop both ways). Written through the run directory's fd (lib/atomic_file). */
#ifndef MP_RR_REPORT_H
#define MP_RR_REPORT_H

#include "harness/output/rr_out.h"

int rr_report_write(const struct rr_out *o);

#endif
