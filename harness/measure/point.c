/* One point through the platform; see point.h. */
#include "harness/measure/point.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/measure/verdict.h"
#include "harness/output/tail.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"

/* How often waits look at the stop flag, and the DUT. */
#define POINT_SLICE_NS	   (100 * NSEC_PER_MSEC)
#define POINT_DUT_CHECK_NS (500 * NSEC_PER_MSEC)
/* The generator stops by itself this long after the window should have ended,
 * should the harness not be there to stop it. */
#define POINT_TX_MARGIN_NS (2 * NSEC_PER_SEC)
/* Settling: counters are read this often, and a point that still sees frames
 * moving after POINT_SETTLE_MAX_NS (or 5 settle gaps) is flagged unsettled. */
#define POINT_QUIET_NS	    (100 * NSEC_PER_MSEC)
#define POINT_SETTLE_MAX_NS (5 * NSEC_PER_SEC)
/* Lines of the DUT's console or log quoted when it stops transmitting. */
#define POINT_CONSOLE_LINES 3

struct point_flight;

struct point {
	struct point_deps d;
	uint32_t prepared_size;
	uint64_t last_dut_check_ns;
	struct point_flight *watch; /* the point whose traffic runs: its DUT is watched */
	int have_base;
	uint64_t dut_out_base; /* DUT out before the first point: "after N frames" counts from it */
	int stall_said;	       /* the stall was told in words once */
};

int point_new(const struct point_deps *d, struct point **out)
{
	struct point *p;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->d = *d;
	p->last_dut_check_ns = mtime_now_ns();
	*out = p;
	return 0;
}

void point_free(struct point *p)
{
	free(p);
}

static int point_stopped(const struct point *p)
{
	return p->d.stopped && p->d.stopped();
}

static int point_dut_check(struct point *p, uint64_t now)
{
	char why[256] = "";
	int rc;

	p->last_dut_check_ns = now;
	rc = p->d.ops->dut_check(p->d.plat, why, sizeof(why));
	if (rc)
		log_err("the DUT stopped: %s", why[0] ? why : strerror(-rc));
	return rc;
}

/* A monitor call failed: say so, unless a stop signal interrupted it. */
static int monitor_failed(struct point *p, unsigned index, const char *what, int rc)
{
	if (rc != -EINTR && !point_stopped(p))
		log_err("point %u: %s: %s", index, what, strerror(-rc));
	return point_stopped(p) ? -EINTR : rc;
}

static void point_watch(struct point *p, uint64_t now);

int point_wait_until(struct point *p, uint64_t deadline)
{
	for (;;) {
		uint64_t now = mtime_now_ns(), next;
		int rc;

		if (point_stopped(p))
			return -EINTR;
		if (now - p->last_dut_check_ns >= POINT_DUT_CHECK_NS) {
			rc = point_dut_check(p, now);
			if (rc)
				return rc;
			point_watch(p, now);
		}
		if (now >= deadline)
			return 0;
		next = deadline - now > POINT_SLICE_NS ? now + POINT_SLICE_NS : deadline;
		mtime_sleep_until(next); /* -EINTR from a signal: the loop looks at the flag */
	}
}

/* The counter of hop h that counts path frames (platform_ops.hops says which). */
static uint64_t hop_packets(const struct point *p, const struct mon_counters *c, unsigned h)
{
	return p->d.dir[h] == HOP_DIR_TX ? c->tx_packets : c->rx_packets;
}

static uint64_t hop_dropped(const struct point *p, const struct mon_counters *c, unsigned h)
{
	return p->d.dir[h] == HOP_DIR_TX ? c->tx_dropped : c->rx_dropped;
}

static double hop_pps(const struct point *p, const struct mon_hop_window *w, unsigned h)
{
	return p->d.dir[h] == HOP_DIR_TX ? w->tx_pps : w->rx_pps;
}

/* A counter that went backwards was reset: count from zero. */
static uint64_t delta(uint64_t before, uint64_t after)
{
	return after >= before ? after - before : after;
}

/* After the generator stopped: wait at least the settle gap and until the
 * counters of every hop stop moving, so the next point starts on an empty path. */
static int point_settle(struct point *p, const struct point_req *pp, unsigned index,
			struct mon_counters *now, int *settled)
{
	const struct run_cfg *cfg = p->d.cfg;
	uint64_t start = mtime_now_ns(), limit = 5 * cfg->settle_ns;
	struct mon_counters prev[HOP_COUNT];
	int rc;

	if (limit < POINT_SETTLE_MAX_NS)
		limit = POINT_SETTLE_MAX_NS;
	rc = monitor_read_now(p->d.mon, prev, HOP_COUNT);
	if (rc)
		goto err;
	for (;;) {
		uint64_t moved = 0, t;
		unsigned h;

		rc = point_wait_until(p, mtime_now_ns() + POINT_QUIET_NS);
		if (rc)
			return rc;
		rc = monitor_read_now(p->d.mon, now, HOP_COUNT);
		if (rc)
			goto err;
		for (h = 0; h < HOP_COUNT; h++)
			moved += delta(hop_packets(p, &prev[h], h), hop_packets(p, &now[h], h));
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
	return monitor_failed(p, index, "reading the interface counters", rc);
}

static void fill_point(struct results_point *out, const struct point_req *pp, unsigned index,
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

static int agent_failed(struct point *p, unsigned index, const char *what, int rc)
{
	const char *why = agent_client_last_error(p->d.agent);

	if (rc == -EINTR || point_stopped(p))
		return -EINTR; /* Ctrl-C, not the agent */
	log_err("point %u: the generator agent failed to %s: %s", index, what,
		why && *why ? why : strerror(-rc));
	return rc;
}

/* One point in flight: what it asked, and what it read on the way. */
struct point_flight {
	const struct point_req *req;
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
static void point_watch(struct point *p, uint64_t now)
{
	struct point_flight *pr = p->watch;
	struct mon_counters c[HOP_COUNT];
	uint64_t offered, in, out;

	if (!pr || monitor_read_now(p->d.mon, c, HOP_COUNT))
		return; /* a failed read is the window's to report */
	offered = hop_packets(p, &c[HOP_GEN_TX], HOP_GEN_TX);
	in = hop_packets(p, &c[HOP_DUT_IN], HOP_DUT_IN);
	out = hop_packets(p, &c[HOP_DUT_OUT], HOP_DUT_OUT);
	pr->stalled = verdict_stall_feed(&pr->stall, now, offered, in, out);
	if (pr->stalled)
		pr->stalled_after = delta(p->dut_out_base, pr->stall.out);
}

void point_dut_state(struct point *p, char *buf, size_t len)
{
	struct dut_sample a, b;
	char what[256], waits[400] = "";
	struct timespec gap = {0, (long)DUT_ACTIVITY_WINDOW_NS};

	buf[0] = '\0';
	if (!p->d.ops->dut_sample || p->d.ops->dut_sample(p->d.plat, &a))
		return;
	nanosleep(&gap, NULL); /* once per run: a signal cutting it short is fine */
	if (p->d.ops->dut_sample(p->d.plat, &b))
		return;
	dut_activity_say(&a, &b, what, sizeof(what));
	if (!b.busy && p->d.ops->dut_explain)
		p->d.ops->dut_explain(p->d.plat, waits, sizeof(waits));
	snprintf(buf, len, "; the DUT is %s%s%s", what, waits[0] ? "; " : "", waits);
}

/* Still stalled at the window's end (a pause that ended is not a finding),
 * or silent the whole point: said in words the first time, with what the
 * DUT does now (hung or busy) and its last console lines. */
static void point_tell_stall(struct point *p, unsigned index, uint64_t after, uint64_t since)
{
	char console[640] = "", activity[720];

	if (p->stall_said)
		return;
	p->stall_said = 1;
	point_dut_state(p, activity, sizeof(activity));
	if (p->d.ops->dut_log)
		tail_lines(p->d.ops->dut_log(p->d.plat), POINT_CONSOLE_LINES, console,
			   sizeof(console));
	log_err("point %u: the DUT stopped transmitting after %llu frames (%llu frames arrived "
		"since%s)%s; its console: %s",
		index, (unsigned long long)after, (unsigned long long)since,
		since ? "" : ": it takes none in", activity, console[0] ? console : "(none kept)");
}

/* Counters before, then the sink, then the generator (a frame is never sent
 * before the sink listens). */
static int point_start(struct point *p, struct point_flight *pr)
{
	const struct run_cfg *cfg = p->d.cfg;
	struct tg_tx_params tx;
	struct tg_rx_params rx;
	char tag[16];
	int rc;

	memset(&tx, 0, sizeof(tx));
	memset(&rx, 0, sizeof(rx));
	tx.cpu = -1; /* not pinned unless the platform says where the generator should run */
	p->d.ops->traffic(p->d.plat, &tx, &rx);
	tx.size = pr->req->size;
	tx.rate = pr->req->rate;
	tx.duration_ns = cfg->warmup_ns + pr->duration_ns + POINT_TX_MARGIN_NS;
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
	monitor_set_tag(p->d.mon, tag);
	rc = monitor_read_now(p->d.mon, pr->before, HOP_COUNT);
	if (rc)
		return monitor_failed(p, pr->index, "reading the interface counters", rc);
	if (!p->have_base) {
		p->dut_out_base = hop_packets(p, &pr->before[HOP_DUT_OUT], HOP_DUT_OUT);
		p->have_base = 1;
	}
	verdict_stall_reset(&pr->stall);
	rc = agent_client_rx_start(p->d.agent, &rx);
	if (rc)
		return agent_failed(p, pr->index, "start the sink", rc);
	pr->rx_on = 1;
	rc = agent_client_tx_start(p->d.agent, &tx);
	if (rc)
		return agent_failed(p, pr->index, "start the generator", rc);
	pr->tx_on = 1;
	return 0;
}

/* Warm-up, then the window: the agent's count of frames sent and the
 * monitor's counters, both taken at its two ends. */
static int point_measure(struct point *p, struct point_flight *pr)
{

	uint64_t *at = pr->vw.agent_t, *mt = pr->vw.mon_t;
	int rc;

	rc = point_wait_until(p, mtime_now_ns() + p->d.cfg->warmup_ns);
	if (rc)
		return rc;
	/* The edges of both windows, so that the verdict knows how far apart they are. */
	at[0] = mtime_now_ns();
	rc = agent_client_status(p->d.agent, &pr->txa, NULL);
	if (rc)
		return agent_failed(p, pr->index, "report", rc);
	at[1] = mt[0] = mtime_now_ns();
	rc = monitor_window_begin(p->d.mon);
	if (rc)
		return monitor_failed(p, pr->index, "starting the counter window", rc);
	mt[1] = mtime_now_ns();
	rc = point_wait_until(p, mtime_now_ns() + pr->duration_ns);
	if (rc)
		return rc;
	mt[2] = mtime_now_ns();
	rc = monitor_window_end(p->d.mon, pr->win, HOP_COUNT);
	if (rc)
		return monitor_failed(p, pr->index, "ending the counter window", rc);
	at[2] = mt[3] = mtime_now_ns();
	rc = agent_client_status(p->d.agent, &pr->txb, NULL);
	if (rc)
		return agent_failed(p, pr->index, "report", rc);
	at[3] = mtime_now_ns();
	return 0;
}

/* The generator stops, the path drains, then the sink stops. */
static int point_stop(struct point *p, struct point_flight *pr)
{
	int rc;

	pr->tx_on = 0;
	rc = agent_client_tx_stop(p->d.agent, &pr->txf);
	if (rc)
		return agent_failed(p, pr->index, "stop the generator", rc);
	if (p->d.res)
		results_set_backend(p->d.res,
				    pr->txf.backend == TG_BACKEND_XDP ? "af_xdp" : "af_packet");
	rc = point_settle(p, pr->req, pr->index, pr->after, &pr->settled);
	if (rc)
		return rc;
	pr->rx_on = 0;
	rc = agent_client_rx_stop(p->d.agent, &pr->rxf);
	if (rc)
		return agent_failed(p, pr->index, "stop the sink", rc);
	return 0;
}

static void point_fill(const struct point *p, struct point_flight *pr, struct results_point *out)
{
	unsigned h;

	fill_point(out, pr->req, pr->index, &pr->rxf);
	/* Every rate of the point from the same samples on the same clock: what
	 * was offered is what the generator's link carried in the window. */
	out->offered_pps = hop_pps(p, &pr->win[HOP_GEN_TX], HOP_GEN_TX);
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
		    delta(hop_packets(p, &pr->before[h], h), hop_packets(p, &pr->after[h], h));
		out->hop[h].dropped =
		    delta(hop_dropped(p, &pr->before[h], h), hop_dropped(p, &pr->after[h], h));
		out->hop[h].pps = hop_pps(p, w, h);
		if (w->vanished || w->reset)
			log_warn("point %u: hop %u's counters %s during the window", pr->index, h,
				 w->vanished ? "vanished" : "were reset");
		pr->vw.first_t[h] = w->first_t_ns;
		pr->vw.last_t[h] = w->last_t_ns;
	}
	pr->vw.exact_rate = !pr->req->probe;
	pr->vw.short_ratio = p->d.cfg->gen_tolerance;
	verdict_point(out, &pr->vw);
	if (pr->stalled) {
		out->flags |= RESULTS_DUT_STOPPED;
		out->dut_stopped_after = pr->stalled_after;
		out->dut_in_since_stop = verdict_stall_in_since(&pr->stall);
	} else if (verdict_dut_silent(out)) {
		out->flags |= RESULTS_DUT_STOPPED;
		out->dut_stopped_after =
		    delta(p->dut_out_base, hop_packets(p, &pr->after[HOP_DUT_OUT], HOP_DUT_OUT));
		out->dut_in_since_stop = out->hop[HOP_DUT_IN].packets;
	}
}

int point_run(struct point *p, const struct point_req *req, unsigned index,
	      struct results_point *out)
{
	struct point_flight pr = {
	    .req = req,
	    .index = index,
	    .duration_ns = req->duration_ns ? req->duration_ns : p->d.cfg->duration_ns,
	};
	int rc;

	rc = point_start(p, &pr);
	p->watch = &pr;
	if (!rc)
		rc = point_measure(p, &pr);
	/* One last look at the end of the window, however the slices fell. */
	if (!rc)
		point_watch(p, mtime_now_ns());
	p->watch = NULL;
	if (!rc && pr.stalled)
		point_tell_stall(p, index, pr.stalled_after, verdict_stall_in_since(&pr.stall));
	if (!rc)
		rc = point_stop(p, &pr);
	if (!rc) {
		point_fill(p, &pr, out);
		if (out->flags & RESULTS_DUT_STOPPED)
			point_tell_stall(p, index, out->dut_stopped_after, out->dut_in_since_stop);
	}
	/* Interrupted or failed: leave the agent idle for teardown; the point is dropped. */
	if (pr.tx_on)
		agent_client_tx_stop(p->d.agent, &pr.txf);
	if (pr.rx_on)
		agent_client_rx_stop(p->d.agent, &pr.rxf);
	return rc;
}

int point_prepare(struct point *p, uint32_t size)
{
	int rc;

	if (size == p->prepared_size)
		return 0;
	rc = p->d.ops->prepare_size(p->d.plat, size);
	if (rc && (rc == -EINTR || point_stopped(p)))
		return -EINTR;
	if (rc) {
		log_err("the %s platform cannot carry %u-byte frames: %s", p->d.ops->name, size,
			strerror(-rc));
		return rc;
	}
	p->prepared_size = size;
	return 0;
}

int point_keep(struct point *p, const struct results_point *pt, const char *what)
{
	int rc = results_add(p->d.res, pt);

	if (rc)
		log_err("%s %u: writing the results in %s: %s", what, pt->index,
			results_dir(p->d.res), strerror(-rc));
	return rc;
}

int point_stops_run(const struct point *p, const struct results_point *pt)
{
	return pt->flags & RESULTS_DUT_STOPPED && p->d.cfg->on_dut_stop == RUN_DUT_STOP_STOP;
}
