/* The sweep loop; see sweep.h. */
#include "harness/measure/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/config/plan.h"
#include "harness/measure/ladder.h"
#include "harness/measure/loop.h"
#include "harness/output/flags.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"

struct sweep {
	struct point_deps d;
	struct point *point; /* the runner every point goes through */
	struct point_req *plan;
	unsigned n;
	unsigned done;
	unsigned gen_failed, dut_stopped; /* points flagged so */
	unsigned first_gen_failed;	  /* index of the first such point */
	struct ladder *ladder;		  /* what max carried per size, for N% rates */
};

int sweep_plan(const struct run_cfg *cfg, struct point_req **pts, unsigned *n)
{
	unsigned trials = cfg->trials ? cfg->trials : 1;
	unsigned i, t, k = 0, points = plan_points(cfg);
	struct point_req *p;
	uint64_t total;

	if (!points)
		return -EINVAL;
	total = (uint64_t)points * trials;
	if (total > RUN_MAX_POINTS)
		return -E2BIG;
	p = calloc((size_t)total, sizeof(*p));
	if (!p)
		return -ENOMEM;
	/* The order --dry-run printed (plan.c), each point's trials in a row. */
	for (i = 0; i < points; i++) {
		for (t = 0; t < trials; t++) {
			plan_point(cfg, i, &p[k].size, &p[k].rate);
			p[k].trial = t + 1;
			k++;
		}
	}
	*pts = p;
	*n = k;
	return 0;
}

uint64_t sweep_eta_ns(unsigned done, unsigned total, uint64_t elapsed_ns, uint64_t planned_point_ns)
{
	return measure_loop_eta_ns(done, total, elapsed_ns, planned_point_ns);
}

static void fmt_rate(char *buf, size_t len, uint64_t rate)
{
	if (rate == UNITS_RATE_MAX)
		snprintf(buf, len, "max");
	else if (run_rate_pct(rate))
		snprintf(buf, len, "%u%% of max's", run_rate_pct(rate));
	else
		units_fmt_pps(buf, len, (double)rate);
}

void sweep_progress_line(char *buf, size_t len, unsigned index, unsigned total, uint32_t size,
			 uint64_t rate, uint64_t elapsed_ns, uint64_t eta_ns)
{
	char r[32], what[64];

	fmt_rate(r, sizeof(r), rate);
	snprintf(what, sizeof(what), "%u B  %s", size, r);
	measure_loop_progress(buf, len, index, total, what, elapsed_ns, eta_ns);
}

int sweep_new(const struct point_deps *deps, struct sweep **out)
{
	struct sweep *s;
	int rc;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->d = *deps;
	rc = sweep_plan(deps->cfg, &s->plan, &s->n);
	if (!rc)
		rc = point_new(deps, &s->point);
	if (rc) {
		sweep_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void sweep_free(struct sweep *s)
{
	if (!s)
		return;
	point_free(s->point);
	free(s->plan);
	ladder_free(s->ladder);
	free(s);
}

unsigned sweep_done(const struct sweep *s)
{
	return s->done;
}

static void sweep_report_point(const struct results_point *p)
{
	char off[32], sink[32], loss[32];
	double l = results_loss_pct(p);

	units_fmt_pps(off, sizeof(off), p->offered_pps);
	units_fmt_pps(sink, sizeof(sink), p->hop[HOP_SINK_RX].pps);
	if (isnan(l))
		snprintf(loss, sizeof(loss), "-");
	else
		snprintf(loss, sizeof(loss), "%.3f %%", l);
	fprintf(stderr, "         offered %s  sink %s  loss %s  p99 %.1f us\n", off, sink, loss,
		p->lat_p99_us);
}

/* Flags in words on the terminal (they are in every file too); counted for the end. */
static void sweep_flagged(struct sweep *s, const struct results_point *p)
{
	char text[512];

	if (!p->flags)
		return;
	flags_text(p, text, sizeof(text));
	log_warn("point %u (%u B): %s", p->index, p->size, text);
	if (p->flags & RESULTS_GEN_FAILED && !s->gen_failed++)
		s->first_gen_failed = p->index;
	if (p->flags & RESULTS_DUT_STOPPED)
		s->dut_stopped++;
}

/* An N% rate becomes N percent of what max carried at this size: the ladder
 * below the DUT's own limit, wherever that lies on this machine. -ENOENT
 * (said) when max carried nothing, so there is nothing to take a share of. */
static int sweep_resolve_pct(struct sweep *s, const struct point_req *pp, unsigned index,
			     struct point_req *out)
{
	unsigned pct = run_rate_pct(pp->rate);
	double pps = ladder_carried(s->ladder, pp->size);

	*out = *pp;
	out->plan_rate = pp->rate;
	out->rate = ladder_rate(pps, pct);
	if (!out->rate) {
		log_warn("point %u (%u B): %u%% of what max carried, but max carried nothing at "
			 "this size; not measured",
			 index, pp->size, pct);
		return -ENOENT;
	}
	if (!s->d.cfg->quiet)
		fprintf(stderr, "         %u%% of the %.0f pps max carried: %llu pps\n", pct, pps,
			(unsigned long long)out->rate);
	return 0;
}

static void sweep_describe(void *ctx, unsigned i, char *buf, size_t len)
{
	const struct sweep *s = ctx;
	char r[32];

	fmt_rate(r, sizeof(r), s->plan[i].rate);
	snprintf(buf, len, "%u B  %s", s->plan[i].size, r);
}

/* One point of the loop: the path made ready for its size, measured, written. */
static int sweep_loop_point(void *ctx, unsigned i)
{
	struct sweep *s = ctx;
	const struct point_req *pp = &s->plan[i];
	struct point_req resolved;
	struct results_point pt;
	int rc;

	rc = point_prepare(s->point, pp->size);
	if (rc)
		return rc;
	if (run_rate_pct(pp->rate)) {
		rc = sweep_resolve_pct(s, pp, i + 1, &resolved);
		if (rc == -ENOENT)
			return 0; /* said why; nothing to measure */
		if (rc)
			return rc;
		pp = &resolved;
	}
	rc = point_run(s->point, pp, i + 1, &pt);
	if (rc)
		return rc;
	if (pp->rate == UNITS_RATE_MAX)
		ladder_set(&s->ladder, pp->size, pt.hop[HOP_SINK_RX].pps);
	rc = point_keep(s->point, &pt, "point");
	if (rc)
		return rc;
	s->done++;
	if (!s->d.cfg->quiet)
		sweep_report_point(&pt);
	sweep_flagged(s, &pt);
	if (point_stops_run(s->point, &pt)) {
		log_err("stopping after point %u: the DUT stopped transmitting (on_dut_stop = stop; "
			"--on-dut-stop continue keeps measuring)",
			pt.index);
		return -EPIPE;
	}
	return 0;
}

int sweep_run(struct sweep *s)
{
	const struct run_cfg *cfg = s->d.cfg;
	struct measure_loop l = {
	    .n = s->n,
	    .start_ns = mtime_now_ns(),
	    .planned_point_ns = cfg->warmup_ns + cfg->duration_ns + cfg->settle_ns,
	    .quiet = cfg->quiet,
	    .stopped = s->d.stopped,
	    .ctx = s,
	    .describe = sweep_describe,
	    .point = sweep_loop_point,
	};

	return measure_loop_run(&l);
}

unsigned sweep_gen_failed(const struct sweep *s, unsigned *first)
{
	if (first)
		*first = s->first_gen_failed;
	return s->gen_failed;
}

unsigned sweep_dut_stopped(const struct sweep *s)
{
	return s->dut_stopped;
}
