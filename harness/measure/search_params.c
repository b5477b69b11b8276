/* The search's parameters; see search_params.h. */
#include "harness/measure/search_params.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/mtime.h"
#include "lib/units.h"

const char *search_target_name(enum search_target t)
{
	return t == SEARCH_T_NDR ? "NDR" : t == SEARCH_T_PDR ? "PDR" : "?";
}

void search_params_default(struct search_params *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = SEARCH_MODE_MLR;
	p->targets = SEARCH_NDR | SEARCH_PDR;
	p->ndr_loss = 0;
	p->pdr_loss = 0.005;
	p->precision = 0.01;
	p->max_rate = UNITS_RATE_MAX;
	p->min_rate = 1000;
	p->final_duration_ns = 10 * NSEC_PER_SEC;
	p->initial_duration_ns = NSEC_PER_SEC;
	p->phases = 1;
	p->repeats = 1;
	p->max_trials = 60;
}

int search_params_check(const struct search_params *p, char *why, unsigned len)
{
	const char *bad = NULL;

	if (!p->trial)
		bad = "no trial function";
	else if (!p->targets || (p->targets & ~(SEARCH_NDR | SEARCH_PDR)))
		bad = "targets must be ndr, pdr or both";
	else if (!(p->precision > 0 && p->precision <= 0.5))
		bad = "precision must be above 0 % and at most 50 %";
	else if (!(p->ndr_loss >= 0 && p->ndr_loss < 1) || !(p->pdr_loss >= 0 && p->pdr_loss < 1))
		bad = "loss tolerances must be at least 0 % and below 100 %";
	else if ((p->targets & SEARCH_NDR) && (p->targets & SEARCH_PDR) &&
		 p->pdr_loss < p->ndr_loss)
		bad = "the PDR loss tolerance must not be below the NDR one";
	else if (!p->min_rate || p->min_rate >= p->max_rate)
		bad = "the minimum rate must be at least 1 pps and below the maximum rate";
	else if (!p->final_duration_ns || !p->initial_duration_ns)
		bad = "trial durations must be above 0";
	else if (p->phases > 8)
		bad = "at most 8 phases";
	else if (!p->repeats || p->repeats > 100)
		bad = "trials must be 1..100";
	else if (p->max_trials < 3)
		bad = "at least 3 trials per size";
	if (bad && why && len)
		snprintf(why, len, "%s", bad);
	return bad ? -EINVAL : 0;
}
