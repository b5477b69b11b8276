/* Reading a run directory for mir-perf compare (compare.h): a sweep's
 * stats.csv (by the column table's names) or a search's search.csv, into one
 * value per size and rate (or target) with its noise band; the run's
 * platform, library, commit and DUT from its JSON document. */
#ifndef MP_COMPARE_LOAD_H
#define MP_COMPARE_LOAD_H

#include <stdint.h>

#include "harness/measure/stats_ci.h"

/* One compared figure: a size and a rate (sweep) or a target (search). */
struct cmp_val {
	uint32_t size;
	char key[24];	   /* "ndr", "pdr", or the sweep's target rate as written */
	struct ci_acc acc; /* sweep: the sink's rate over the trials */
	double value;	   /* sweep: mean sink rate; search: the lower bound (0 = none) */
	double lo, hi;	   /* the noise band around value */
	double tolerance;  /* search: the loss tolerance, % */
	int limited;	   /* search: ">= value" */
};

struct cmp_run {
	const char *dir;
	int search;
	char platform[32], library[64], commit[48], dut[128];
	struct cmp_val *v;
	unsigned n, cap;
};

/* Load the run in dir into r (zeroed by the caller; free r->v after).
 * 0, or a negative errno reported here (-EINVAL: not a run, or a file
 * that is not what mir-perf writes: file, line and column named). */
int compare_load_run(struct cmp_run *r, const char *dir);

#endif
