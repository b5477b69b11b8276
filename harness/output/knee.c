/* The knee of each size; see knee.h. */
#include "harness/output/knee.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/units.h"

int knee_find(const struct results *r, uint32_t size, struct knee *k)
{
	unsigned i, n = results_count(r);

	memset(k, 0, sizeof(*k));
	for (i = 0; i < n; i++) {
		const struct results_point *p = results_point_at(r, i);

		if (p->size != size)
			continue;
		if (p->flags & RESULTS_GEN_FAILED) {
			k->gen_failed++;
			continue;
		}
		k->used++;
		if (!k->most || p->hop[HOP_SINK_RX].pps > k->most->hop[HOP_SINK_RX].pps)
			k->most = p;
		if (!k->top || p->offered_pps > k->top->offered_pps)
			k->top = p;
	}
	k->best = results_best(r, size);
	for (i = 0; i < n; i++) {
		const struct results_point *p = results_point_at(r, i);

		if (p->size != size || p->flags & RESULTS_GEN_FAILED || results_loss_free(p))
			continue;
		if (k->best && p->offered_pps <= k->best->offered_pps)
			continue;
		if (!k->lossy || p->offered_pps < k->lossy->offered_pps)
			k->lossy = p;
	}
	return k->used ? 0 : -ENOENT;
}

static void pps(char *buf, size_t len, double v)
{
	units_fmt_pps(buf, len, v);
}

void knee_sentence(const struct results *r, uint32_t size, char *buf, size_t len)
{
	char a[32], b[32], m[32], t[32], tail[96] = "";
	struct knee k;

	if (knee_find(r, size, &k)) {
		snprintf(buf, len,
			 "not measured: the generator failed at every point of this size (%u)",
			 k.gen_failed);
		return;
	}
	pps(m, sizeof(m), k.most->hop[HOP_SINK_RX].pps);
	pps(t, sizeof(t), k.top->offered_pps);
	if (k.top->target_pps == UNITS_RATE_MAX)
		snprintf(tail, sizeof(tail), "; the generator's top: %s (max)", t);
	if (k.best && k.lossy) {
		pps(a, sizeof(a), k.best->offered_pps);
		pps(b, sizeof(b), k.lossy->offered_pps);
		snprintf(buf, len,
			 "between %s (loss-free) and %s offered (%.3f %% lost); the most it "
			 "forwarded: %s%s",
			 a, b, results_loss_pct(k.lossy), m, tail);
	} else if (k.lossy) {
		pps(b, sizeof(b), k.lossy->offered_pps);
		snprintf(buf, len,
			 "below %s: frames were lost at every rate offered (%.3f %% at %s); "
			 "the most it forwarded: %s%s",
			 b, results_loss_pct(k.lossy), b, m, tail);
	} else if (k.top->target_pps == UNITS_RATE_MAX) {
		pps(a, sizeof(a), k.best->offered_pps);
		snprintf(buf, len,
			 "beyond %s: no rate offered lost frames, up to the generator's top "
			 "(max); the generator, not the DUT, is the limit here",
			 a);
	} else {
		pps(a, sizeof(a), k.best->offered_pps);
		snprintf(buf, len,
			 "beyond %s: no rate offered lost frames (offer more, or max, to find it)",
			 a);
	}
}
