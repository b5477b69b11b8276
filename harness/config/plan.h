/* --dry-run: what a run would do, printed from the run configuration alone:
 * the platform and why, the topology it would build for the DUT, every point
 * of the sweep in order and the estimated time. Creates nothing, needs no
 * root, and prints no run id or time, so the same cfg prints the same plan. */
#ifndef MP_PLAN_H
#define MP_PLAN_H

#include <stddef.h>
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

/* Estimated wall time of n point runs (trials counted): warm-up and
 * measurement each, a settle gap between; 0 for none. Every mode's
 * estimate is this one sum. */
uint64_t plan_runs_ns(const struct run_cfg *cfg, uint64_t n);

/* The plan of a two-ended mode (goodput_plan.c, rr_plan.c), so that their
 * --dry-run reads alike: "<mode>: N points (T trials each, in a row)", a
 * line per point (its first trial; describe(ctx, i, ...) says what run i
 * of the n is), the mode's paragraph `each` on what a point does, and the
 * estimated time of the n runs. */
void plan_mode_print(FILE *f, const char *mode, const struct run_cfg *cfg, unsigned n,
		     void (*describe)(void *ctx, unsigned i, char *buf, size_t len), void *ctx,
		     const char *each);

/* The topology part of the plan: the platform's describe() (platform.h), so
 * the text lives beside the code that builds it. */
typedef void (*plan_describe_fn)(FILE *f, const struct run_cfg *cfg);

void plan_print(FILE *f, const struct run_cfg *cfg, plan_describe_fn describe);

#endif
