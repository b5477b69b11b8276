#include "trafgen/histo.h"

#include <math.h>
#include <string.h>

void histo_reset(struct histo *h)
{
	memset(h, 0, sizeof(*h));
}

/* Values below HISTO_SUB each have a bucket; above, bucket = (exponent group,
 * the HISTO_SUB_BITS bits under the leading one). */
unsigned histo_bucket_of(uint64_t v)
{
	unsigned msb, group, sub;

	if (v < HISTO_SUB)
		return (unsigned)v;
	msb = 63u - (unsigned)__builtin_clzll(v);
	if (msb >= HISTO_MAX_BITS)
		return HISTO_BUCKETS - 1;
	group = msb - HISTO_SUB_BITS + 1;
	sub = (unsigned)(v >> (msb - HISTO_SUB_BITS)) & (HISTO_SUB - 1);
	return group * HISTO_SUB + sub;
}

uint64_t histo_bucket_top(unsigned b)
{
	unsigned group = b / HISTO_SUB, sub = b % HISTO_SUB, shift;

	if (group == 0)
		return sub;
	shift = group - 1;
	return (((uint64_t)(HISTO_SUB + sub) + 1) << shift) - 1;
}

void histo_add(struct histo *h, uint64_t v)
{
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += (double)v;
	h->bucket[histo_bucket_of(v)]++;
}

uint64_t histo_quantile(const struct histo *h, double q)
{
	uint64_t rank, seen = 0, top;
	unsigned b;

	if (!h->count)
		return 0;
	rank = (uint64_t)ceil(q * (double)h->count);
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (b = 0; b < HISTO_BUCKETS; b++) {
		seen += h->bucket[b];
		if (seen >= rank)
			break;
	}
	top = histo_bucket_top(b);
	if (top > h->max)
		top = h->max;
	if (top < h->min)
		top = h->min;
	return top;
}

double histo_mean(const struct histo *h)
{
	return h->count ? h->sum / (double)h->count : 0.0;
}
