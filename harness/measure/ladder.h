/* The N% rates of range-pps (run_rate_pct, run_cfg.h): what the DUT carried
 * (sink rx pps) at each size's max point, and the rates derived from it. */
#ifndef MP_LADDER_H
#define MP_LADDER_H

#include <stdint.h>

struct ladder;

/* Remember pps for size (the latest max point of that size wins); *l starts
 * NULL. 0 or -ENOMEM (the size's N% points then find nothing carried). */
int ladder_set(struct ladder **l, uint32_t size, double pps);
/* What max carried at size; 0 when no max point of that size was measured. */
double ladder_carried(const struct ladder *l, uint32_t size);
/* pct percent of pps, rounded; 0 when that is below one frame per second. */
uint64_t ladder_rate(double pps, unsigned pct);
void ladder_free(struct ladder *l);

#endif
