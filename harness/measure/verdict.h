/* What a point's own figures say about the measurement, decided from numbers
 * only (no I/O, so the unit tests feed it directly):
 *   - did the generator offer what was asked (RESULTS_GEN_FAILED)?
 *   - is every hop's window rate at most its upstream's, within what the
 *     counters' resolution and the frames in flight explain (RESULTS_RATE_ORDER)?
 *   - does the agent's own count agree with the generator's link counter
 *     (RESULTS_AGENT_DIFFERS)?
 *   - did the DUT stop transmitting while frames kept arriving
 *     (RESULTS_DUT_STOPPED, from the stall watch below)? */
#ifndef MP_VERDICT_H
#define MP_VERDICT_H

#include <stdint.h>

#include "harness/output/results.h"

/* Control frames a link sends by itself (ARP, IPv6 ND, ...) that a hop may
 * count on top of the path's frames in one window. */
#define VERDICT_STRAY_FRAMES 8

/* The window as the sweep measured it, besides the rates in the point. */
struct verdict_window {
	/* Sample times of each hop's first and last window sample (monotonic ns). */
	uint64_t first_t[HOP_COUNT], last_t[HOP_COUNT];
	/* The edges of the agent's window (before and after its two status
	 * calls) and of the monitor's (before and after begin/end), harness clock. */
	uint64_t agent_t[4], mon_t[4];
	int exact_rate; /* a sweep point: the generator must meet its target */
	double short_ratio; /* ... within this ratio (cfg gen_tolerance) */
};

/* Set p->flags (GEN_FAILED, RATE_ORDER, AGENT_DIFFERS) and p->order_hop from
 * the point's figures (offered_pps, agent_offered_pps, hop rates, send
 * counts, lat_max_us, window_ns) and w. Leaves RESULTS_DUT_STOPPED alone. */
void verdict_point(struct results_point *p, const struct verdict_window *w);

/* The stall watch: fed the generator's link counter and the DUT's in and out
 * counters (cumulative, path direction) every few hundred ms while traffic
 * runs; stalled once out has not moved for VERDICT_STALL_NS while in, or the
 * frames offered towards the DUT, rose by VERDICT_STALL_FRAMES (2 s: longer
 * than any pause of a busy host or an emulated Xen, shorter than warm-up plus
 * the shortest useful window). Offered counts too: a DUT that stops reading
 * takes nothing in (a TAP counts a frame when it is read; a Xen vif stops its
 * queue once the guest's receive ring is full) and its in counter stays flat. */
#define VERDICT_STALL_NS     (2000ULL * 1000 * 1000)
#define VERDICT_STALL_FRAMES 32

struct verdict_stall {
	int have;
	uint64_t out, in_at_move, t_move; /* out's value, in and time when out last moved */
	uint64_t offered_at_move;	  /* the generator's link counter then */
	uint64_t in;			  /* latest in */
};

void verdict_stall_reset(struct verdict_stall *v);

/* After the point: the DUT sent nothing in it while the generator's link
 * carried at least VERDICT_STALL_FRAMES frames towards it. Stopped, though the
 * stall watch may have seen nothing rise at the DUT's input: a hung Xen guest
 * whose receive ring is full stops its vif's queue, the frames die in the
 * bridge before the vif counts them, and the generator's own vif backs up
 * until its sends fail, which alone would read as "generator failed". */
int verdict_dut_silent(const struct results_point *p);

/* A two-ended mode's point whose client failed: in one direction at least
 * VERDICT_ENDS_FRAMES frames went towards the DUT and none left it that way.
 * The path's way (requests, SYNs, ARP): counted at the generator's link or
 * at the DUT's input (a DUT that stopped reading counts none there); back
 * (the server's answers, a SYN-ACK retransmitted): at tap1. A forwarder
 * passes every frame on, so this is a DUT that stopped, not a server that
 * refused. VERDICT_ENDS_OUT or VERDICT_ENDS_BACK, 0 when neither. */
#define VERDICT_ENDS_FRAMES 3
enum { VERDICT_ENDS_OUT = 1, VERDICT_ENDS_BACK = 2 };
int verdict_ends_dut_stopped(const struct hop_delta hop[HOP_COUNT]);
/* One observation; returns 1 while stalled, 0 otherwise. */
int verdict_stall_feed(struct verdict_stall *v, uint64_t t_ns, uint64_t offered, uint64_t in,
		       uint64_t out);
/* While stalled: frames that arrived since out last moved. */
uint64_t verdict_stall_in_since(const struct verdict_stall *v);

#endif
