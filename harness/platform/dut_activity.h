/* What a DUT that stopped transmitting is doing, said in words: two samples
 * of its state and CPU time some hundred milliseconds apart. A hung DUT
 * (blocked, using no CPU) waits for an event, a frame or a lock that does not
 * come; a busy one (running, its CPU time growing) works or spins without
 * transmitting. Different bugs: a lost event-channel notification is not an
 * endless loop, and a MirageOS developer reading "stopped after 682 frames"
 * wants to know which. */
#ifndef MP_DUT_ACTIVITY_H
#define MP_DUT_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

struct dut_sample {
	char state[32];	 /* as the platform names it: "running", "blocked", "sleeping (S)" */
	int busy;	 /* 1: running or waiting only for a CPU when sampled */
	uint64_t cpu_ns; /* CPU time it used so far */
	uint64_t at_ns;	 /* when the sample was taken (monotonic clock) */
};

/* How long apart the two samples are taken. */
#define DUT_ACTIVITY_WINDOW_NS (500ull * 1000 * 1000)

/* One phrase from samples a (earlier) and b: "idle: blocked, 0.0 ms of CPU in
 * 500 ms (...)", "busy: running, 480.0 ms of CPU in 500 ms (...)", or "using
 * 12.0 ms of CPU in 500 ms, sleeping (S)": it follows "the DUT is ". */
void dut_activity_say(const struct dut_sample *a, const struct dut_sample *b, char *buf,
		      size_t len);

#endif
