/* The goodput mode's points, in run order: protocol (TCP, then UDP), then
 * the number of streams, then the write size, then (UDP) the target bitrate,
 * each point's trials in a row, as the iperf scripts it replaces looped
 * BUFSIZE inside ITERATIONS. Pure: --dry-run prints it, the measure runs it. */
#ifndef MP_GOODPUT_PLAN_H
#define MP_GOODPUT_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

struct goodput_point {
	int udp;
	unsigned streams;
	uint32_t bufsz;	  /* bytes per write (-l) */
	uint64_t bitrate; /* UDP target, bit/s; 0 for TCP */
	unsigned trial;	  /* 1.. */
};

/* Distinct points (without trials); 0 when the lists are empty. */
unsigned goodput_plan_points(const struct run_cfg *cfg);
/* Every point with its trials; *pts is malloc'd. -E2BIG beyond
 * RUN_MAX_POINTS, -EINVAL when empty, -ENOMEM. */
int goodput_plan(const struct run_cfg *cfg, struct goodput_point **pts, unsigned *n);
/* "tcp  4 streams  1460 B" / "udp  1 stream  1460 B  10 Mbit/s" */
void goodput_point_text(char *buf, size_t len, const struct goodput_point *p);
/* warm-up + measured time of every trial, plus the settle gaps */
uint64_t goodput_estimate_ns(const struct run_cfg *cfg);
/* The dry run's goodput part: the split namespace, the points, the time. */
void goodput_plan_print(FILE *f, const struct run_cfg *cfg);

#endif
