/* How many threads the generator sends with, when mir-perf.conf says
 * `gen_threads = auto` (the default): every core the sink and the DUT do not
 * need. One thread per core and TX queue, as MoonGen and TRex do: a sender
 * sharing a core with the sink or a user-space DUT starves it, and the loss
 * then measured is the harness's, not the DUT's.
 *
 *   cores the DUT needs: 0 for the kernel bridge (it forwards in the softirq
 *     of the thread that sent the frame: its work is charged to the senders),
 *     1 for a forwarding process or domain (fwd, tap-fwd, exec:, a unikernel);
 *   cores the sink needs: 1, shared with the senders below 4 cores (its
 *     TPACKET_V3 ring costs a fraction of what sending costs);
 *   threads = cores - DUT - sink, at least 1, at most 8 (FRAME_LANES).
 *
 * On Xen the traff-gen VM gets gen_vcpus (auto: gen_threads + 1, the sink's)
 * and one netfront queue per vCPU. */
#ifndef MP_GEN_THREADS_H
#define MP_GEN_THREADS_H

#include <stddef.h>

#include "harness/config/run_cfg.h"

#define GEN_THREADS_MAX 8u
/* How the agent sends (trafgen/xsk.h, tg_tx_params.backend): said in the
 * plan; the backend it really used goes into stats.json and the report. */
#define GEN_BACKEND "auto: AF_XDP when each thread binds a queue of its own, else AF_PACKET"

/* The default for ncpu usable cores and this DUT; why (may be NULL) gets
 * the reasoning in one line, for the plan. */
unsigned gen_threads_default(unsigned ncpu, enum run_dut_kind dut, char *why, size_t len);

/* Resolve cfg->gen_threads (0 = auto) and cfg->gen_vcpus (0 = auto) with
 * the cores this process may run on, and fill cfg->gen_threads_why. */
void gen_threads_resolve(struct run_cfg *cfg);

/* The cores this process may run on (its affinity mask), at least 1. */
unsigned gen_threads_ncpu(void);

#endif
