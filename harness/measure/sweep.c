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
#include "harness/measure/verdict.h"
#include "harness/output/flags.h"
#include "harness/output/tail.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"

/* How often waits look at the stop flag, and the DUT. */
#define SWEEP_SLICE_NS	   (100 * NSEC_PER_MSEC)
#define SWEEP_DUT_CHECK_NS (500 * NSEC_PER_MSEC)
/* The generator stops by itself this long after the window should have ended,
 * should the harness not be there to stop it. */
#define SWEEP_TX_MARGIN_NS (2 * NSEC_PER_SEC)
/* Settling: counters are read this often, and a point that still sees frames
 * moving after SWEEP_SETTLE_MAX_NS (or 5 settle gaps) is flagged unsettled. */
#define SWEEP_QUIET_NS	    (100 * NSEC_PER_MSEC)
#define SWEEP_SETTLE_MAX_NS (5 * NSEC_PER_SEC)
/* Lines of the DUT's console or log quoted when it stops transmitting. */
#define SWEEP_CONSOLE_LINES 3

struct point_run;

struct sweep {
	struct sweep_deps d;
	struct sweep_plan_point *plan;
	unsigned n;
	unsigned done;
	uint32_t prepared_size;
	uint64_t last_dut_check_ns;
	struct point_run *watch; /* the point whose traffic runs: its DUT is watched */
	int have_base;
	uint64_t dut_out_base; /* DUT out before the first point: "after N frames" counts from it */
	unsigned gen_failed, dut_stopped; /* points flagged so */
	unsigned first_gen_failed;	  /* index of the first such point */
	int stall_said;			  /* the stall was told in words once */
	struct ladder *ladder;		  /* what max carried per size, for N% rates */
};

int sweep_plan(const struct run_cfg *cfg, struct sweep_plan_point **pts, unsigned *n)
{
	unsigned trials = cfg->trials ? cfg->trials : 1;
	unsigned i, t, k = 0, points = plan_points(cfg);
	struct sweep_plan_point *p;
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

int sweep_new(const struct sweep_deps *deps, struct sweep **out)
{
	struct sweep *s;
	int rc;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->d = *deps;
	/* A throughput search (search_drive) runs its own points: no rate list. */
	rc = plan_points(deps->cfg) ? sweep_plan(deps->cfg, &s->plan, &s->n) : 0;
	if (rc) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void sweep_free(struct sweep *s)
{
	if (!s)
		return;
	free(s->plan);
	ladder_free(s->ladder);
	free(s);
}

unsigned sweep_done(const struct sweep *s)
{
	return s->done;
}

static int sweep_stopped(const struct sweep *s)
{
	return s->d.stopped && s->d.stopped();
}

static int sweep_dut_check(struct sweep *s, uint64_t now)
{
	char why[256] = "";
	int rc;

	s->last_dut_check_ns = now;
	rc = s->d.ops->dut_check(s->d.plat, why, sizeof(why));
	if (rc)
		log_err("the DUT stopped: %s", why[0] ? why : strerror(-rc));
	return rc;
}

/* A monitor call failed: say so, unless a stop signal interrupted it. */
static int monitor_failed(struct sweep *s, unsigned index, const char *what, int rc)
{
	if (rc != -EINTR && !sweep_stopped(s))
		log_err("point %u: %s: %s", index, what, strerror(-rc));
	return sweep_stopped(s) ? -EINTR : rc;
}

static void sweep_watch(struct sweep *s, uint64_t now);

/* Sleep until deadline in slices, watching the stop flag and the DUT. */
static int sweep_wait_until(struct sweep *s, uint64_t deadline)
{
	for (;;) {
		uint64_t now = mtime_now_ns(), next;
		int rc;

		if (sweep_stopped(s))
			return -EINTR;
		if (now - s->last_dut_check_ns >= SWEEP_DUT_CHECK_NS) {
			rc = sweep_dut_check(s, now);
			if (rc)
				return rc;
			sweep_watch(s, now);
		}
		if (now >= deadline)
			return 0;
		next = deadline - now > SWEEP_SLICE_NS ? now + SWEEP_SLICE_NS : deadline;
		mtime_sleep_until(next); /* -EINTR from a signal: the loop looks at the flag */
	}
}

/* The counter of hop h that counts path frames (platform_ops.hops says which). */
static uint64_t hop_packets(const struct sweep *s, const struct mon_counters *c, unsigned h)
{
	return s->d.dir[h] == HOP_DIR_TX ? c->tx_packets : c->rx_packets;
}

static uint64_t hop_dropped(const struct sweep *s, const struct mon_counters *c, unsigned h)
{
	return s->d.dir[h] == HOP_DIR_TX ? c->tx_dropped : c->rx_dropped;
}

static double hop_pps(const struct sweep *s, const struct mon_hop_window *w, unsigned h)
{
	return s->d.dir[h] == HOP_DIR_TX ? w->tx_pps : w->rx_pps;
}

/* A counter that went backwards was reset: count from zero. */
static uint64_t delta(uint64_t before, uint64_t after)
{
	return after >= before ? after - before : after;
}

/* After the generator stopped: wait at least the settle gap and until the
 * counters of every hop stop moving, so the next point starts on an empty path. */
static int sweep_settle(struct sweep *s, const struct sweep_plan_point *pp, unsigned index,
			struct mon_counters *now, int *settled)
{
	const struct run_cfg *cfg = s->d.cfg;
	uint64_t start = mtime_now_ns(), limit = 5 * cfg->settle_ns;
	struct mon_counters prev[HOP_COUNT];
	int rc;

	if (limit < SWEEP_SETTLE_MAX_NS)
		limit = SWEEP_SETTLE_MAX_NS;
	rc = monitor_read_now(s->d.mon, prev, HOP_COUNT);
	if (rc)
		goto err;
	for (;;) {
		uint64_t moved = 0, t;
		unsigned h;

		rc = sweep_wait_until(s, mtime_now_ns() + SWEEP_QUIET_NS);
		if (rc)
			return rc;
		rc = monitor_read_now(s->d.mon, now, HOP_COUNT);
		if (rc)
			goto err;
		for (h = 0; h < HOP_COUNT; h++)
			moved += delta(hop_packets(s, &prev[h], h), hop_packets(s, &now[h], h));
		t = mtime_now_ns() - start;
		if (!moved && t >= cfg->settle_ns) {
			*settled = 1;
			return 0;
		}
		if (t >= limit) {
			log_warn("point %u (%u B): frames still moving %.1f s after the generator "
				 "stopped; the next point may see them",
				 index, pp->size, (double)t / 1e9);
			*settled = 0;
			return 0;
		}
		memcpy(prev, now, sizeof(prev));
	}
err:
	return monitor_failed(s, index, "reading the interface counters", rc);
}

static void fill_point(struct results_point *out, const struct sweep_plan_point *pp, unsigned index,
		       const struct tg_rx_report *rx)
{
	memset(out, 0, sizeof(*out));
	out->index = index;
	out->trial = pp->trial;
	out->size = pp->size;
	out->target_pps = pp->rate;
	out->plan_rate = pp->plan_rate ? pp->plan_rate : pp->rate;
	out->received = rx->received;
	out->lost = rx->lost;
	out->reordered = rx->reordered;
	out->duplicated = rx->duplicated;
	out->ring_drops = rx->ring_drops;
	out->lat_min_us = (double)rx->lat_min_ns / 1e3;
	out->lat_mean_us = rx->lat_mean_ns / 1e3;
	out->lat_p50_us = (double)rx->lat_p50_ns / 1e3;
	out->lat_p90_us = (double)rx->lat_p90_ns / 1e3;
	out->lat_p99_us = (double)rx->lat_p99_ns / 1e3;
	out->lat_p999_us = (double)rx->lat_p999_ns / 1e3;
	out->lat_max_us = (double)rx->lat_max_ns / 1e3;
}

/* What the agent really sent between two status reports, per second of its clock. */
static double offered_pps(const struct tg_tx_report *a, const struct tg_tx_report *b)
{
	uint64_t dt = b->elapsed_ns > a->elapsed_ns ? b->elapsed_ns - a->elapsed_ns : 0;

	if (!dt || b->sent < a->sent)
		return 0.0;
	return (double)(b->sent - a->sent) * 1e9 / (double)dt;
}

static int agent_failed(struct sweep *s, unsigned index, const char *what, int rc)
{
	const char *why = agent_client_last_error(s->d.agent);

	if (rc == -EINTR || sweep_stopped(s))
		return -EINTR; /* Ctrl-C, not the agent */
	log_err("point %u: the generator agent failed to %s: %s", index, what,
		why && *why ? why : strerror(-rc));
	return rc;
}

/* One point in flight: what it asked, and what it read on the way. */
struct point_run {
	const struct sweep_plan_point *pp;
	unsigned index;
	uint64_t duration_ns;
	int tx_on, rx_on, settled;
	struct mon_counters before[HOP_COUNT], after[HOP_COUNT];
	struct mon_hop_window win[HOP_COUNT];
	struct tg_tx_report txa, txb, txf; /* window start, window end, final */
	struct tg_rx_report rxf;
	struct verdict_window vw;
	struct verdict_stall stall;
	int stalled;		/* the DUT's out counter was flat while in rose, at the last look */
	uint64_t stalled_after; /* DUT out frames of the run when it stopped */
};

/* While a point's traffic runs: do frames keep reaching the DUT while none
 * leave it? Looked at every DUT check and once more at the window's end. */
static void sweep_watch(struct sweep *s, uint64_t now)
{
	struct point_run *pr = s->watch;
	struct mon_counters c[HOP_COUNT];
	uint64_t in, out;

	if (!pr || monitor_read_now(s->d.mon, c, HOP_COUNT))
		return; /* a failed read is the window's to report */
	in = hop_packets(s, &c[HOP_DUT_IN], HOP_DUT_IN);
	out = hop_packets(s, &c[HOP_DUT_OUT], HOP_DUT_OUT);
	pr->stalled = verdict_stall_feed(&pr->stall, now, in, out);
	if (pr->stalled)
		pr->stalled_after = delta(s->dut_out_base, pr->stall.out);
}

/* Still stalled at the window's end (a pause that ended is not a finding):
 * said in words the first time, with the DUT's last console lines. */
static void sweep_tell_stall(struct sweep *s, const struct point_run *pr)
{
	char console[640] = "";

	if (s->stall_said)
		return;
	s->stall_said = 1;
	if (s->d.ops->dut_log)
		tail_lines(s->d.ops->dut_log(s->d.plat), SWEEP_CONSOLE_LINES, console,
			   sizeof(console));
	log_err("point %u: the DUT stopped transmitting after %llu frames (%llu frames arrived "
		"since); its console: %s",
		pr->index, (unsigned long long)pr->stalled_after,
		(unsigned long long)verdict_stall_in_since(&pr->stall),
		console[0] ? console : "(none kept)");
}

/* Counters before, then the sink, then the generator (a frame is never sent
 * before the sink listens). */
static int point_start(struct sweep *s, struct point_run *pr)
{
	const struct run_cfg *cfg = s->d.cfg;
	struct tg_tx_params tx;
	struct tg_rx_params rx;
	char tag[16];
	int rc;

	memset(&tx, 0, sizeof(tx));
	memset(&rx, 0, sizeof(rx));
	tx.cpu = -1; /* not pinned unless the platform says where the generator should run */
	s->d.ops->traffic(s->d.plat, &tx, &rx);
	tx.size = pr->pp->size;
	tx.rate = pr->pp->rate;
	tx.duration_ns = cfg->warmup_ns + pr->duration_ns + SWEEP_TX_MARGIN_NS;
	tx.count = 0;
	tx.flows = cfg->flows ? cfg->flows : 1;
	/* One sending thread per TX queue; a paced rate gives each at least one
	 * frame per second. */
	tx.threads = cfg->gen_threads ? cfg->gen_threads : 1;
	if (tx.rate != UNITS_RATE_MAX && tx.rate < tx.threads)
		tx.threads = (uint32_t)tx.rate;
	tx.stream = pr->index; /* late frames of an earlier point count as foreign */
	rx.stream = pr->index;
	rx.duration_ns = 0;
	rx.count = 0;

	snprintf(tag, sizeof(tag), "%u", pr->index);
	monitor_set_tag(s->d.mon, tag);
	rc = monitor_read_now(s->d.mon, pr->before, HOP_COUNT);
	if (rc)
		return monitor_failed(s, pr->index, "reading the interface counters", rc);
	if (!s->have_base) {
		s->dut_out_base = hop_packets(s, &pr->before[HOP_DUT_OUT], HOP_DUT_OUT);
		s->have_base = 1;
	}
	verdict_stall_reset(&pr->stall);
	rc = agent_client_rx_start(s->d.agent, &rx);
	if (rc)
		return agent_failed(s, pr->index, "start the sink", rc);
	pr->rx_on = 1;
	rc = agent_client_tx_start(s->d.agent, &tx);
	if (rc)
		return agent_failed(s, pr->index, "start the generator", rc);
	pr->tx_on = 1;
	return 0;
}

/* Warm-up, then the window: the agent's count of frames sent and the
 * monitor's counters, both taken at its two ends. */
static int point_measure(struct sweep *s, struct point_run *pr)
{

	uint64_t *at = pr->vw.agent_t, *mt = pr->vw.mon_t;
	int rc;

	rc = sweep_wait_until(s, mtime_now_ns() + s->d.cfg->warmup_ns);
	if (rc)
		return rc;
	/* The edges of both windows, so that the verdict knows how far apart they are. */
	at[0] = mtime_now_ns();
	rc = agent_client_status(s->d.agent, &pr->txa, NULL);
	if (rc)
		return agent_failed(s, pr->index, "report", rc);
	at[1] = mt[0] = mtime_now_ns();
	rc = monitor_window_begin(s->d.mon);
	if (rc)
		return monitor_failed(s, pr->index, "starting the counter window", rc);
	mt[1] = mtime_now_ns();
	rc = sweep_wait_until(s, mtime_now_ns() + pr->duration_ns);
	if (rc)
		return rc;
	mt[2] = mtime_now_ns();
	rc = monitor_window_end(s->d.mon, pr->win, HOP_COUNT);
	if (rc)
		return monitor_failed(s, pr->index, "ending the counter window", rc);
	at[2] = mt[3] = mtime_now_ns();
	rc = agent_client_status(s->d.agent, &pr->txb, NULL);
	if (rc)
		return agent_failed(s, pr->index, "report", rc);
	at[3] = mtime_now_ns();
	return 0;
}

/* The generator stops, the path drains, then the sink stops. */
static int point_stop(struct sweep *s, struct point_run *pr)
{
	int rc;

	pr->tx_on = 0;
	rc = agent_client_tx_stop(s->d.agent, &pr->txf);
	if (rc)
		return agent_failed(s, pr->index, "stop the generator", rc);
	if (s->d.res)
		results_set_backend(s->d.res,
				    pr->txf.backend == TG_BACKEND_XDP ? "af_xdp" : "af_packet");
	rc = sweep_settle(s, pr->pp, pr->index, pr->after, &pr->settled);
	if (rc)
		return rc;
	pr->rx_on = 0;
	rc = agent_client_rx_stop(s->d.agent, &pr->rxf);
	if (rc)
		return agent_failed(s, pr->index, "stop the sink", rc);
	return 0;
}

static void point_fill(const struct sweep *s, struct point_run *pr, struct results_point *out)
{
	unsigned h;

	fill_point(out, pr->pp, pr->index, &pr->rxf);
	/* Every rate of the point from the same samples on the same clock: what
	 * was offered is what the generator's link carried in the window. */
	out->offered_pps = hop_pps(s, &pr->win[HOP_GEN_TX], HOP_GEN_TX);
	out->agent_offered_pps = offered_pps(&pr->txa, &pr->txb);
	out->window_ns = pr->win[HOP_GEN_TX].elapsed_ns;
	out->sent = pr->txf.sent;
	out->send_errors = pr->txf.send_errors;
	out->gen_point_pps =
	    pr->txf.elapsed_ns ? (double)pr->txf.sent * 1e9 / (double)pr->txf.elapsed_ns : 0.0;
	out->settled = pr->settled;
	for (h = 0; h < HOP_COUNT; h++) {
		const struct mon_hop_window *w = &pr->win[h];

		out->hop[h].packets =
		    delta(hop_packets(s, &pr->before[h], h), hop_packets(s, &pr->after[h], h));
		out->hop[h].dropped =
		    delta(hop_dropped(s, &pr->before[h], h), hop_dropped(s, &pr->after[h], h));
		out->hop[h].pps = hop_pps(s, w, h);
		if (w->vanished || w->reset)
			log_warn("point %u: hop %u's counters %s during the window", pr->index, h,
				 w->vanished ? "vanished" : "were reset");
		pr->vw.first_t[h] = w->first_t_ns;
		pr->vw.last_t[h] = w->last_t_ns;
	}
	pr->vw.exact_rate = !pr->pp->duration_ns; /* a sweep point, not a search's probe */
	pr->vw.short_ratio = s->d.cfg->gen_tolerance;
	verdict_point(out, &pr->vw);
	if (pr->stalled) {
		out->flags |= RESULTS_DUT_STOPPED;
		out->dut_stopped_after = pr->stalled_after;
		out->dut_in_since_stop = verdict_stall_in_since(&pr->stall);
	}
}

int sweep_point_run(struct sweep *s, const struct sweep_plan_point *pp, unsigned index,
		    struct results_point *out)
{
	struct point_run pr = {
	    .pp = pp,
	    .index = index,
	    .duration_ns = pp->duration_ns ? pp->duration_ns : s->d.cfg->duration_ns,
	};
	int rc;

	rc = point_start(s, &pr);
	s->watch = &pr;
	if (!rc)
		rc = point_measure(s, &pr);
	/* One last look at the end of the window, however the slices fell. */
	if (!rc)
		sweep_watch(s, mtime_now_ns());
	s->watch = NULL;
	if (!rc && pr.stalled)
		sweep_tell_stall(s, &pr);
	if (!rc)
		rc = point_stop(s, &pr);
	if (!rc)
		point_fill(s, &pr, out);
	/* Interrupted or failed: leave the agent idle for teardown; the point is dropped. */
	if (pr.tx_on)
		agent_client_tx_stop(s->d.agent, &pr.txf);
	if (pr.rx_on)
		agent_client_rx_stop(s->d.agent, &pr.rxf);
	return rc;
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
static int sweep_resolve_pct(struct sweep *s, const struct sweep_plan_point *pp, unsigned index,
			     struct sweep_plan_point *out)
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
	const struct sweep_plan_point *pp = &s->plan[i];
	struct sweep_plan_point resolved;
	struct results_point pt;
	int rc;

	if (pp->size != s->prepared_size) {
		rc = s->d.ops->prepare_size(s->d.plat, pp->size);
		if (rc && (rc == -EINTR || sweep_stopped(s)))
			return -EINTR;
		if (rc) {
			log_err("point %u: the %s platform cannot carry %u-byte frames: %s", i + 1,
				s->d.ops->name, pp->size, strerror(-rc));
			return rc;
		}
		s->prepared_size = pp->size;
	}
	if (run_rate_pct(pp->rate)) {
		rc = sweep_resolve_pct(s, pp, i + 1, &resolved);
		if (rc == -ENOENT)
			return 0; /* said why; nothing to measure */
		if (rc)
			return rc;
		pp = &resolved;
	}
	rc = sweep_point_run(s, pp, i + 1, &pt);
	if (rc)
		return rc;
	if (pp->rate == UNITS_RATE_MAX)
		ladder_set(&s->ladder, pp->size, pt.hop[HOP_SINK_RX].pps);
	rc = results_add(s->d.res, &pt);
	if (rc) {
		log_err("point %u: writing the results in %s: %s", i + 1, results_dir(s->d.res),
			strerror(-rc));
		return rc;
	}
	s->done++;
	if (!s->d.cfg->quiet)
		sweep_report_point(&pt);
	sweep_flagged(s, &pt);
	if (pt.flags & RESULTS_DUT_STOPPED && s->d.cfg->on_dut_stop == RUN_DUT_STOP_STOP) {
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

	s->last_dut_check_ns = l.start_ns;
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
