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

#include "harness/measure/point.h"
#include "harness/output/rr_out.h"


/* Start the server, run every point into out (rr_out_open's table), stop
 * the server. d->ops has end_spawn, end_stop and end_addr; d->dir is the
 * counter of the requests' way; the client's documents and the server's log
 * go to d->run_dir/rr/. 0, -EINTR when stopped, or a negative errno after
 * saying why. *done: points written. */
int rr_run(const struct point_deps *d, struct table_out *out, unsigned *done);

#endif
