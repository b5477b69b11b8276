#include "harness/measure/search.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mtime.h"
#include "lib/units.h"
#include "lib/vec.h"

/* A loss ratio within this of the tolerance counts as within it: the ratio is
 * a quotient of counters, the tolerance a parsed decimal. */
#define SEARCH_LOSS_EPS 1e-12
/* The generator reached a rate when it sent at least this share of it. */
#define SEARCH_GEN_REACHED 0.99

struct search_state {
	const struct search_params *p;
	unsigned size;
	struct search_rec *rec;
	unsigned n, cap;
	unsigned phases; /* phases before the final one, after clamping */
	uint64_t top_rate;
	double gen_ratio; /* offered / asked below the top, to aim requests */
	uint64_t t0;
	unsigned expand_up[SEARCH_T_COUNT], expand_down[SEARCH_T_COUNT], probe[SEARCH_T_COUNT];
	int stuck[SEARCH_T_COUNT];
	struct search_result *res;
};

static const char *const search_purpose_names[SEARCH_P_COUNT] = {
    "top", "mrr", "remeasure", "external", "bisect", "repeat",
};

const char *search_purpose_name(enum search_purpose p)
{
	return p < SEARCH_P_COUNT ? search_purpose_names[p] : "?";
}

const char *search_target_name(enum search_target t)
{
	return t == SEARCH_T_NDR ? "NDR" : t == SEARCH_T_PDR ? "PDR" : "?";
}

const char *search_limit_name(enum search_limit l)
{
	switch (l) {
	case SEARCH_LIMIT_GENERATOR:
		return "generator";
	case SEARCH_LIMIT_MAX_RATE:
		return "max-rate";
	default:
		return "none";
	}
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

static double search_tolerance(const struct search_params *p, enum search_target t)
{
	return t == SEARCH_T_NDR ? p->ndr_loss : p->pdr_loss;
}

/* The smallest loss tolerance among the targets searched. */
static double search_min_tolerance(const struct search_params *p)
{
	return (p->targets & SEARCH_NDR) ? p->ndr_loss : p->pdr_loss;
}

static int search_lossy(const struct search_state *st, const struct search_rec *r,
			enum search_target t)
{
	return r->loss_ratio > search_tolerance(st->p, t) + SEARCH_LOSS_EPS;
}

static uint64_t search_phase_duration(const struct search_state *st, unsigned phase)
{
	const struct search_params *p = st->p;
	double f;

	if (!st->phases || phase >= st->phases)
		return p->final_duration_ns;
	f = (double)phase / st->phases;
	return (uint64_t)llround((double)p->initial_duration_ns *
				 pow((double)p->final_duration_ns / p->initial_duration_ns, f));
}

/* Earlier phases aim at a wider interval: each halves it (CSIT's doubling). */
static double search_phase_width(const struct search_state *st, unsigned phase)
{
	double w = st->p->precision * (double)(1u << (st->phases - phase));

	return w > 0.5 ? 0.5 : w;
}

static int search_measure(struct search_state *st, unsigned phase, enum search_purpose why,
			  uint64_t rate, uint64_t duration_ns)
{
	const struct search_params *p = st->p;
	struct search_rec *r;
	uint64_t start;
	int rc;

	rc = VEC_ROOM(st->rec, st->n, st->cap, 32);
	if (rc)
		return rc;
	if (rate < 1)
		rate = 1;
	r = &st->rec[st->n];
	memset(r, 0, sizeof(*r));
	start = mtime_now_ns();
	rc = p->trial(p->ctx, st->size, rate, duration_ns, &r->t);
	if (rc < 0)
		return rc;
	if (!r->t.sent || !(r->t.offered_pps > 0))
		return -EIO; /* a trial that sent nothing measured nothing */
	st->n++;
	st->res->trials++;
	st->res->trial_ns += duration_ns;
	r->index = st->res->trials;
	r->size = st->size;
	r->phase = phase;
	r->purpose = why;
	r->rate = rate;
	r->duration_ns = duration_ns;
	r->at_top = rate == st->top_rate;
	r->start_ns = start - st->t0;
	r->loss_ratio = r->t.received >= r->t.sent
			    ? 0
			    : (double)(r->t.sent - r->t.received) / (double)r->t.sent;
	r->rx_pps = r->t.offered_pps *
		    (double)(r->t.received < r->t.sent ? r->t.received : r->t.sent) /
		    (double)r->t.sent;
	if (!r->at_top) {
		double g = r->t.offered_pps / (double)rate;

		if (g > 0.5 && g < 1.5)
			st->gen_ratio = (st->gen_ratio + g) / 2;
	}
	if (p->on_trial)
		p->on_trial(p->ctx, r);
	return 0;
}

/* The valid bounds of target t at duration d: the lowest lossy offered rate
 * (upper) and the highest loss-free one below it (lower); -1 when none.
 * A lower bound holds only when measured at d or longer (a queue in the DUT
 * hides loss from short trials); an upper bound holds whatever its length (a
 * rate that lost more than the tolerance in a short trial is no NDR/PDR).
 * Loss-free rates above a lossy one are noise and never a lower bound. */
static void search_bounds(const struct search_state *st, enum search_target t, uint64_t d, int *lo,
			  int *hi)
{
	unsigned i;

	*lo = -1;
	*hi = -1;
	for (i = 0; i < st->n; i++) {
		const struct search_rec *r = &st->rec[i];

		if (!search_lossy(st, r, t))
			continue;
		if (*hi < 0 || r->t.offered_pps < st->rec[*hi].t.offered_pps)
			*hi = (int)i;
	}
	for (i = 0; i < st->n; i++) {
		const struct search_rec *r = &st->rec[i];

		if (r->duration_ns < d || search_lossy(st, r, t))
			continue;
		if (*hi >= 0 && r->t.offered_pps >= st->rec[*hi].t.offered_pps)
			continue;
		if (*lo < 0 || r->t.offered_pps > st->rec[*lo].t.offered_pps)
			*lo = (int)i;
	}
}

/* Whether this rate was already asked for at duration d or longer. */
static int search_asked(const struct search_state *st, uint64_t rate, uint64_t d)
{
	unsigned i;

	for (i = 0; i < st->n; i++)
		if (st->rec[i].rate == rate && st->rec[i].duration_ns >= d)
			return 1;
	return 0;
}

/* The highest loss-free rate of a shorter phase below `below`, to measure
 * again at d; one whose rate was already measured at d is not asked again
 * (what the generator offers jitters, so the same rate may land on either
 * side of a bound). */
static int search_old_lower(const struct search_state *st, enum search_target t, double below,
			    uint64_t d)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < st->n; i++) {
		const struct search_rec *r = &st->rec[i];
		double o = r->t.offered_pps;

		if (search_lossy(st, r, t) || o >= below || search_asked(st, r->rate, d))
			continue;
		if (best < 0 || o > st->rec[best].t.offered_pps)
			best = (int)i;
	}
	return best;
}

static int search_top_ok(const struct search_state *st, enum search_target t, uint64_t d)
{
	unsigned i;

	for (i = 0; i < st->n; i++)
		if (st->rec[i].at_top && st->rec[i].duration_ns >= d &&
		    !search_lossy(st, &st->rec[i], t))
			return 1;
	return 0;
}

/* The rate to ask for so that the generator offers `pps`. */
static uint64_t search_aim(const struct search_state *st, double pps)
{
	double r = ceil(pps / st->gen_ratio);

	if (r >= (double)st->top_rate)
		return st->top_rate;
	return r < 1 ? 1 : (uint64_t)r;
}

/* What the lowest lossy trial above `above` forwarded (any duration). */
static double search_forwarding_estimate(const struct search_state *st, enum search_target t,
					 double above)
{
	int best = -1;
	unsigned i;

	for (i = 0; i < st->n; i++)
		if (st->rec[i].t.offered_pps > above && search_lossy(st, &st->rec[i], t) &&
		    (best < 0 || st->rec[i].t.offered_pps < st->rec[best].t.offered_pps))
			best = (int)i;
	return best < 0 ? 0 : st->rec[best].rx_pps;
}

/* What target t needs next in this phase: a rate, or 0 when it has its bounds. */
static uint64_t search_next(struct search_state *st, enum search_target t, unsigned phase,
			    enum search_purpose *why)
{
	const struct search_params *p = st->p;
	uint64_t d = search_phase_duration(st, phase);
	double w = search_phase_width(st, phase), lo_o, hi_o, target;
	int lo, hi, old;
	unsigned k;

	search_bounds(st, t, d, &lo, &hi);
	if (hi < 0) {
		if (search_top_ok(st, t, d))
			return 0; /* nothing above to find: limited */
		lo_o = lo >= 0 ? st->rec[lo].t.offered_pps : 0;
		*why = SEARCH_P_TOP;
		if (lo < 0)
			return st->top_rate;
		k = st->expand_up[t]++;
		target = lo_o * (1 + w * (double)(2u << (k < 20 ? k : 20)));
		if (target >= st->res->top_pps * (1 - w))
			return st->top_rate;
		*why = SEARCH_P_EXTERNAL;
		return search_aim(st, target);
	}
	hi_o = st->rec[hi].t.offered_pps;
	if (lo < 0) {
		if (st->rec[hi].rate <= p->min_rate)
			return 0; /* lossy at the lowest rate: there is no such rate */
		old = search_old_lower(st, t, hi_o, d);
		if (old >= 0) {
			*why = SEARCH_P_REMEASURE;
			return st->rec[old].rate;
		}
		k = st->expand_down[t]++;
		w = w * (double)(2u << (k < 20 ? k : 20));
		target = hi_o * (1 - (w > 0.75 ? 0.75 : w));
		/* What came back at the upper bound is where a DUT at its capacity
		 * forwards: jump there when that is lower (MLRsearch's MRR idea). */
		if (st->rec[hi].rx_pps < target)
			target = st->rec[hi].rx_pps;
		*why = SEARCH_P_EXTERNAL;
		if (target <= (double)p->min_rate)
			return p->min_rate;
		return search_aim(st, target);
	}
	st->expand_up[t] = 0;
	st->expand_down[t] = 0;
	lo_o = st->rec[lo].t.offered_pps;
	if ((hi_o - lo_o) / hi_o <= w)
		return 0;
	if ((hi_o - lo_o) / hi_o <= 2 * w - w * w) {
		/* Close to the goal: any rate in [hi (1 - w), lo / (1 - w)] ends it
		 * either way; aim at the middle of that range, so that a generator
		 * a little off the asked rate still lands inside. */
		target = (hi_o * (1 - w) + lo_o / (1 - w)) / 2;
	} else {
		/* A DUT past its capacity forwards about its capacity, so what
		 * came back from lossy trials estimates where the bound is
		 * (MLRsearch's MRR idea): measure at that estimate, or when the
		 * lower bound is already there, once just above it. Otherwise (no
		 * estimate, or a DUT whose forwarding collapses under overload)
		 * plain bisection. */
		double est = search_forwarding_estimate(st, t, lo_o);

		target = (lo_o + hi_o) / 2;
		if (est > lo_o * (1 + w) && est < hi_o * (1 - w) && !st->probe[t]) {
			st->probe[t] = 1;
			target = est;
		} else if (est >= lo_o * (1 - w) && est <= lo_o * (1 + w) && st->probe[t] < 2 &&
			   lo_o * (1 + w) < target) {
			st->probe[t] = 2;
			target = lo_o * (1 + w);
		}
	}
	*why = SEARCH_P_BISECT;
	return search_aim(st, target);
}

/* One phase: measure until every target has its bounds at this duration. */
static int search_phase(struct search_state *st, unsigned phase)
{
	const struct search_params *p = st->p;
	uint64_t d = search_phase_duration(st, phase);

	memset(st->probe, 0, sizeof(st->probe));
	/* Stuck is per phase: a target the generator cannot narrow at this
	 * duration still needs its bounds measured at the next one (the final
	 * bounds are full-length trials or nothing). */
	memset(st->stuck, 0, sizeof(st->stuck));
	for (;;) {
		enum search_purpose why = SEARCH_P_BISECT;
		uint64_t rate = 0;
		int t, rc;

		for (t = 0; t < SEARCH_T_COUNT && !rate; t++) {
			if (!(p->targets & (1u << t)) || st->stuck[t])
				continue;
			rate = search_next(st, (enum search_target)t, phase, &why);
			/* The generator did not land where it was asked: this target
			 * cannot be narrowed further; report it unconverged. */
			if (rate && why != SEARCH_P_REMEASURE && search_asked(st, rate, d)) {
				st->stuck[t] = 1;
				rate = 0;
			}
		}
		if (!rate)
			return 0;
		if (st->res->trials >= p->max_trials)
			return 0;
		rc = search_measure(st, phase, why, rate, d);
		if (rc < 0)
			return rc;
	}
}

static void search_final_bound(struct search_state *st, enum search_target t)
{
	const struct search_params *p = st->p;
	struct search_bound *b = &st->res->b[t];
	uint64_t d = p->final_duration_ns;
	int lo, hi;

	memset(b, 0, sizeof(*b));
	search_bounds(st, t, d, &lo, &hi);
	if (lo >= 0) {
		b->found = 1;
		b->lower_pps = st->rec[lo].t.offered_pps;
		b->lower_loss = st->rec[lo].loss_ratio;
	}
	if (hi >= 0) {
		b->upper_pps = st->rec[hi].t.offered_pps;
		b->upper_loss = st->rec[hi].loss_ratio;
		if (lo >= 0)
			b->converged =
			    (b->upper_pps - b->lower_pps) / b->upper_pps <= p->precision + 1e-9;
		else
			b->converged = st->rec[hi].rate <= p->min_rate;
	} else if (lo >= 0 && search_top_ok(st, t, d)) {
		b->converged = 1;
		b->limit = p->max_rate != UNITS_RATE_MAX &&
				   st->res->top_pps >= SEARCH_GEN_REACHED * (double)p->max_rate
			       ? SEARCH_LIMIT_MAX_RATE
			       : SEARCH_LIMIT_GENERATOR;
	}
	if (st->stuck[t])
		b->converged = 0;
}

/* trials = N: top the lower bound's rate up to N full-length trials. Returns
 * how many trials it made (a repeat may move the bounds: the caller asks
 * again until nothing more is needed), or a negative errno. */
static int search_repeat_measure(struct search_state *st, enum search_target t)
{
	const struct search_params *p = st->p;
	uint64_t d = p->final_duration_ns, rate;
	unsigned i, have = 0, made = 0;
	int lo, hi, rc;

	search_bounds(st, t, d, &lo, &hi);
	if (lo < 0)
		return 0;
	rate = st->rec[lo].rate;
	for (i = 0; i < st->n; i++)
		if (st->rec[i].rate == rate && st->rec[i].duration_ns >= d)
			have++;
	for (; have < p->repeats && st->res->trials < p->max_trials; have++, made++) {
		rc = search_measure(st, st->phases, SEARCH_P_REPEAT, rate, d);
		if (rc < 0)
			return rc;
	}
	return (int)made;
}

/* The statistics of every full-length trial at the final lower bound's rate
 * (with N = 1, the one trial that made it). */
static void search_repeat_stats(struct search_state *st, enum search_target t)
{
	struct search_bound *b = &st->res->b[t];
	uint64_t d = st->p->final_duration_ns, rate;
	struct ci_acc rx, off;
	unsigned i;
	int lo, hi;

	search_bounds(st, t, d, &lo, &hi);
	if (lo < 0)
		return;
	rate = st->rec[lo].rate;
	ci_acc_init(&rx);
	ci_acc_init(&off);
	b->repeats_ok = 0;
	for (i = 0; i < st->n; i++) {
		const struct search_rec *r = &st->rec[i];

		if (r->rate != rate || r->duration_ns < d)
			continue;
		ci_acc_add(&rx, r->rx_pps);
		ci_acc_add(&off, r->t.offered_pps);
		b->repeats_ok += !search_lossy(st, r, t);
	}
	ci_acc_finish(&rx, &b->rx);
	ci_acc_finish(&off, &b->offered);
}

/* Repeats for every target until none needs more (a few rounds at most;
 * none after an error), then the final bounds and their statistics, from
 * every trial made. */
static int search_finish(struct search_state *st, unsigned targets, int measure)
{
	int t, rc = 0, made = measure, round;

	for (round = 0; round < 4 && made && st->p->repeats > 1; round++) {
		made = 0;
		for (t = 0; t < SEARCH_T_COUNT; t++) {
			if (!(targets & (1u << t)))
				continue;
			rc = search_repeat_measure(st, (enum search_target)t);
			if (rc < 0)
				goto out;
			made += rc;
		}
		rc = 0;
	}
out:
	for (t = 0; t < SEARCH_T_COUNT; t++) {
		if (!(targets & (1u << t)))
			continue;
		search_final_bound(st, (enum search_target)t);
		search_repeat_stats(st, (enum search_target)t);
	}
	return rc;
}

static int search_mlr(struct search_state *st)
{
	const struct search_params *p = st->p;
	uint64_t d0 = search_phase_duration(st, 0);
	const struct search_rec *r;
	unsigned phase, i;
	int rc;

	rc = search_measure(st, 0, SEARCH_P_TOP, st->top_rate, d0);
	if (rc < 0)
		return rc;
	st->res->top_pps = st->rec[0].t.offered_pps;
	/* Where the DUT's forwarding rate is, twice: the rate received at the
	 * top, then the rate received at that one, if still lossy. */
	for (i = 0; i < 2; i++) {
		r = &st->rec[st->n - 1];
		if (r->loss_ratio <= search_min_tolerance(p) + SEARCH_LOSS_EPS ||
		    r->rx_pps >= r->t.offered_pps * 0.999)
			break;
		rc = search_measure(
		    st, 0, SEARCH_P_MRR,
		    r->rx_pps <= (double)p->min_rate ? p->min_rate : search_aim(st, r->rx_pps), d0);
		if (rc < 0)
			return rc;
		if (st->rec[st->n - 1].rate <= p->min_rate)
			break;
	}
	for (phase = 0; phase <= st->phases; phase++) {
		rc = search_phase(st, phase);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The baseline: per target, a plain binary search with full-length trials,
 * sharing nothing. Used by `make bench-search` to show what the above saves. */
static int search_binary(struct search_state *st, enum search_target t)
{
	const struct search_params *p = st->p;
	uint64_t d = p->final_duration_ns, rate;
	double lo = 0, hi;
	int rc;

	st->n = 0;
	rc = search_measure(st, st->phases, SEARCH_P_TOP, st->top_rate, d);
	if (rc < 0)
		return rc;
	if (!(st->res->top_pps > 0))
		st->res->top_pps = st->rec[0].t.offered_pps;
	if (!search_lossy(st, &st->rec[0], t))
		return 0;
	hi = st->rec[0].t.offered_pps;
	while (st->res->trials < p->max_trials) {
		if (lo > 0 && (hi - lo) / hi <= p->precision)
			return 0;
		rate = search_aim(st, (lo + hi) / 2);
		if (rate <= p->min_rate) {
			if (search_asked(st, p->min_rate, d))
				return 0;
			rate = p->min_rate;
		}
		if (search_asked(st, rate, d)) {
			st->stuck[t] = 1;
			return 0;
		}
		rc = search_measure(st, st->phases, SEARCH_P_BISECT, rate, d);
		if (rc < 0)
			return rc;
		if (search_lossy(st, &st->rec[st->n - 1], t))
			hi = st->rec[st->n - 1].t.offered_pps;
		else
			lo = st->rec[st->n - 1].t.offered_pps;
	}
	return 0;
}

int search_run(const struct search_params *p, unsigned size, struct search_result *out)
{
	struct search_state st;
	int t, rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	out->size = size;
	st.p = p;
	st.size = size;
	st.res = out;
	st.gen_ratio = 1;
	st.top_rate = p->max_rate;
	st.phases = p->initial_duration_ns < p->final_duration_ns ? p->phases : 0;
	if (p->mode == SEARCH_MODE_BINARY)
		st.phases = 0;
	st.t0 = mtime_now_ns();

	if (p->mode == SEARCH_MODE_MLR) {
		rc = search_mlr(&st);
		if (rc)
			search_finish(&st, p->targets, 0); /* what was found so far */
		else
			rc = search_finish(&st, p->targets, 1);
	} else {
		for (t = 0; t < SEARCH_T_COUNT && !rc; t++) {
			if (!(p->targets & (1u << t)))
				continue;
			rc = search_binary(&st, (enum search_target)t);
			if (rc)
				search_finish(&st, 1u << t, 0);
			else
				rc = search_finish(&st, 1u << t, 1);
		}
	}
	out->elapsed_ns = mtime_now_ns() - st.t0;
	free(st.rec);
	return rc;
}
