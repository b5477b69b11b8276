/* The paced sender's schedule, on a fixed clock (mtime_now_ns and
 * mtime_sleep_until are wrapped): absolute deadlines with no drift, the
 * number due per wake-up, and sleeping then spinning up to a deadline. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/mtime.h"
#include "trafgen/pacer.h"

static uint64_t fake_now;
static uint64_t sleeps, last_sleep_target, now_calls;

uint64_t __wrap_mtime_now_ns(void);
int __wrap_mtime_sleep_until(uint64_t deadline_ns);

/* Every read of the clock advances it 1 us: a spin makes progress. */
uint64_t __wrap_mtime_now_ns(void)
{
	now_calls++;
	fake_now += 1000;
	return fake_now;
}

/* Sleeping wakes 30 us late, like a real timer on a busy VM. */
int __wrap_mtime_sleep_until(uint64_t deadline_ns)
{
	sleeps++;
	last_sleep_target = deadline_ns;
	if (fake_now < deadline_ns + 30000)
		fake_now = deadline_ns + 30000;
	return 0;
}

static void test_deadlines_exact(void **state)
{
	struct pacer p;

	pacer_init(&p, 3, 1000);
	assert_true(pacer_deadline(&p, 0) == 1000);
	assert_true(pacer_deadline(&p, 1) == 1000 + 333333333);
	assert_true(pacer_deadline(&p, 2) == 1000 + 666666666);
	assert_true(pacer_deadline(&p, 3) == 1000 + NSEC_PER_SEC);
	/* A day of frames at 3 pps ends exactly a day later: no drift. */
	assert_true(pacer_deadline(&p, 3ULL * 86400) == 1000 + 86400ULL * NSEC_PER_SEC);
	/* 100 Mpps for a year: the product overflows 64 bits, the result must not. */
	pacer_init(&p, 100000000, 0);
	assert_true(pacer_deadline(&p, 100000000ULL * 31536000) == 31536000ULL * NSEC_PER_SEC);
	/* 7 pps: deadline n is floor(n * 1e9 / 7). */
	pacer_init(&p, 7, 0);
	assert_true(pacer_deadline(&p, 5) == 714285714);
}

static void test_due_counts(void **state)
{
	struct pacer p;

	pacer_init(&p, 10, 5 * NSEC_PER_SEC);
	assert_true(pacer_due_total(&p, 4 * NSEC_PER_SEC) == 0);
	assert_true(pacer_due_total(&p, 5 * NSEC_PER_SEC) == 1); /* frame 0 at start */
	assert_true(pacer_due_total(&p, 5 * NSEC_PER_SEC + 99999999) == 1);
	assert_true(pacer_due_total(&p, 5 * NSEC_PER_SEC + 100000000) == 2);
	assert_true(pacer_due_total(&p, 5 * NSEC_PER_SEC + 550000000) == 6);
	assert_true(pacer_due(&p, 5 * NSEC_PER_SEC + 550000000, 4, 64) == 2);
	assert_true(pacer_due(&p, 5 * NSEC_PER_SEC + 550000000, 6, 64) == 0);
	assert_true(pacer_due(&p, 5 * NSEC_PER_SEC + 550000000, 9, 64) == 0);
	/* Late by a second at 1 Mpps: the batch is capped. */
	pacer_init(&p, 1000000, 0);
	assert_true(pacer_due(&p, NSEC_PER_SEC, 0, PACER_BATCH_MAX) == PACER_BATCH_MAX);
	/* Over any window the number due is rate * window, to one frame. */
	assert_true(pacer_due_total(&p, 10 * NSEC_PER_SEC - 1) == 10000000);
}

static void test_batch_adapts(void **state)
{
	struct pacer p;

	pacer_init(&p, 10000, 0); /* 100 us apart: one at a time */
	assert_int_equal(pacer_batch(&p), 1);
	pacer_init(&p, 100000, 0);
	assert_int_equal(pacer_batch(&p), 2);
	pacer_init(&p, 500000, 0); /* 2 us apart: 10 per 20 us wake-up */
	assert_int_equal(pacer_batch(&p), 10);
	pacer_init(&p, 100000000, 0);
	assert_int_equal(pacer_batch(&p), PACER_BATCH_MAX);
	pacer_init(&p, 1, 0);
	assert_int_equal(pacer_batch(&p), 1);
}

static void test_wait_sleeps_then_spins(void **state)
{
	struct pacer p;
	volatile int stop = 0;
	uint64_t d;

	fake_now = 0;
	sleeps = 0;
	pacer_init(&p, 1000, 0);    /* one frame per ms */
	d = pacer_deadline(&p, 10); /* 10 ms */
	assert_int_equal(pacer_wait(&p, 10, &stop), 0);
	/* It slept once to PACER_SPIN_NS before the deadline, then spun to it. */
	assert_int_equal(sleeps, 1);
	assert_true(last_sleep_target == d - PACER_SPIN_NS);
	assert_true(fake_now >= d);
	assert_true(fake_now < d + 2000); /* spinning: at most one clock step late */

	/* A near deadline is only spun for. */
	sleeps = 0;
	fake_now = pacer_deadline(&p, 11) - PACER_SPIN_NS + 5000;
	assert_int_equal(pacer_wait(&p, 11, &stop), 0);
	assert_int_equal(sleeps, 0);
	assert_true(fake_now >= pacer_deadline(&p, 11));

	/* A stop request ends the wait. */
	stop = 1;
	assert_int_equal(pacer_wait(&p, 1000000, &stop), -EINTR);
}

/* The sender's loop on the fixed clock: with wake-ups late by 30 us and
 * every frame sent when due, the whole run still takes rate * time. */
static void test_schedule_holds_rate(void **state)
{
	volatile int stop = 0;
	struct pacer p;
	uint64_t sent = 0, n, first = 0, last = 0;

	fake_now = 7 * NSEC_PER_SEC;
	pacer_init(&p, 500000, fake_now);
	while (sent < 500000) {
		assert_int_equal(pacer_wait(&p, sent, &stop), 0);
		n = pacer_due(&p, fake_now, sent, PACER_BATCH_MAX);
		assert_true(n >= 1);
		if (!sent)
			first = fake_now;
		sent += n;
		last = fake_now;
	}
	/* 500k frames at 500 kpps: the first is sent at the start (to one clock
	 * step), the last 0.999998 s later, late by no more than one wake-up. */
	assert_true(first - p.start_ns <= 1000);
	assert_true(last - p.start_ns >= 999998000ULL);
	assert_true(last - p.start_ns < 999998000ULL + 40000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_batch_adapts),
	    cmocka_unit_test(test_deadlines_exact),
	    cmocka_unit_test(test_due_counts),
	    cmocka_unit_test(test_wait_sleeps_then_spins),
	    cmocka_unit_test(test_schedule_holds_rate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
