/* --dry-run: what a run would do, printed from the run configuration alone:
 * the platform and why, the topology it would build for the DUT, every point
 * of the sweep in order and the estimated time. Creates nothing, needs no
 * root, and prints no run id or time, so the same cfg prints the same plan. */
#ifndef MP_PLAN_H
#define MP_PLAN_H

#include <stdint.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

/* The sweep's points in run order, the order of sweep_plan() (harness/measure/sweep.h;
 * each point's trials follow each other): point i (0-based) is size *size and
 * rate *rate. */
unsigned plan_points(const struct run_cfg *cfg);
void plan_point(const struct run_cfg *cfg, unsigned i, uint32_t *size, uint64_t *rate);

/* Estimated wall time of the sweep in ns (warm-up, measurement and settle
 * gaps; not the topology set-up). */
uint64_t plan_estimate_ns(const struct run_cfg *cfg);

/* The topology part of the plan: the platform's describe() (platform.h), so
 * the text lives beside the code that builds it. */
typedef void (*plan_describe_fn)(FILE *f, const struct run_cfg *cfg);

void plan_print(FILE *f, const struct run_cfg *cfg, plan_describe_fn describe);

#endif
