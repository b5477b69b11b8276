/* report.html of a run: metadata, the plots that exist in plots/ and the
 * stats table, in one self-contained page (no script, no network). */
#ifndef MP_REPORT_H
#define MP_REPORT_H

#include "harness/output/results.h"

/* Write <run dir>/report.html (atomically); 0 or a negative errno. */
int report_write(const struct results *r);

#endif
