/* The files of a run directory, written point by point so that nothing
 * measured is lost when a run is interrupted or killed:
 *   stats       aligned table for people (appended, flushed and fsynced per point)
 *   stats.csv   the same figures and more, for programs (appended likewise)
 *   stats.json  the figures plus run metadata (rewritten atomically per point,
 *               so it is always a complete JSON document)
 *   samples.csv every monitor sample of every hop (written by the monitor)
 * Column names are documented in doc/output-files.md. */
#ifndef MP_RESULTS_H
#define MP_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/platform/platform.h"
#include "harness/config/run_cfg.h"
#include "harness/output/results_meta.h"

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

/* What a point's figures say about the measurement itself (results_point.flags). */
enum results_flag {
	/* The generator did not offer what was asked: more send errors than
	 * frames sent, nothing sent, or its rate over the point (gen_point_pps)
	 * below the target by more than the pacing's tolerance. Its loss is not
	 * computed (frames never sent are no loss). */
	RESULTS_GEN_FAILED = 1u << 0,
	/* A hop's window rate exceeds its upstream's by more than the counters'
	 * resolution and the backlog queued before the window can explain. */
	RESULTS_RATE_ORDER = 1u << 1,
	/* Frames kept arriving at the DUT while none left it, to the end of the point. */
	RESULTS_DUT_STOPPED = 1u << 2,
	/* The agent's own count of frames sent disagrees with the generator's
	 * link counter by more than the two windows' edges explain. */
	RESULTS_AGENT_DIFFERS = 1u << 3,
};

struct results_point {
	unsigned index;	     /* 1-based, in sweep order */
	unsigned trial;	     /* 1-based */
	uint32_t size;	     /* frame bytes with FCS */
	uint64_t target_pps; /* UNITS_RATE_MAX = as fast as possible */
	/* The rate as the list wrote it: target_pps, or RUN_RATE_PCT(N) for an
	 * N% point (whose target_pps is N % of what max carried). Two runs'
	 * points are compared by it. 0 = target_pps. */
	uint64_t plan_rate;
	/* Frames the generator really sent per second: its link's counter
	 * (gen_tx) in the measurement window, the same samples and clock as
	 * every other hop's rate. */
	double offered_pps;
	double agent_offered_pps; /* the agent's own count over its own window: a cross-check */
	/* The generator's own rate over the whole point (frames sent / first to
	 * last send): what it managed to offer of the target, stalls caught up. */
	double gen_point_pps;
	uint64_t window_ns;  /* length of the measurement window */
	/* agent, whole point */
	uint64_t sent, send_errors;
	uint64_t received, lost, reordered, duplicated, ring_drops;
	double lat_min_us, lat_mean_us, lat_p50_us, lat_p90_us, lat_p99_us, lat_p999_us, lat_max_us;
	struct results_hop hop[HOP_COUNT];
	int settled; /* 1 when the counters stopped moving before the next point */
	unsigned flags;	    /* enum results_flag */
	unsigned order_hop; /* RESULTS_RATE_ORDER: the first hop faster than its upstream */
	/* RESULTS_DUT_STOPPED: frames the DUT had sent since the run's first
	 * point when it stopped, and frames that reached it since. */
	uint64_t dut_stopped_after, dut_in_since_stop;
};

/* Derived figures, the same everywhere they are printed. */
/* NaN when nothing was sent, or when the generator failed (RESULTS_GEN_FAILED). */
double results_loss_pct(const struct results_point *p);
double results_sink_mbps(const struct results_point *p); /* L2 with FCS */
int results_loss_free(const struct results_point *p);

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
/* The backend the generator agent reported it sends with: stats.json's
 * cfg "backend" and the report's generator row from now on. */
void results_set_backend(struct results *r, const char *backend);
/* The run directory's fd, owned by r: every writer creates its files through it. */
int results_dirfd(const struct results *r);
/* The point of this size with the highest offered rate that is loss-free, or NULL. */
const struct results_point *results_best(const struct results *r, uint32_t size);
/* 1 when no point of this size offered more than best and lost frames: the
 * DUT's capacity is at least best, not best (the generator or the list of
 * rates ran out first). */
int results_best_is_lower_bound(const struct results *r, const struct results_point *best);

#endif
