/* Where a size stops forwarding everything -- the knee of the received vs
 * offered curve -- from a run's points, in one sentence for stats, the
 * report and the terminal. Points whose generator failed are left out. */
#ifndef MP_KNEE_H
#define MP_KNEE_H

#include <stddef.h>
#include <stdint.h>

#include "harness/output/results.h"

struct knee {
	const struct results_point *best;  /* highest offered that was loss-free, or NULL */
	const struct results_point *lossy; /* lowest offered above best that lost frames, or NULL */
	const struct results_point *most;  /* the most frames per second at the sink */
	const struct results_point
	    *top;		   /* the highest offered (a max point: the generator's limit) */
	unsigned used, gen_failed; /* points of the size counted, and left out */
};

/* 0, or -ENOENT when no point of this size can be used. */
int knee_find(const struct results *r, uint32_t size, struct knee *k);
/* "between 150 kpps (loss-free) and 200 kpps offered (16.7 % lost); the most
 * it forwarded: 182 kpps; the generator's top: 850 kpps (max)", or what
 * else the points allow. */
void knee_sentence(const struct results *r, uint32_t size, char *buf, size_t len);

#endif
