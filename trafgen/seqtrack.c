#include "trafgen/seqtrack.h"

#include <string.h>

void seqtrack_init(struct seqtrack *t)
{
	memset(t, 0, sizeof(*t));
}

static void seen_set(struct seqtrack *t, uint64_t s)
{
	uint64_t b = s % SEQ_WINDOW;

	t->seen[b / 64] |= 1ULL << (b % 64);
}

static void seen_clear(struct seqtrack *t, uint64_t s)
{
	uint64_t b = s % SEQ_WINDOW;

	t->seen[b / 64] &= ~(1ULL << (b % 64));
}

static int seen_test(const struct seqtrack *t, uint64_t s)
{
	uint64_t b = s % SEQ_WINDOW;

	return (t->seen[b / 64] >> (b % 64)) & 1;
}

int seqtrack_add(struct seqtrack *t, uint64_t seq)
{
	t->received++;
	if (seq >= t->next) {
		uint64_t gap = seq - t->next, s;

		t->gaps += gap;
		if (gap >= SEQ_WINDOW)
			memset(t->seen, 0, sizeof(t->seen));
		else
			for (s = t->next; s < seq; s++)
				seen_clear(t, s);
		seen_set(t, seq);
		t->next = seq + 1;
		return 1;
	}
	if (t->next - seq > SEQ_WINDOW) {
		/* Too old to tell: most likely a late frame. */
		t->reordered++;
		if (t->gaps)
			t->gaps--;
		return 1;
	}
	if (seen_test(t, seq)) {
		t->duplicated++;
		return 0;
	}
	seen_set(t, seq);
	t->reordered++;
	t->gaps--;
	return 1;
}

void seqtrack_fin(struct seqtrack *t, uint64_t total)
{
	t->fin_total = total;
	t->fin_seen = 1;
}

uint64_t seqtrack_lost(const struct seqtrack *t)
{
	uint64_t lost = t->gaps;

	if (t->fin_seen && t->fin_total > t->next)
		lost += t->fin_total - t->next;
	return lost;
}
