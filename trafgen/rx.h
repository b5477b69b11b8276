/* The sink: counts the frames of mir-trafgen streams arriving on one
 * interface, per stream (received, lost, reordered, duplicated, bytes) with
 * one-way latency percentiles, in a thread of its own so the caller (the CLI
 * or the agent) can read the figures while it runs.
 *
 * Each lane (sending thread) of a stream has its own sequence.
 * Loss: sequence gaps, plus the tail announced by the generator's FIN frames
 * (frames sent after the last one received). A frame arriving after a later
 * one was seen is reordered (and no longer lost); one seen twice within the
 * last SEQ_WINDOW sequence numbers (seqtrack.h) is a duplicate.
 *
 * Two backends (tg_rx_params.backend; `rx --io auto|xdp|ring`), one
 * accounting: every frame goes through the same per-stream code.
 * - ring (TG_BACKEND_PACKET): a TPACKET_V3 receive ring; each frame carries
 *   the kernel's receive time, so latency is generator stamp -> the moment
 *   the kernel took the frame, whatever the sink's own delay.
 * - xdp (TG_BACKEND_XDP, trafgen/xsk.h: xsk_rx): an AF_XDP socket on every
 *   receive queue of the device (native XDP only). AF_XDP itself gives no
 *   arrival time; the sink's own XDP program (trafgen/xsk_stamp.c) writes
 *   the kernel's CLOCK_MONOTONIC (the generator's clock) into each frame's
 *   metadata as XDP runs on it, so latency is generator stamp -> the
 *   moment the receiving device's XDP saw the frame, the sink's own delay
 *   not included. Not the ring's end point, and the path differs (veth
 *   with XDP queues frames for its NAPI instead of the stack's backlog):
 *   the two backends' latencies are not comparable to the microsecond
 *   (p50 2.5 us with xdp, 29-40 us with the ring, same 100 kpps of two
 *   threads, load 2). Where the kernel refuses that program,
 *   libxdp's is used and the sink reads the clock once per batch (up to 64
 *   frames of a queue) when it finds the batch: a frame's latency then also
 *   holds the time it waited in the socket's ring for the sink to come
 *   round - microseconds on an idle sink, up to a scheduling delay on a
 *   busy machine, the first frame of a batch the most; minimum and median
 *   stay close, the tail (p99, max) is the sink's as much as the path's.
 *   Loss and order are exact either way. With the program attached, every
 *   frame of the device goes to the sink (the kernel's stack sees none: no
 *   ARP or ICMP answered on it), and veth copies each frame once more
 *   (into a page with XDP's headroom, then into the socket's UMEM); a veth
 *   whose XDP falls behind drops in its own 256-frame ring, before the
 *   sockets: lost by sequence, counted on the sending end's tx_dropped,
 *   not in ring_drops.
 * - auto (the default): the ring. make bench-trafgen's section 4 puts both
 *   behind the generator at its maximum (2 threads, 2-queue veth, 2 CPUs,
 *   load 3, nice 19): 64 B, the ring counted all of 659 kpps, AF_XDP 517
 *   kpps and lost 0.7 % (xdp/ring 0.785); 1518 B, 496 against 407 kpps,
 *   neither lost (0.821). The generator shares the CPUs and the veth's XDP
 *   path slows it; AF_XDP is not faster as a sink here, so auto does not
 *   take it. --io xdp stays for a NIC with zero-copy AF_XDP. */
#ifndef MP_TRAFGEN_RX_H
#define MP_TRAFGEN_RX_H

#include <stddef.h>
#include <stdint.h>

#include "trafgen/agent_client.h"

#define RX_MAX_STREAMS 64

struct rx_stream_report {
	uint32_t stream;
	uint64_t received, bytes, lost, reordered, duplicated;
	uint64_t fin_total; /* frames the generator said it sent (lanes whose FIN
			     * arrived); 0 = no FIN seen */
};

struct rx_engine;

/* Open the backend on p->dev and start counting. p->stream may be
 * TG_STREAM_ANY. Errors: -EINVAL/-ENODEV for the device, others from the
 * socket; with p->backend TG_BACKEND_XDP, AF_XDP's (xsk.h: xsk_rx_open),
 * never the ring. ring_mb: receive ring size (0 = default). */
int rx_engine_start(const struct tg_rx_params *p, unsigned ring_mb, struct rx_engine **out);
/* Ask the thread to finish (it ends by itself on count or duration). */
void rx_engine_stop(struct rx_engine *e);
/* Non-zero once the thread has ended. */
int rx_engine_done(struct rx_engine *e);
/* Figures so far (final once done). */
void rx_engine_report(struct rx_engine *e, struct tg_rx_report *r);
/* Per-stream figures: fills up to max entries, returns how many streams. */
int rx_engine_streams(struct rx_engine *e, struct rx_stream_report *s, int max);
/* Stop, wait for the thread, and return its status (0 or a negative errno
 * of a receive error). */
int rx_engine_join(struct rx_engine *e);
void rx_engine_free(struct rx_engine *e);
/* The error of rx_engine_start in words, for the user (CLI) or the agent's
 * client: with --io xdp, what AF_XDP refused. */
void rx_start_error(char *buf, size_t len, int rc, const struct tg_rx_params *p);
/* --io's names: "auto", "ring", "xdp" (enum tg_backend); -EINVAL for
 * another. */
const char *rx_io_name(uint32_t backend);
int rx_io_parse(const char *s, uint32_t *backend);

#endif
