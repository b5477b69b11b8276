/* The files of a run directory, written point by point so that nothing
 * measured is lost when a run is interrupted or killed:
 *   stats       aligned table for people (appended, flushed and fsynced per point)
 *   stats.csv   the same figures and more, for programs (appended likewise)
 *   stats.json  the figures plus run metadata (rewritten atomically per point,
 *               so it is always a complete JSON document)
 *   samples.csv every monitor sample of every hop (written by the monitor)
 * Column names are documented in README.md, "Output files". */
#ifndef MP_RESULTS_H
#define MP_RESULTS_H

#include <stdint.h>
#include <stdio.h>

#include "harness/platform/platform.h"
#include "harness/config/run_cfg.h"

/* A point is loss-free when at most this share of the frames sent was lost
 * (one in a million: a single stray frame in a long point does not count). */
#define RESULTS_LOSS_FREE_PCT 0.0001

/* Per hop, over the whole point (traffic start to the end of the settle gap):
 * exact kernel counter deltas, so the sum over points equals what the kernel
 * counted; and the rates in the measurement window. */
struct results_hop {
	uint64_t packets; /* the hop's direction: gen/dut-in tx, dut-out/sink rx */
	uint64_t dropped; /* drops in that direction */
	double pps;	  /* in the window */
};

struct results_point {
	unsigned index;	     /* 1-based, in sweep order */
	unsigned trial;	     /* 1-based */
	uint32_t size;	     /* frame bytes with FCS */
	uint64_t target_pps; /* UNITS_RATE_MAX = as fast as possible */
	double offered_pps;  /* frames the agent really sent per second, in the window */
	uint64_t window_ns;  /* length of the measurement window */
	/* agent, whole point */
	uint64_t sent, send_errors;
	uint64_t received, lost, reordered, duplicated, ring_drops;
	double lat_min_us, lat_mean_us, lat_p50_us, lat_p90_us, lat_p99_us, lat_p999_us, lat_max_us;
	struct results_hop hop[HOP_COUNT];
	int settled; /* 1 when the counters stopped moving before the next point */
};

/* Derived figures, the same everywhere they are printed. */
double results_loss_pct(const struct results_point *p);	 /* NaN when nothing was sent */
double results_sink_mbps(const struct results_point *p); /* L2 with FCS */
int results_loss_free(const struct results_point *p);

struct results_meta {
	char version[64];
	char kernel[256]; /* uname: sysname release machine */
	char cpu[128];
	char library[64];
	char commit[41];
	char dut[512];
	char platform[16];
	uint64_t start_ns; /* CLOCK_REALTIME */
	uint64_t end_ns;   /* 0 while running */
	char status[16];   /* "running", "complete", "interrupted", "error" */
};

/* Fill meta from this machine (kernel, CPU model), cfg and the platform name. */
void results_meta_collect(struct results_meta *m, const struct run_cfg *cfg, const char *platform,
			  uint64_t start_ns);

struct results;

/* Create the files in the directory dirfd (dir names it in messages; the
 * fd is duplicated): every file is made through the fd, O_EXCL|O_NOFOLLOW,
 * so a name already there (a planted symlink) is refused with -EEXIST, never
 * written through. cfg is kept for stats.json. */
int results_open_at(int dirfd, const char *dir, const struct results_meta *meta,
		    const struct run_cfg *cfg, struct results **out);
/* The same on the directory dir (which must exist). */
int results_open(const char *dir, const struct results_meta *meta, const struct run_cfg *cfg,
		 struct results **out);
/* Append one complete point to every file; returns 0 or a negative errno. */
int results_add(struct results *r, const struct results_point *p);
/* samples.csv, for monitor_set_csv; owned by r. */
FILE *results_samples(struct results *r);
/* Record the end (status and time), append the summary to stats and rewrite
 * stats.json for the last time. */
int results_finish(struct results *r, const char *status, uint64_t end_ns);
void results_close(struct results *r);

unsigned results_count(const struct results *r);
const struct results_point *results_point_at(const struct results *r, unsigned i);
const struct results_meta *results_get_meta(const struct results *r);
const char *results_dir(const struct results *r);
/* The run directory's fd, owned by r: every writer creates its files through it. */
int results_dirfd(const struct results *r);
/* The point of this size with the highest offered rate that is loss-free, or NULL. */
const struct results_point *results_best(const struct results *r, uint32_t size);
/* 1 when no point of this size offered more than best and lost frames: the
 * DUT's capacity is at least best, not best (the generator or the list of
 * rates ran out first). */
int results_best_is_lower_bound(const struct results *r, const struct results_point *best);

#endif
