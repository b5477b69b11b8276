/* The rr mode's points, in run order: connections (streams), then the
 * request/response size, each point's trials in a row, as goodput_plan's.
 * Pure: --dry-run prints it, the measure runs it. */
#ifndef MP_RR_PLAN_H
#define MP_RR_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

struct rr_point {
	uint32_t req, resp; /* bytes */
	unsigned conns;
	unsigned trial; /* 1.. */
};

/* Distinct points (without trials). */
unsigned rr_plan_points(const struct run_cfg *cfg);
/* Every point with its trials; *pts is malloc'd. -E2BIG beyond
 * RUN_MAX_POINTS, -EINVAL when empty, -ENOMEM. */
int rr_plan(const struct run_cfg *cfg, struct rr_point **pts, unsigned *n);
/* "64/1024 B  4 conns" / "1 B  1 conn" */
void rr_point_text(char *buf, size_t len, const struct rr_point *p);
uint64_t rr_estimate_ns(const struct run_cfg *cfg);
/* The dry run's rr part: the points, what each does, the time. */
void rr_plan_print(FILE *f, const struct run_cfg *cfg);

#endif
