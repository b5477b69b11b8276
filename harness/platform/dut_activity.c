#include "harness/platform/dut_activity.h"

#include <stdio.h>

void dut_activity_say(const struct dut_sample *a, const struct dut_sample *b, char *buf,
		      size_t len)
{
	uint64_t wall = b->at_ns > a->at_ns ? b->at_ns - a->at_ns : 0;
	uint64_t cpu = b->cpu_ns > a->cpu_ns ? b->cpu_ns - a->cpu_ns : 0;
	double cpu_ms = (double)cpu / 1e6, wall_ms = (double)wall / 1e6;

	if (!wall) {
		snprintf(buf, len, "%s (not sampled twice)", b->state);
		return;
	}
	/* Idle: asleep at both samples and at most 1 % of one CPU between them
	 * (a process's CPU time moves in clock ticks, 10 ms: zero here). */
	if (!a->busy && !b->busy && cpu * 100 <= wall)
		snprintf(buf, len,
			 "idle: %s, %.1f ms of CPU in %.0f ms (it waits for an event, a frame or "
			 "a lock that does not come)",
			 b->state, cpu_ms, wall_ms);
	/* Busy: runnable at both samples and at least 5 % of one CPU (on a
	 * loaded machine a spinning program gets only its share of the CPUs). */
	else if (a->busy && b->busy && cpu * 20 >= wall)
		snprintf(buf, len,
			 "busy: %s, %.1f ms of CPU in %.0f ms (it runs without transmitting: a "
			 "loop that does not yield, or work that never ends in a transmit)",
			 b->state, cpu_ms, wall_ms);
	else
		snprintf(buf, len, "using %.1f ms of CPU in %.0f ms, %s", cpu_ms, wall_ms, b->state);
}
