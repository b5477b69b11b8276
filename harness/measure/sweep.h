/* The pkt-size x pps sweep, shared by every platform: for each point, start
 * the sink and the generator through the agent, warm up, measure a window
 * with the monitor, stop, wait until nothing is in flight, and append the
 * point to the results. It only talks to the platform through platform_ops. */
#ifndef MP_SWEEP_H
#define MP_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "harness/platform/platform.h"
#include "harness/output/results.h"
#include "harness/config/run_cfg.h"
#include "monitor/monitor.h"
#include "trafgen/agent_client.h"

/* Everything the sweep drives; owned by the caller (run.c), which outlives it. */
struct sweep_deps {
	const struct run_cfg *cfg;
	const struct platform_ops *ops;
	struct platform *plat;
	struct agent_client *agent;
	struct monitor *mon;	     /* opened on ops->hops() and started */
	enum hop_dir dir[HOP_COUNT]; /* from ops->hops(): the counter of path frames */
	struct results *res;
	/* Non-zero once SIGINT/SIGTERM asked to stop (stop_requested() of
	 * harness/run/stop.h in a run); polled at least every 100 ms. */
	int (*stopped)(void);
};

struct sweep_plan_point {
	uint32_t size;
	uint64_t rate; /* UNITS_RATE_MAX = as fast as possible */
	unsigned trial;
	uint64_t duration_ns; /* measured part; 0 = cfg->duration_ns (the search asks for less) */
	uint64_t plan_rate;   /* the rate as the list wrote it (RUN_RATE_PCT(N)); 0 = rate */
};

/* The points in sweep order: size-major (every rate of the first size, then
 * the next size) or rate-major, each point repeated cfg->trials times in a
 * row. *pts is malloc'd. -E2BIG beyond RUN_MAX_POINTS, -EINVAL when empty. */
int sweep_plan(const struct run_cfg *cfg, struct sweep_plan_point **pts, unsigned *n);

/* Estimated time left before point done+1 starts: the mean time of the points
 * done so far, or planned_point_ns before the first one, times what is left. */
uint64_t sweep_eta_ns(unsigned done, unsigned total, uint64_t elapsed_ns,
		      uint64_t planned_point_ns);
/* "point 7/12  512 B  200 kpps  elapsed 1:10  ETA 0:50" */
void sweep_progress_line(char *buf, size_t len, unsigned index, unsigned total, uint32_t size,
			 uint64_t rate, uint64_t elapsed_ns, uint64_t eta_ns);

struct sweep;

int sweep_new(const struct sweep_deps *deps, struct sweep **out);
/* Measure one point and fill *out (index and trial included); nothing is
 * written. -EINTR when stopped; agent and monitor errors are logged here. */
int sweep_point_run(struct sweep *s, const struct sweep_plan_point *pp, unsigned index,
		    struct results_point *out);
/* Every point, each appended to the results as soon as it is complete.
 * 0, -EINTR when stopped by a signal, -EPIPE after a point at which the DUT
 * stopped transmitting when cfg->on_dut_stop says stop (said in words), or a
 * negative errno after logging why. */
int sweep_run(struct sweep *s);
/* Points completed and written by sweep_run. */
unsigned sweep_done(const struct sweep *s);
/* Points of sweep_run whose generator failed (RESULTS_GEN_FAILED); *first
 * (when not NULL) is the first one's index. */
unsigned sweep_gen_failed(const struct sweep *s, unsigned *first);
/* Points of sweep_run at which the DUT had stopped transmitting. */
unsigned sweep_dut_stopped(const struct sweep *s);
void sweep_free(struct sweep *s);

#endif
