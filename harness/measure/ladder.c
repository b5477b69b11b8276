/* What max carried, per size; see ladder.h. */
#include "harness/measure/ladder.h"

#include <errno.h>
#include <stdlib.h>

struct ladder {
	unsigned n;
	struct {
		uint32_t size;
		double pps;
	} e[];
};

int ladder_set(struct ladder **l, uint32_t size, double pps)
{
	struct ladder *n;
	unsigned i, have = *l ? (*l)->n : 0;

	for (i = 0; i < have; i++) {
		if ((*l)->e[i].size == size) {
			(*l)->e[i].pps = pps;
			return 0;
		}
	}
	n = realloc(*l, sizeof(*n) + (have + 1) * sizeof(n->e[0]));
	if (!n)
		return -ENOMEM;
	n->n = have + 1;
	n->e[have].size = size;
	n->e[have].pps = pps;
	*l = n;
	return 0;
}

double ladder_carried(const struct ladder *l, uint32_t size)
{
	unsigned i;

	for (i = 0; l && i < l->n; i++)
		if (l->e[i].size == size)
			return l->e[i].pps;
	return 0;
}

uint64_t ladder_rate(double pps, unsigned pct)
{
	double r = pps * pct / 100.0 + 0.5;

	return r >= 1.0 ? (uint64_t)r : 0;
}

void ladder_free(struct ladder *l)
{
	free(l);
}
