/* verdict: a point's flags from its own figures, and the DUT stall watch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness/measure/verdict.h"
#include "harness/output/flags.h"
#include "lib/units.h"

#define MS 1000000ull

/* A clean point: 1000 pps asked and offered for 1 s, every hop 1000 frames. */
static void clean_point(struct results_point *p, struct verdict_window *w)
{
	unsigned h;

	memset(p, 0, sizeof(*p));
	memset(w, 0, sizeof(*w));
	p->target_pps = 1000;
	p->offered_pps = p->agent_offered_pps = p->gen_point_pps = 1000.0;
	p->window_ns = 1000 * MS;
	p->sent = p->received = 1000;
	for (h = 0; h < HOP_COUNT; h++) {
		p->hop[h].packets = 1000;
		p->hop[h].pps = 1000.0;
		w->first_t[h] = 0;
		w->last_t[h] = 1000 * MS;
	}
	w->exact_rate = 1;
	w->short_ratio = 0.01;
}

static void clean_point_has_no_flag(void **state)
{
	struct results_point p;
	struct verdict_window w;

	(void)state;
	clean_point(&p, &w);
	verdict_point(&p, &w);
	assert_int_equal(p.flags, 0);
	assert_false(verdict_dut_silent(&p));
}

static void short_generator_fails_the_point(void **state)
{
	struct results_point p;
	struct verdict_window w;

	(void)state;
	clean_point(&p, &w);
	p.gen_point_pps = 980.0; /* 2 % short of 1000, tolerance 1 % */
	verdict_point(&p, &w);
	assert_true(p.flags & RESULTS_GEN_FAILED);
	clean_point(&p, &w);
	p.gen_point_pps = 995.0;
	verdict_point(&p, &w);
	assert_false(p.flags & RESULTS_GEN_FAILED);
	clean_point(&p, &w);
	p.send_errors = 1001; /* more refused than taken */
	verdict_point(&p, &w);
	assert_true(p.flags & RESULTS_GEN_FAILED);
}

static void hop_faster_than_upstream_is_flagged(void **state)
{
	struct results_point p;
	struct verdict_window w;

	(void)state;
	clean_point(&p, &w);
	p.hop[HOP_SINK_RX].pps = 1100.0; /* 100 frames more than its upstream carried */
	verdict_point(&p, &w);
	assert_true(p.flags & RESULTS_RATE_ORDER);
	assert_int_equal(p.order_hop, HOP_SINK_RX);
}

/* The stall watch: out flat for 2 s while in rose by 32 frames. */
static void stall_needs_time_and_frames(void **state)
{
	struct verdict_stall v;

	(void)state;
	verdict_stall_reset(&v);
	assert_false(verdict_stall_feed(&v, 0, 1000, 100, 50));
	assert_false(verdict_stall_feed(&v, 1000 * MS, 1000, 200, 50)); /* 1 s: too soon */
	assert_true(verdict_stall_feed(&v, 2000 * MS, 1000, 200, 50));
	verdict_stall_reset(&v);
	assert_false(verdict_stall_feed(&v, 0, 1000, 100, 50));
	assert_false(verdict_stall_feed(&v, 2500 * MS, 1010, 110, 50)); /* 10 frames: not enough */
	assert_true(verdict_stall_feed(&v, 3000 * MS, 1040, 140, 50));
	assert_int_equal(verdict_stall_in_since(&v), 40);
	assert_false(verdict_stall_feed(&v, 3500 * MS, 1050, 150, 51)); /* out moved: over */
}

/* A DUT that stopped reading: its in counter stays flat, the frames offered
 * towards it rise; stalled all the same, none arrived since. */
static void stall_seen_from_offered(void **state)
{
	struct verdict_stall v;

	(void)state;
	verdict_stall_reset(&v);
	assert_false(verdict_stall_feed(&v, 0, 1000, 100, 50));
	assert_false(verdict_stall_feed(&v, 2500 * MS, 1020, 100, 50));
	assert_true(verdict_stall_feed(&v, 3000 * MS, 1040, 100, 50));
	assert_int_equal(verdict_stall_in_since(&v), 0);
	/* nothing offered, nothing in: a pause, not a stall */
	verdict_stall_reset(&v);
	assert_false(verdict_stall_feed(&v, 0, 1000, 100, 50));
	assert_false(verdict_stall_feed(&v, 5000 * MS, 1000, 100, 50));
}

/* A DUT that sent nothing while the generator's link carried frames is
 * stopped even when its input counter stayed flat too (a hung Xen guest's
 * vif stops its queue), and is said so in words, not only as the
 * generator's failure. */
static void silent_dut_is_stopped(void **state)
{
	struct results_point p;
	struct verdict_window w;
	char text[512];

	(void)state;
	clean_point(&p, &w);
	p.hop[HOP_DUT_IN].packets = 0;
	p.hop[HOP_DUT_OUT].packets = 0;
	p.hop[HOP_SINK_RX].packets = 0;
	assert_true(verdict_dut_silent(&p));
	p.hop[HOP_GEN_TX].packets = VERDICT_STALL_FRAMES - 1; /* too few to say */
	assert_false(verdict_dut_silent(&p));
	p.hop[HOP_GEN_TX].packets = 5000;
	p.hop[HOP_DUT_OUT].packets = 1; /* one frame out: not silent */
	assert_false(verdict_dut_silent(&p));

	p.hop[HOP_DUT_OUT].packets = 0;
	p.flags = RESULTS_DUT_STOPPED | RESULTS_GEN_FAILED;
	p.send_errors = 25058;
	p.dut_stopped_after = 1444;
	p.dut_in_since_stop = 0;
	flags_text(&p, text, sizeof(text));
	if (!strstr(text, "the DUT stopped transmitting after 1444 frames and takes none in "
			  "(the generator's link carried 5000)"))
		fail_msg("flags text: %s", text);
	p.dut_in_since_stop = 255;
	flags_text(&p, text, sizeof(text));
	if (!strstr(text, "the DUT stopped transmitting after 1444 frames (255 arrived since)"))
		fail_msg("flags text: %s", text);
}

/* A two-ended point whose client failed: the DUT is said to have stopped
 * only when frames went towards it and none came out. */
static void ends_dut_stopped(void **state)
{
	struct hop_delta hop[HOP_COUNT];

	(void)state;
	memset(hop, 0, sizeof(hop));
	assert_false(verdict_ends_dut_stopped(hop)); /* nothing sent: the client's own failure */
	hop[HOP_GEN_TX].packets = 5;
	assert_true(verdict_ends_dut_stopped(hop)); /* a DUT that stopped reading takes none in */
	hop[HOP_GEN_TX].packets = 0;
	hop[HOP_DUT_IN].packets = 3;
	assert_true(verdict_ends_dut_stopped(hop));
	hop[HOP_DUT_OUT].packets = 1; /* it passed one on: a refused connection, not a stop */
	assert_false(verdict_ends_dut_stopped(hop));
	hop[HOP_DUT_OUT].packets = 0;
	hop[HOP_DUT_IN].packets = 2;
	hop[HOP_GEN_TX].packets = 2; /* too few to say */
	assert_false(verdict_ends_dut_stopped(hop));
	/* one SYN through, then the server's SYN-ACKs go in at tap1 and never
	 * come out at tap0: stopped on the way back */
	hop[HOP_DUT_OUT].packets = 1;
	hop[HOP_DUT_OUT].back_packets = 4;
	assert_int_equal(verdict_ends_dut_stopped(hop), VERDICT_ENDS_BACK);
	hop[HOP_DUT_IN].back_packets = 1;
	assert_false(verdict_ends_dut_stopped(hop));
	hop[HOP_GEN_TX].packets = 6;
	hop[HOP_DUT_OUT].packets = 0;
	assert_int_equal(verdict_ends_dut_stopped(hop), VERDICT_ENDS_OUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(clean_point_has_no_flag),
	    cmocka_unit_test(short_generator_fails_the_point),
	    cmocka_unit_test(hop_faster_than_upstream_is_flagged),
	    cmocka_unit_test(stall_needs_time_and_frames),
	    cmocka_unit_test(stall_seen_from_offered),
	    cmocka_unit_test(silent_dut_is_stopped),
	    cmocka_unit_test(ends_dut_stopped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
