/* The platform layer: what differs between running on a Linux machine
 * (local: namespaces, bridges, veth/tap, a DUT process) and on a Xen dom0
 * (xen: a traff-gen VM and a unikernel DUT through libxenlight). Everything
 * above it (sweep, monitor, stats, plots, teardown order) is shared, so the
 * sweep must never know which platform it drives.
 *
 * local/platform_local.c and xen/platform_xen.c implement it; the run and the
 * sweep call it. Choosing a platform (auto: xen when this is a Xen dom0, else
 * local) lives in the CLI's platform_select.c; --dry-run's plan.c asks the
 * chosen platform's describe() for the topology, which works without root
 * and touches nothing. */
#ifndef MP_PLATFORM_H
#define MP_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "harness/config/run_cfg.h"
#include "harness/platform/dut_activity.h"
#include "monitor/monitor.h"
#include "trafgen/agent_client.h"

struct platform;
struct run_state; /* harness/run/state.h: every created resource, recorded at once */

/* A run's lifecycle, as the sweep drives it (lock.h, state.h, stop.h):
 *   stop_install(); run_lock_take() (refused: name the holder, exit 1);
 *   ops->cleanup_stale(); run_state_create(); ops->create();
 *   per size: ops->prepare_size(); ... ; ops->destroy(); run_state_close();
 *   run_lock_release().
 * Every op logs its own errors with the details (which link, which
 * process, the kernel's text) and returns a negative errno; the caller only
 * adds what it was doing. -EINTR: a stop signal arrived (stop_requested()). */

/* The hops every platform reports, in path order. */
enum platform_hop {
	HOP_GEN_TX = 0, /* generator eth0: tx */
	HOP_DUT_IN,     /* tap0: frames towards the DUT */
	HOP_DUT_OUT,    /* tap1: frames from the DUT */
	HOP_SINK_RX,    /* sink eth1: rx */
	HOP_COUNT
};

/* Which counter of a hop counts the frames travelling along the path, as seen
 * where the hop is sampled: the generator's eth0 sampled inside its namespace
 * counts them as tx, the same link seen from dom0 as a Xen backend vif as rx;
 * tap0 carries them out (tx) towards the DUT, tap1 brings them in (rx). */
enum hop_dir { HOP_DIR_TX = 0, HOP_DIR_RX = 1 };

/* Counter deltas of a hop over a two-ended mode's client run (measure/ends.h),
 * kept in the goodput and rr rows as they are: the way of the path's frames
 * (the counter hops() directs) and the way back. */
struct hop_delta {
	uint64_t packets, bytes;
	uint64_t back_packets, back_bytes;
};

/* The goodput mode's two ends: a client behind the generator's eth0 and a
 * server behind eth1, in different namespaces so that their traffic crosses
 * the DUT (the platform splits the generator's side when cfg->mode asks). */
enum platform_end { END_CLIENT = 0, END_SERVER };

struct platform_ops {
	const char *name; /* "local", "xen" */
	/* Build the topology, start generator agent and DUT, wait until the DUT
	 * is ready. On error everything already made is released before return. */
	int (*create)(const struct run_cfg *cfg, const char *run_dir, struct run_state *st,
		      struct platform **out);
	/* Make the path carry frames of this size (MTU for jumbo frames). */
	int (*prepare_size)(struct platform *p, unsigned frame_size);
	/* Where and how to reach the agent. */
	const char *(*agent_endpoint)(struct platform *p);
	const char *(*agent_token)(struct platform *p);
	/* Fill generator and sink parameters: devices, MACs, addresses. */
	void (*traffic)(struct platform *p, struct tg_tx_params *tx, struct tg_rx_params *rx);
	/* Hops to sample: at least HOP_COUNT, indexed by enum platform_hop, with
	 * the direction that counts path frames at each; returns how many. */
	unsigned (*hops)(struct platform *p, struct mon_hop *hops, enum hop_dir *dir,
			 unsigned max);
	/* 0 while the DUT runs; a negative errno and a message once it died. */
	int (*dut_check)(struct platform *p, char *why, size_t len);
	/* Optional (NULL = none): the file holding the DUT's console or log
	 * output, quoted when the DUT stops transmitting. */
	const char *(*dut_log)(struct platform *p);
	/* Optional (NULL = not known): the DUT's state and CPU time now, to say
	 * what a DUT that stopped transmitting is doing (dut_activity.h);
	 * -ENOENT when no process or domain is the DUT (the kernel bridge). */
	int (*dut_sample)(struct platform *p, struct dut_sample *s);
	/* Optional (NULL = nothing more to say): for a DUT found idle after it
	 * stopped transmitting, what it waits for as far as the platform can
	 * see, one phrase into buf ("" when it cannot tell). */
	void (*dut_explain)(struct platform *p, char *buf, size_t len);
	/* Release everything create() made; safe on a partly built platform. */
	void (*destroy)(struct platform *p);
	/* Remove leftovers of killed runs (from state files); 0 or -errno. */
	int (*cleanup_stale)(void);
	/* Optional (NULL: the platform cannot run the goodput mode's ends).
	 * Start argv (argv[0] looked up in PATH) at one end, its output into log,
	 * its process group recorded in the state file; end_stop() stops that
	 * group (reaped: proc_poll() already saw the leader end) and releases the
	 * record. end_addr(): the end's IPv4 address, dotted. */
	int (*end_spawn)(struct platform *p, enum platform_end end, char *const *argv,
			 const char *log, pid_t *pid);
	void (*end_stop)(struct platform *p, pid_t pid, int reaped);
	const char *(*end_addr)(struct platform *p, enum platform_end end);
	/* Optional (NULL: the ends are this machine's children, watched with
	 * proc_poll() and their /proc/PID/net/tcp). For ends that run elsewhere
	 * (xen: in the traff-gen guest, through its agent; pid is then the
	 * agent's id of the end): end_poll() is 1 once the end ended (*status
	 * as from waitpid, its output in the log end_spawn named), 0 while it
	 * runs, or a negative errno after saying why; end_listening() is 1 once
	 * the end listens on TCP port. */
	int (*end_poll)(struct platform *p, pid_t pid, int *status);
	int (*end_listening)(struct platform *p, pid_t pid, unsigned port);
	/* Optional (NULL = always): 0 when this machine can run the platform,
	 * else a negative errno after saying why and what to do instead. Called
	 * before the run creates anything, so a refused run leaves nothing. */
	int (*available)(void);
	/* --dry-run: the topology create() would build for cfg, as text, from
	 * cfg alone (no root, nothing touched, the same cfg the same text). */
	void (*describe)(FILE *f, const struct run_cfg *cfg);
};

/* The ops of PLATFORM_LOCAL or PLATFORM_XEN; NULL for neither. */
const struct platform_ops *platform_ops_of(enum run_platform p);

extern const struct platform_ops platform_local_ops;
extern const struct platform_ops platform_xen_ops;

#endif
