/* The goodput mode (mode = goodput): TCP and UDP streams of iperf3 through
 * the DUT, the iperf3 server at the platform's END_SERVER, one client run per
 * point at END_CLIENT, its -J document read by iperf3.h and kept in the run
 * directory (iperf3/point-N.json). Per point: goodput, its per-interval
 * spread, TCP retransmits, UDP loss and jitter, both ends' CPU, and the
 * kernel counters of every hop over the whole client run (data one way, ACKs
 * the other). Points run through the shared measure loop (loop.h), every
 * wait through the point runner's (point.h: the stop flag, the DUT); the
 * network is only reached through platform_ops. */
#ifndef MP_GOODPUT_H
#define MP_GOODPUT_H

#include "harness/config/run_cfg.h"
#include "harness/output/goodput_out.h"
#include "harness/measure/point.h"

/* server = dut (cfg->server): no server is started, the DUT is the server
 * (the platform made sure it listens), and the server's CPU column is the
 * DUT's CPU time over each client run (ops->dut_sample), not iperf3's
 * remote figure.
 *
 * Start the server, run every point (each row to out, goodput_out_open's
 * table), stop the server. Of d: ops (with end_spawn, end_stop, end_addr), plat, mon (d->dir: the
 * counter of the data's way), run_dir (iperf3/ goes there), stopped. 0,
 * -EINTR when stopped, or a negative errno after saying why (with iperf3's
 * own words). *done: points measured and written. */
int goodput_run(const struct point_deps *d, struct table_out *out, unsigned *done);

#endif
