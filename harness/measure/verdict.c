/* Point verdicts from numbers; see verdict.h. */
#include "harness/measure/verdict.h"

#include <math.h>
#include <string.h>

#include "lib/units.h"

static uint64_t absdiff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

static double frames_in(double pps, uint64_t ns)
{
	return pps * (double)ns / 1e9;
}

/* The generator did not offer what was asked: it sent nothing in the window,
 * the kernel refused more sends than it took, or (a sweep point with a rate)
 * its rate over the whole point fell short of the target beyond the pacer's
 * tolerance. Over the point, not the window: a busy host may stall the
 * generator for 100 ms inside a window, and the pacer catches up after; the
 * window's rates stay true to each other all the same. */
static int gen_failed(const struct results_point *p, const struct verdict_window *w)
{
	if (!(p->offered_pps > 0) || !p->sent)
		return 1;
	if (p->send_errors > p->sent)
		return 1;
	if (w->exact_rate && p->target_pps != UNITS_RATE_MAX &&
	    p->gen_point_pps < (double)p->target_pps * (1.0 - w->short_ratio))
		return 1;
	return 0;
}

/* Hop h (downstream) against h - 1, in frames over each hop's own window:
 * h may exceed its upstream only by what was already between the two when
 * the window began (at most the upstream's rate times the longest one-way
 * latency the sink saw), by what the two hops' sample times differ, and by a
 * few control frames a link sends by itself. */
static int order_broken(const struct results_point *p, const struct verdict_window *w, unsigned h)
{
	uint64_t el_up = w->last_t[h - 1] - w->first_t[h - 1], el = w->last_t[h] - w->first_t[h];
	uint64_t skew =
	    absdiff(w->first_t[h], w->first_t[h - 1]) + absdiff(w->last_t[h], w->last_t[h - 1]);
	double up = p->hop[h - 1].pps, lat_ns = p->received ? p->lat_max_us * 1e3 : 0.0;
	double excess = frames_in(p->hop[h].pps, el) - frames_in(up, el_up), allowed;

	if (isnan(lat_ns) || lat_ns < 0)
		lat_ns = 0;
	allowed = VERDICT_STRAY_FRAMES + up * ((double)skew + lat_ns) / 1e9;
	return excess > allowed;
}

/* The agent counts frames from its status call to the next, the monitor from
 * its begin sample to its end sample: they may differ by the frames sent
 * between those edges (each edge's distance plus its call's length), by two
 * frames of rounding, and by 1 %: the agent stamps its count at its last
 * send, which a busy machine delays by tens of milliseconds at either end
 * (and a guest's clock is not dom0's). */
static int agent_differs(const struct results_point *p, const struct verdict_window *w)
{
	double frames = frames_in(p->offered_pps, p->window_ns);
	uint64_t e = absdiff(w->agent_t[0], w->mon_t[0]) + absdiff(w->agent_t[1], w->mon_t[1]) +
		     absdiff(w->agent_t[2], w->mon_t[2]) + absdiff(w->agent_t[3], w->mon_t[3]);
	double allowed = 2.0 + frames_in(p->offered_pps, e) + 0.01 * frames;

	if (!p->window_ns || !(p->agent_offered_pps > 0))
		return 0;
	return fabs(frames_in(p->agent_offered_pps, p->window_ns) - frames) > allowed;
}

void verdict_point(struct results_point *p, const struct verdict_window *w)
{
	unsigned h;

	p->flags &= RESULTS_DUT_STOPPED;
	p->order_hop = 0;
	if (gen_failed(p, w))
		p->flags |= RESULTS_GEN_FAILED;
	for (h = 1; h < HOP_COUNT; h++) {
		if (order_broken(p, w, h)) {
			p->flags |= RESULTS_RATE_ORDER;
			p->order_hop = h;
			break;
		}
	}
	if (agent_differs(p, w))
		p->flags |= RESULTS_AGENT_DIFFERS;
}

int verdict_dut_silent(const struct results_point *p)
{
	return p->hop[HOP_DUT_OUT].packets == 0 &&
	       p->hop[HOP_GEN_TX].packets >= VERDICT_STALL_FRAMES;
}

int verdict_ends_dut_stopped(const struct hop_delta hop[HOP_COUNT])
{
	if ((hop[HOP_GEN_TX].packets >= VERDICT_ENDS_FRAMES ||
	     hop[HOP_DUT_IN].packets >= VERDICT_ENDS_FRAMES) &&
	    hop[HOP_DUT_OUT].packets == 0)
		return VERDICT_ENDS_OUT;
	/* back: the server's frames reach the DUT at tap1, leave it at tap0 */
	if (hop[HOP_DUT_OUT].back_packets >= VERDICT_ENDS_FRAMES &&
	    hop[HOP_DUT_IN].back_packets == 0)
		return VERDICT_ENDS_BACK;
	return 0;
}

void verdict_stall_reset(struct verdict_stall *v)
{
	memset(v, 0, sizeof(*v));
}

int verdict_stall_feed(struct verdict_stall *v, uint64_t t_ns, uint64_t offered, uint64_t in,
		       uint64_t out)
{
	v->in = in;
	if (!v->have || out != v->out) {
		v->have = 1;
		v->out = out;
		v->in_at_move = in;
		v->offered_at_move = offered;
		v->t_move = t_ns;
		return 0;
	}
	return t_ns - v->t_move >= VERDICT_STALL_NS &&
	       (in >= v->in_at_move + VERDICT_STALL_FRAMES ||
		offered >= v->offered_at_move + VERDICT_STALL_FRAMES);
}

uint64_t verdict_stall_in_since(const struct verdict_stall *v)
{
	return v->in >= v->in_at_move ? v->in - v->in_at_move : 0;
}
