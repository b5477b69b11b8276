/* dut_activity_say: the three words a stalled DUT gets, from made-up samples. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness/platform/dut_activity.h"

#define MS 1000000ull

static void sample(struct dut_sample *s, const char *state, int busy, uint64_t cpu_ms,
		   uint64_t at_ms)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->state, state);
	s->busy = busy;
	s->cpu_ns = cpu_ms * MS;
	s->at_ns = at_ms * MS;
}

static void said(const char *want, const struct dut_sample *a, const struct dut_sample *b)
{
	char buf[256];

	dut_activity_say(a, b, buf, sizeof(buf));
	if (!strstr(buf, want))
		fail_msg("'%s' not in '%s'", want, buf);
}

/* A domain blocked at both samples with no CPU between them: hung. */
static void test_blocked_no_cpu_is_idle(void **state)
{
	struct dut_sample a, b;

	(void)state;
	sample(&a, "blocked", 0, 1200, 1000);
	sample(&b, "blocked", 0, 1200, 1500);
	said("idle: blocked, 0.0 ms of CPU in 500 ms (it waits for an event", &a, &b);
}

/* Asleep but one clock tick of CPU more than 1 %: not called idle. */
static void test_sleeping_with_cpu_is_not_idle(void **state)
{
	struct dut_sample a, b;

	(void)state;
	sample(&a, "sleeping (S)", 0, 100, 1000);
	sample(&b, "sleeping (S)", 0, 110, 1500);
	said("using 10.0 ms of CPU in 500 ms, sleeping (S)", &a, &b);
}

/* Runnable at both samples with its CPU time growing: spinning. */
static void test_running_with_cpu_is_busy(void **state)
{
	struct dut_sample a, b;

	(void)state;
	sample(&a, "running", 1, 0, 0);
	sample(&b, "running", 1, 480, 500);
	said("busy: running, 480.0 ms of CPU in 500 ms (it runs without transmitting", &a, &b);
	/* A loaded machine gives a spinner little: 5 % still counts. */
	sample(&b, "running", 1, 25, 500);
	said("busy: running, 25.0 ms", &a, &b);
	sample(&b, "running", 1, 24, 500);
	said("using 24.0 ms of CPU in 500 ms, running", &a, &b);
}

/* Running at one sample only: said as figures, no verdict. */
static void test_mixed_states_say_figures(void **state)
{
	struct dut_sample a, b;

	(void)state;
	sample(&a, "running", 1, 0, 0);
	sample(&b, "blocked", 0, 0, 500);
	said("using 0.0 ms of CPU in 500 ms, blocked", &a, &b);
}

/* Samples at the same instant (a clock that did not move): no ratio made up. */
static void test_no_window(void **state)
{
	struct dut_sample a, b;

	(void)state;
	sample(&a, "blocked", 0, 0, 7);
	sample(&b, "blocked", 0, 0, 7);
	said("blocked (not sampled twice)", &a, &b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocked_no_cpu_is_idle),
		cmocka_unit_test(test_sleeping_with_cpu_is_not_idle),
		cmocka_unit_test(test_running_with_cpu_is_busy),
		cmocka_unit_test(test_mixed_states_say_figures),
		cmocka_unit_test(test_no_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
