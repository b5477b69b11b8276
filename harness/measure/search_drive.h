/* The throughput search of a whole run on a real platform: for every frame
 * size of the run, search_run() with the sweep's point runner as the trial
 * function. Every trial is also appended to the run's results as a point
 * (stats, stats.csv, samples.csv), and to trials.csv with what the search
 * made of it; the search files and plots come from search_out. */
#ifndef MP_SEARCH_DRIVE_H
#define MP_SEARCH_DRIVE_H

#include <stdio.h>

#include "harness/platform/platform.h"
#include "harness/output/results.h"
#include "harness/config/run_cfg.h"
#include "harness/measure/search.h"
#include "harness/measure/sweep.h"

struct search_drive_deps {
	const struct run_cfg *cfg;
	const struct platform_ops *ops;
	struct platform *plat;
	struct sweep *sweep;   /* from sweep_new() on the same deps */
	struct results *res;   /* open on the run directory */
	const char *templates; /* plots/ templates, or NULL for no plot */
};

/* Search every size. 0; -EINTR when stopped (what was found is written);
 * another negative errno after logging why. */
int search_drive(const struct search_drive_deps *d);

#endif
