/* The delay line of fwd --delay: every frame comes out whole, in order, no
 * sooner than D after it went in; a full line refuses (ENOBUFS), an oversized
 * frame too (EMSGSIZE); closing drops what is still held. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/mtime.h"
#include "trafgen/delay.h"

#define N 50

struct sink {
	pthread_mutex_t lock;
	unsigned n;
	uint64_t at[N];
	unsigned first_byte[N];
	size_t len[N];
};

static ssize_t collect(void *ctx, const void *buf, size_t len)
{
	struct sink *s = ctx;

	pthread_mutex_lock(&s->lock);
	if (s->n < N) {
		s->at[s->n] = mtime_now_ns();
		s->first_byte[s->n] = ((const uint8_t *)buf)[0];
		s->len[s->n] = len;
		s->n++;
	}
	pthread_mutex_unlock(&s->lock);
	return (ssize_t)len;
}

static void test_order_and_delay(void **state)
{
	static struct sink s = {.lock = PTHREAD_MUTEX_INITIALIZER};
	const uint64_t d = 20 * NSEC_PER_MSEC;
	struct delay_line *l = NULL;
	uint64_t in[N];
	uint8_t frame[1500];
	unsigned i, n;

	assert_int_equal(delay_open(d, collect, &s, &l), 0);
	for (i = 0; i < N; i++) {
		memset(frame, (int)i, sizeof(frame));
		in[i] = mtime_now_ns();
		assert_int_equal(delay_push(l, frame, 60 + i), 60 + i);
		if (i % 10 == 9)
			mtime_sleep_until(mtime_now_ns() + 3 * NSEC_PER_MSEC);
	}
	/* all due within 50 * 3 ms / 10 + D; wait generously for a loaded machine */
	for (i = 0; i < 500; i++) {
		pthread_mutex_lock(&s.lock);
		n = s.n;
		pthread_mutex_unlock(&s.lock);
		if (n == N)
			break;
		mtime_sleep_until(mtime_now_ns() + 10 * NSEC_PER_MSEC);
	}
	assert_int_equal(n, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(s.first_byte[i], i);
		assert_int_equal(s.len[i], 60 + i);
		assert_true(s.at[i] - in[i] >= d);
	}
	assert_int_equal(delay_send_errors(l), 0);
	delay_close(l);
}

static ssize_t refuse(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	errno = EIO;
	return -1;
}

static void test_full_and_errors(void **state)
{
	struct delay_line *l = NULL;
	static uint8_t frame[DELAY_FRAME_MAX + 1];
	uint64_t t0;
	unsigned i;

	/* a long delay: nothing leaves while the line fills */
	assert_int_equal(delay_open(10 * NSEC_PER_SEC, refuse, NULL, &l), 0);
	for (i = 0; i < DELAY_SLOTS; i++)
		assert_int_equal(delay_push(l, frame, 64), 64);
	errno = 0;
	assert_int_equal(delay_push(l, frame, 64), -1);
	assert_int_equal(errno, ENOBUFS);
	t0 = mtime_now_ns();
	delay_close(l); /* drops what is held, without waiting 10 s for it */
	assert_true(mtime_now_ns() - t0 < NSEC_PER_SEC);

	assert_int_equal(delay_open(1 * NSEC_PER_MSEC, refuse, NULL, &l), 0);
	errno = 0;
	assert_int_equal(delay_push(l, frame, sizeof(frame)), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(delay_push(l, frame, 64), 64);
	for (i = 0; i < 500 && !delay_send_errors(l); i++)
		mtime_sleep_until(mtime_now_ns() + 10 * NSEC_PER_MSEC);
	assert_int_equal(delay_send_errors(l), 1);
	delay_close(l);
	delay_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_and_delay),
	    cmocka_unit_test(test_full_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
