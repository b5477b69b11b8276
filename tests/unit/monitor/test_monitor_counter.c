/* monitor/counter: one sample of every counter against the last, pure (no
 * sockets, no clock): the status the whole sample gets, deltas and rates,
 * the window sum, and the statistics of the interval rates. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/mtime.h"
#include "monitor/counter.h"

#define DT (100 * NSEC_PER_MSEC)

static void test_first_has_no_rate(void **state)
{
	struct mon_counters last = {0}, cur = {.rx_packets = 7, .tx_bytes = 9}, d;
	struct mon_rates r;

	(void)state;
	memset(&d, 0xff, sizeof(d));
	memset(&r, 0xff, sizeof(r));
	assert_int_equal(mon_counter_step(1, &last, &cur, DT, &d, &r), MON_FIRST);
	assert_int_equal(d.rx_packets, 0);
	assert_int_equal(d.tx_bytes, 0);
	assert_true(r.rx_packets == 0.0 && r.tx_bytes == 0.0);
}

static void test_deltas_and_rates(void **state)
{
	struct mon_counters last = {.rx_packets = 100, .tx_packets = 5, .rx_bytes = 6400},
			    cur = {.rx_packets = 200, .tx_packets = 5, .rx_bytes = 12800}, d;
	struct mon_rates r;

	(void)state;
	assert_int_equal(mon_counter_step(0, &last, &cur, DT, &d, &r), MON_OK);
	assert_int_equal(d.rx_packets, 100);
	assert_int_equal(d.tx_packets, 0);
	assert_int_equal(d.rx_bytes, 6400);
	assert_true(fabs(r.rx_packets - 1000.0) < 1e-9);
	assert_true(fabs(r.rx_bytes - 64000.0) < 1e-9);
	assert_int_equal(mon_counter_get(&d, 1, 0), 6400); /* bytes, rx: the table's order */
}

/* One counter wrapped and another was reset in the same sample: the sample
 * is a reset (its deltas cannot all be trusted), whatever the order. */
static void test_reset_beats_wrap(void **state)
{
	/* rx_packets, first in the table, reset; tx_errors, last, wrapped */
	struct mon_counters last = {.rx_packets = 1000000, .tx_errors = UINT32_MAX - 9},
			    cur = {.rx_packets = 3, .tx_errors = 90}, d;
	struct mon_rates r;

	(void)state;
	assert_int_equal(mon_counter_step(0, &last, &cur, DT, &d, &r), MON_RESET);
	assert_int_equal(d.rx_packets, 3);  /* counted from zero again */
	assert_int_equal(d.tx_errors, 100); /* the 32-bit wrap undone */
	cur.rx_packets = last.rx_packets;
	assert_int_equal(mon_counter_step(0, &last, &cur, DT, &d, &r), MON_WRAP);
}

static void test_add(void **state)
{
	struct mon_counters sum = {.rx_packets = 1, .tx_errors = 2}, d = {.rx_packets = 10,
									  .tx_packets = 20,
									  .rx_bytes = 30,
									  .tx_errors = 40};

	(void)state;
	mon_counter_add(&sum, &d);
	assert_int_equal(sum.rx_packets, 11);
	assert_int_equal(sum.tx_packets, 20);
	assert_int_equal(sum.rx_bytes, 30);
	assert_int_equal(sum.tx_errors, 42);
}

static void test_rate_stats(void **state)
{
	struct mon_rate_acc a = {0};
	struct mon_rate_stats st;

	(void)state;
	mon_rate_acc_get(&a, &st);
	assert_true(st.mean == 0.0 && st.min == 0.0 && st.max == 0.0 && st.stddev == 0.0);
	mon_rate_acc_add(&a, 2.0);
	mon_rate_acc_add(&a, 4.0);
	mon_rate_acc_add(&a, 9.0);
	mon_rate_acc_get(&a, &st);
	assert_true(fabs(st.mean - 5.0) < 1e-12);
	assert_true(st.min == 2.0 && st.max == 9.0);
	assert_true(fabs(st.stddev - sqrt(13.0)) < 1e-12); /* sample stddev of 2, 4, 9 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_first_has_no_rate), cmocka_unit_test(test_deltas_and_rates),
	    cmocka_unit_test(test_reset_beats_wrap),  cmocka_unit_test(test_add),
	    cmocka_unit_test(test_rate_stats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
