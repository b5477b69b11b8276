/* The sink's arithmetic: latency percentiles on known data (log-bucketed
 * histogram) and loss / reordering / duplicates from sequence numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "trafgen/histo.h"
#include "trafgen/seqtrack.h"

/* Within the histogram's resolution: one sub-bucket (1/32) above the truth. */
static void assert_near(uint64_t got, uint64_t want)
{
	assert_true(got >= want);
	assert_true(got <= want + want / 32 + 1);
}

static void test_histo_uniform(void **state)
{
	static struct histo h;
	uint64_t v;

	histo_reset(&h);
	/* 1..100000 ns, once each: p50 = 50000, p90 = 90000, p99 = 99000, p99.9 = 99900. */
	for (v = 1; v <= 100000; v++)
		histo_add(&h, v);
	assert_near(histo_quantile(&h, 0.50), 50000);
	assert_near(histo_quantile(&h, 0.90), 90000);
	assert_near(histo_quantile(&h, 0.99), 99000);
	assert_near(histo_quantile(&h, 0.999), 99900);
	assert_true(histo_quantile(&h, 1.0) == 100000); /* clamped to the exact max */
	assert_true(h.min == 1 && h.max == 100000);
	assert_true(histo_mean(&h) > 50000.49 && histo_mean(&h) < 50000.51);
}

static void test_histo_tail(void **state)
{
	static struct histo h;
	int i;

	histo_reset(&h);
	/* 990 frames at 10 us, 9 at 1 ms, 1 at 1 s. */
	for (i = 0; i < 990; i++)
		histo_add(&h, 10000);
	for (i = 0; i < 9; i++)
		histo_add(&h, 1000000);
	histo_add(&h, 1000000000);
	assert_near(histo_quantile(&h, 0.50), 10000);
	assert_near(histo_quantile(&h, 0.99), 10000);
	assert_near(histo_quantile(&h, 0.999), 1000000);
	assert_true(histo_quantile(&h, 1.0) == 1000000000);
	/* Small values are exact; empty is 0. */
	histo_reset(&h);
	assert_true(histo_quantile(&h, 0.5) == 0);
	histo_add(&h, 3);
	histo_add(&h, 7);
	assert_true(histo_quantile(&h, 0.5) == 3);
	assert_true(histo_quantile(&h, 1.0) == 7);
}

static void test_histo_buckets(void **state)
{
	uint64_t v;

	/* Every value lies in its bucket, and buckets are within 1/32. */
	for (v = 1; v < (1ULL << 40); v = v * 3 / 2 + 1) {
		unsigned b = histo_bucket_of(v);

		assert_true(histo_bucket_top(b) >= v);
		assert_true(b == 0 || histo_bucket_top(b - 1) < v);
		assert_true(histo_bucket_top(b) - v <= v / 32);
	}
	assert_int_equal(histo_bucket_of(UINT64_MAX), HISTO_BUCKETS - 1);
}

static struct seqtrack *feed(const uint64_t *seq, size_t n)
{
	struct seqtrack *t = malloc(sizeof(*t));
	size_t i;

	assert_non_null(t);
	seqtrack_init(t);
	for (i = 0; i < n; i++)
		seqtrack_add(t, seq[i]);
	return t;
}

static void test_seq_in_order_and_loss(void **state)
{
	static const uint64_t a[] = {0, 1, 2, 3, 4};
	static const uint64_t b[] = {1, 2, 5, 6, 9}; /* 0, 3, 4, 7, 8 lost */
	struct seqtrack *t;

	t = feed(a, 5);
	assert_true(seqtrack_lost(t) == 0 && t->reordered == 0 && t->duplicated == 0);
	seqtrack_fin(t, 8); /* 5, 6, 7 sent after the last one seen */
	assert_true(seqtrack_lost(t) == 3);
	free(t);
	t = feed(b, 5);
	assert_true(seqtrack_lost(t) == 5);
	assert_true(t->received == 5);
	seqtrack_fin(t, 10);
	assert_true(seqtrack_lost(t) == 5);
	free(t);
}

static void test_seq_reorder_and_dup(void **state)
{
	static const uint64_t a[] = {0, 2, 1, 3, 3, 5, 4, 2, 6};
	struct seqtrack *t = feed(a, 9);

	assert_true(t->reordered == 2);	 /* 1 and 4 came late */
	assert_true(t->duplicated == 2); /* 3 and 2 again */
	assert_true(seqtrack_lost(t) == 0);
	assert_true(t->received == 9);
	free(t);
}

static void test_seq_window(void **state)
{
	struct seqtrack *t = malloc(sizeof(*t));
	uint64_t s;

	assert_non_null(t);
	seqtrack_init(t);
	for (s = 0; s < 3 * SEQ_WINDOW; s++)
		if (s != 100)
			seqtrack_add(t, s);
	assert_true(seqtrack_lost(t) == 1);
	/* 100 arrives far too late to tell: counted as reordered, no longer lost. */
	assert_int_equal(seqtrack_add(t, 100), 1);
	assert_true(seqtrack_lost(t) == 0 && t->reordered == 1);
	/* A jump past the window forgets the old bitmap correctly. */
	seqtrack_add(t, 10 * SEQ_WINDOW);
	assert_true(seqtrack_lost(t) == 10 * SEQ_WINDOW - 3 * SEQ_WINDOW);
	assert_int_equal(seqtrack_add(t, 10 * SEQ_WINDOW - 1), 1);
	assert_int_equal(seqtrack_add(t, 10 * SEQ_WINDOW - 1), 0);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_histo_uniform),
	    cmocka_unit_test(test_histo_tail),
	    cmocka_unit_test(test_histo_buckets),
	    cmocka_unit_test(test_seq_in_order_and_loss),
	    cmocka_unit_test(test_seq_reorder_and_dup),
	    cmocka_unit_test(test_seq_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
