/* What a run's cfg asks of the search: its parameters, and the --dry-run
 * description of them (no platform, no root, nothing created). */
#ifndef MP_SEARCH_PLAN_H
#define MP_SEARCH_PLAN_H

#include <stdio.h>

#include "harness/config/run_cfg.h"
#include "harness/measure/search.h"

/* The bracketing trials' length: short enough to be cheap, long enough for
 * the generator to settle at the rate. */
#define SEARCH_PLAN_BRACKET_NS (1000ULL * 1000 * 1000)

/* The search parameters a run's cfg asks for (no trial function set). */
void search_plan_params(const struct run_cfg *cfg, struct search_params *p);

/* --dry-run: what the search would do, instead of the sweep's point list. */
void search_plan_print(FILE *f, const struct run_cfg *cfg);

#endif
