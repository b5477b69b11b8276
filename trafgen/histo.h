/* Latency histogram of bounded memory: log-linear buckets (each power of two
 * split into HISTO_SUB linear steps), so any percentile it returns is within
 * 1/HISTO_SUB (3.1 %) of the true value, from 1 ns to 2^40 ns (18 minutes).
 * Min, max and mean are exact. Not thread safe: the owner locks. */
#ifndef MP_TRAFGEN_HISTO_H
#define MP_TRAFGEN_HISTO_H

#include <stdint.h>

#define HISTO_SUB_BITS 5
#define HISTO_SUB      (1u << HISTO_SUB_BITS)
#define HISTO_MAX_BITS 41
#define HISTO_BUCKETS  ((HISTO_MAX_BITS - HISTO_SUB_BITS + 1) * HISTO_SUB)

struct histo {
	uint64_t count;
	uint64_t min, max;
	double sum;
	uint64_t bucket[HISTO_BUCKETS];
};

void histo_reset(struct histo *h);
void histo_add(struct histo *h, uint64_t v);
/* The value at quantile q (0 < q <= 1): the upper edge of the bucket holding
 * the ceil(q * count)-th smallest value, clamped to [min, max]; 0 when empty. */
uint64_t histo_quantile(const struct histo *h, double q);
double histo_mean(const struct histo *h);
/* Exposed for the tests: the bucket of v and the largest value it holds. */
unsigned histo_bucket_of(uint64_t v);
uint64_t histo_bucket_top(unsigned b);

#endif
