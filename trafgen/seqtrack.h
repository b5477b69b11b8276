/* Loss, reordering and duplicates of one stream from its sequence numbers.
 * The generator numbers frames from 0; the first expected is 0, so frames lost
 * before the first one received count too. A bitmap of the last SEQ_WINDOW
 * numbers tells a late frame (reordered, no longer lost) from a duplicate;
 * a frame older than the window is counted as reordered. */
#ifndef MP_TRAFGEN_SEQTRACK_H
#define MP_TRAFGEN_SEQTRACK_H

#include <stdint.h>

#define SEQ_WINDOW 16384u

struct seqtrack {
	uint64_t next;	   /* highest seen + 1 */
	uint64_t received; /* every frame, duplicates included */
	uint64_t gaps;	   /* numbers below next not (yet) seen */
	uint64_t reordered, duplicated;
	uint64_t fin_total; /* from a FIN frame: frames the generator sent */
	int fin_seen;
	uint64_t seen[SEQ_WINDOW / 64];
};

void seqtrack_init(struct seqtrack *t);
/* Returns 1 when seq is new (counted for latency), 0 for a duplicate. */
int seqtrack_add(struct seqtrack *t, uint64_t seq);
void seqtrack_fin(struct seqtrack *t, uint64_t total);
/* Lost: gaps, plus, once the FIN is known, frames sent after the highest seen. */
uint64_t seqtrack_lost(const struct seqtrack *t);

#endif
