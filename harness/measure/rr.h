/* The rr mode (mode = rr): TCP request/response through the DUT, netperf's
 * TCP_RR. `mir-trafgen rr server` at the platform's END_SERVER for the whole
 * run, one `mir-trafgen rr client --json` per point at END_CLIENT, its
 * document kept in the run directory (rr/point-N.json). Per point:
 * transactions per second, latency percentiles, every transaction accounted
 * (trafgen/rr_client.h), both ends' CPU, and the kernel counters of every hop
 * both ways over the whole client run. Points run through the shared
 * measure loop (loop.h); the network is only reached through platform_ops. */
#ifndef MP_RR_H
#define MP_RR_H

#include "harness/config/run_cfg.h"
#include "harness/output/rr_out.h"
#include "harness/platform/platform.h"
#include "monitor/monitor.h"

struct rr_deps {
	const struct run_cfg *cfg;
	const struct platform_ops *ops; /* with end_spawn, end_stop, end_addr */
	struct platform *plat;
	struct monitor *mon;	     /* opened on ops->hops() */
	enum hop_dir dir[HOP_COUNT]; /* from ops->hops(): the counter of the requests' way */
	struct rr_out *out;
	const char *run_dir; /* the client's documents and the server's log: RUN_DIR/rr/ */
	int (*stopped)(void);
};

/* Start the server, run every point, stop the server. 0, -EINTR when
 * stopped, or a negative errno after saying why. *done: points written. */
int rr_run(const struct rr_deps *d, unsigned *done);

#endif
