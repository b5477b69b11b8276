/* The throughput search of a whole run on a real platform: for every frame
 * size of the run, search_run() with the point runner (point.h) as its
 * measure(duration, load) function. Every trial is also appended to the run's results as a point
 * (stats, stats.csv, samples.csv), and to trials.csv with what the search
 * made of it; the search files and plots come from search_out. */
#ifndef MP_SEARCH_DRIVE_H
#define MP_SEARCH_DRIVE_H

#include "harness/measure/point.h"

/* Search every size of d->cfg; every trial goes to d->res, the search files
 * to d->run_dir, the plots from d->templates. 0; -EINTR when stopped (what
 * was found is written); another negative errno after logging why. */
int search_drive(const struct point_deps *d);

#endif
