/* One point (one trial) of a run through the platform: start the sink and the
 * generator through the agent, warm up, measure a window with the monitor
 * while watching the DUT, stop, wait until nothing is in flight, and fill a
 * results_point (counters, rates, flags, verdict). Every mode is a loop over
 * it: the sweep walks its planned points (sweep.c), the search asks for the
 * trials its algorithm wants (search_drive.c, which hands search.c nothing
 * but a measure(duration, load) function, as FD.io CSIT's MLRsearch). The
 * network is only reached through platform_ops, the agent and the monitor. */
#ifndef MP_POINT_H
#define MP_POINT_H

#include <stdint.h>

#include "harness/config/run_cfg.h"
#include "harness/output/results.h"
#include "harness/platform/platform.h"
#include "monitor/monitor.h"
#include "trafgen/agent_client.h"

/* What every point of a run needs, whatever the mode; filled once by run.c,
 * which owns all of it and outlives every mode. A mode's own output files
 * (the goodput mode's goodput_out, ...) are passed beside it. */
struct point_deps {
	const struct run_cfg *cfg;
	const struct platform_ops *ops;
	struct platform *plat;
	struct agent_client *agent;  /* the generator and the sink (frames modes) */
	struct monitor *mon;	     /* opened on ops->hops() and started */
	enum hop_dir dir[HOP_COUNT]; /* from ops->hops(): the counter of path frames */
	struct results *res;	     /* open on the run directory */
	const char *run_dir;	     /* its path, for messages and a mode's own files */
	const char *templates;	     /* plots/ templates, or NULL for no plot */
	/* Non-zero once SIGINT/SIGTERM asked to stop (stop_requested() of
	 * harness/run/stop.h in a run); polled at least every 100 ms. */
	int (*stopped)(void);
};

/* What a point offers. */
struct point_req {
	uint32_t size;
	uint64_t rate; /* UNITS_RATE_MAX = as fast as possible */
	unsigned trial;
	uint64_t duration_ns; /* measured part; 0 = cfg->duration_ns (the search asks for less) */
	uint64_t plan_rate;   /* the rate as the list wrote it (RUN_RATE_PCT(N)); 0 = rate */
	/* A search's probe: the generator offering less than asked is what the
	 * search measures, not a failed point (RESULTS_GEN_FAILED). */
	int probe;
};

/* The runner of a run's points: what one point leaves for the next (the
 * frame size the path is ready for, the DUT's first count, the stall said). */
struct point;

int point_new(const struct point_deps *d, struct point **out);
void point_free(struct point *p);

/* Make the path ready for size-byte frames, unless it already is. 0, -EINTR
 * when stopped, or a negative errno after saying so. */
int point_prepare(struct point *p, uint32_t size);
/* Measure one point and fill *out (index and trial included); nothing is
 * written. -EINTR when stopped; agent, monitor and DUT errors are said here. */
int point_run(struct point *p, const struct point_req *req, unsigned index,
	      struct results_point *out);
/* Wait until deadline (mtime_now_ns) in slices of at most 100 ms, watching
 * the stop flag (-EINTR) and the DUT every 500 ms (its error, said); during
 * point_run also whether the DUT stopped transmitting. For a mode whose
 * traffic is not point_run's, as goodput's iperf3 clients. */
int point_wait_until(struct point *p, uint64_t deadline);
/* What the DUT does now, in "; the DUT is idle: ..." form (with what the
 * platform can tell of what an idle one waits for), or "" when the platform
 * cannot tell: two samples DUT_ACTIVITY_WINDOW_NS apart. */
void point_dut_state(struct point *p, char *buf, size_t len);
/* Append a measured point to the run's results; `what` names it in the error
 * said ("point", "trial"). 0 or a negative errno. */
int point_keep(struct point *p, const struct results_point *pt, const char *what);
/* The point saw the DUT stop transmitting and cfg->on_dut_stop says stop. */
int point_stops_run(const struct point *p, const struct results_point *pt);

#endif
