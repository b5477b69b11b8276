/* A run's cfg as search parameters, and as a plan; see search_plan.h. */
#include "harness/config/search_plan.h"

#include "lib/units.h"

void search_plan_params(const struct run_cfg *cfg, struct search_params *p)
{
	search_params_default(p);
	p->mode = cfg->search_binary ? SEARCH_MODE_BINARY : SEARCH_MODE_MLR;
	p->targets = cfg->search;
	p->ndr_loss = cfg->ndr_loss;
	p->pdr_loss = cfg->pdr_loss;
	p->precision = cfg->precision;
	p->max_rate = cfg->max_rate;
	p->final_duration_ns = cfg->duration_ns;
	p->initial_duration_ns =
	    SEARCH_PLAN_BRACKET_NS < cfg->duration_ns ? SEARCH_PLAN_BRACKET_NS : cfg->duration_ns;
	p->repeats = cfg->trials ? cfg->trials : 1;
	p->max_trials = 60 + 2 * p->repeats;
}

void search_plan_print(FILE *f, const struct run_cfg *cfg)
{
	struct search_params p;
	char top[32], a[32], b[32];
	unsigned i;

	search_plan_params(cfg, &p);
	if (p.max_rate == UNITS_RATE_MAX)
		snprintf(top, sizeof(top), "the generator's maximum");
	else
		units_fmt_pps(top, sizeof(top), (double)p.max_rate);
	units_fmt_duration(a, sizeof(a), p.initial_duration_ns);
	units_fmt_duration(b, sizeof(b), p.final_duration_ns);
	fprintf(f, "\nsearch (%s) instead of the rates of range-pps, for each size:\n",
		p.mode == SEARCH_MODE_BINARY ? "plain binary search, full-length trials"
					     : "MLRsearch-style");
	if (p.targets & SEARCH_NDR)
		fprintf(f, "  NDR: the highest rate with loss <= %g %%\n", p.ndr_loss * 100);
	if (p.targets & SEARCH_PDR)
		fprintf(f, "  PDR: the highest rate with loss <= %g %%\n", p.pdr_loss * 100);
	if (p.mode == SEARCH_MODE_BINARY)
		fprintf(f, "  to %g %% precision, from %s down; every trial %s%s\n  sizes:",
			p.precision * 100, top, b,
			p.repeats > 1 ? ", each final bound measured `trials` times" : "");
	else
		fprintf(f,
			"  to %g %% precision, from %s down; bracketing trials of %s, final "
			"bounds from trials of %s%s\n  sizes:",
			p.precision * 100, top, a, b,
			p.repeats > 1 ? ", each final bound measured `trials` times" : "");
	for (i = 0; i < cfg->sizes.n; i++)
		fprintf(f, " %llu", (unsigned long long)cfg->sizes.v[i]);
	fputc('\n', f);
}
