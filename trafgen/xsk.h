/* The generator's AF_XDP backend: one XDP socket per sending thread, bound
 * to its own queue of the device in copy mode (veth and most drivers; the
 * kernel then builds each frame's skb itself, with no socket-layer work per
 * frame), with a UMEM whose frames all start as copies of the template, so
 * only the stamped fields are written per frame. And the forwarder's
 * (xsk_fwd below, trafgen/xsk_fwd.c): one UMEM shared by the sockets of both
 * devices, so a received frame is sent from where it arrived, with no copy
 * in user space. And the sink's (xsk_rx below, trafgen/xsk_rx.c).
 *
 * Built with libxdp (trafgen/xsk.c) into mir-trafgen; the static binary of
 * the Xen traff-gen initramfs has none (trafgen/xsk_none.c: every open is
 * -EOPNOTSUPP) and sends with AF_PACKET. Functions return 0 (or a count)
 * or a negative errno. */
#ifndef MP_TRAFGEN_XSK_H
#define MP_TRAFGEN_XSK_H

#include <stdint.h>

#define XSK_TX_FRAMES 4096u

struct xsk_tx;

/* Bind to queue `queue` of ifname; every UMEM frame gets `frame` (len
 * bytes). -EOPNOTSUPP without libxdp; the kernel's errno otherwise (e.g.
 * -EINVAL for a queue the device does not have). */
int xsk_tx_open(const char *ifname, unsigned queue, const uint8_t *frame, uint32_t len,
		struct xsk_tx **out);
void xsk_tx_close(struct xsk_tx *x);
/* Up to n (<= 64) frames to stamp, pointers into bufs; 0 when every frame
 * is in flight. */
unsigned xsk_tx_reserve(struct xsk_tx *x, unsigned n, uint8_t **bufs);
/* Queue the reserved frames for sending. */
void xsk_tx_submit(struct xsk_tx *x, unsigned n);
/* Have the kernel send what is queued; returns how many frames it
 * completed (handed to the device) since the last call, or a negative
 * errno other than a busy device (-EAGAIN, -EBUSY, -ENOBUFS: try again). */
int xsk_tx_kick(struct xsk_tx *x);
/* Frames submitted and not completed yet. */
unsigned xsk_tx_in_flight(const struct xsk_tx *x);

/* The forwarder's AF_XDP I/O: an XDP program on `in` (and on `out` with
 * bidir) redirects every frame to an AF_XDP socket of its receive queue (one
 * per queue the device uses); all sockets share one UMEM, so the descriptor
 * of a frame received on one device is queued as is on the transmit ring of
 * the other's queue-0 socket, and its completion refills the receive side.
 * Direction 0 is in -> out, 1 out -> in; each direction's rings belong to
 * one thread (its receive and fill rings on `from`, the transmit and
 * completion rings of `to`'s queue-0 socket), and it owns half the UMEM's
 * frames, so the two threads never share a ring. Native XDP only (generic
 * XDP forwards no faster than the AF_PACKET rings); zero-copy where the
 * driver has it, copy mode otherwise (veth). */
#define XSK_FWD_QUEUES 16u /* receive queues of a device */
#define XSK_FWD_BATCH 64u

struct xsk_fwd;
struct xsk_fwd_frame {
	uint64_t addr; /* in the UMEM: what goes back to the kernel */
	uint8_t *data;
	uint32_t len;
};

/* queue_mb: the UMEM of a direction, its receive queue (frames of a page:
 * queue_mb * 256 of them, a power of two, 512..65536). -EOPNOTSUPP without
 * libxdp or native XDP on a device, -EMSGSIZE for an MTU larger than a UMEM
 * frame, -E2BIG for more than XSK_FWD_QUEUES queues, or the kernel's errno;
 * *bad_dev names the device. */
int xsk_fwd_open(const char *in, const char *out, int bidir, unsigned queue_mb,
		 struct xsk_fwd **outp, const char **bad_dev);
void xsk_fwd_close(struct xsk_fwd *x);
/* "native, copy" or "native, zero-copy" */
const char *xsk_fwd_mode(const struct xsk_fwd *x);
/* Up to n (<= XSK_FWD_BATCH) received frames of direction dir; each is the
 * caller's until sent or recycled. */
unsigned xsk_fwd_recv(struct xsk_fwd *x, int dir, struct xsk_fwd_frame *f, unsigned n);
/* Queue f[0..n) for sending; returns how many were queued (the transmit ring
 * can hold every frame of a direction: all of them, unless misused). */
unsigned xsk_fwd_send(struct xsk_fwd *x, int dir, const struct xsk_fwd_frame *f, unsigned n);
/* Hand frames not sent back to the receive side. */
void xsk_fwd_recycle(struct xsk_fwd *x, int dir, const struct xsk_fwd_frame *f, unsigned n);
/* Has the kernel send what is queued and the receive side refilled with the
 * completed frames: the frames still in flight (>= 0), or a negative errno
 * other than a busy device. */
int xsk_fwd_kick(struct xsk_fwd *x, int dir);
/* Waits up to timeout_ms for frames to receive: > 0 when there are some. */
int xsk_fwd_wait(struct xsk_fwd *x, int dir, int timeout_ms);
/* Frames the kernel dropped on receive (no free frame, full ring) since the
 * last call. */
int xsk_fwd_drops(struct xsk_fwd *x, int dir, uint64_t *drops);

/* The sink's AF_XDP receive path (trafgen/xsk_rx.c): an XDP program on the
 * device (libxdp's, native only) redirects every frame to an AF_XDP socket
 * of its receive queue, one per queue the device uses, each with a UMEM of
 * its own; a frame is read where the kernel copied it and its frame goes
 * straight back to the fill ring. The program is the sink's own
 * (trafgen/xsk_stamp.c: it writes each frame's arrival time into the
 * frame's XDP metadata, ts_ns below); where the kernel refuses it, libxdp's
 * (no arrival time: the caller takes the clock once per batch, rx.h). */
#define XSK_RX_BATCH 64u

struct xsk_rx;
struct xsk_rx_frame {
	const uint8_t *data;
	uint32_t len;
	uint64_t ts_ns; /* arrival, CLOCK_MONOTONIC, from the XDP program; 0 = none */
};

/* -EOPNOTSUPP without libxdp or native XDP on the device (veth refuses the
 * program, a generic-only driver), -EMSGSIZE for an MTU above what a UMEM
 * frame carries (checked before any attach: a refused attach on a veth
 * reinitialises its queues), -E2BIG for more than XSK_FWD_QUEUES queues, or
 * the kernel's errno. The program stays attached until xsk_rx_close. */
int xsk_rx_open(const char *ifname, struct xsk_rx **out);
void xsk_rx_close(struct xsk_rx *x);
/* The receive queues it has a socket on. */
unsigned xsk_rx_queues(const struct xsk_rx *x);
/* "native, copy, stamped" or "native, zero-copy, batch time" (...) */
const char *xsk_rx_mode(const struct xsk_rx *x);
/* Up to n (<= XSK_RX_BATCH) frames from the next queue that has some (round
 * robin); valid until xsk_rx_release, which must come before the next call. */
unsigned xsk_rx_recv(struct xsk_rx *x, struct xsk_rx_frame *f, unsigned n);
/* The frames of the last xsk_rx_recv back to the kernel. */
void xsk_rx_release(struct xsk_rx *x);
/* Waits up to timeout_ms for frames: > 0 when there are some. */
int xsk_rx_wait(struct xsk_rx *x, int timeout_ms);
/* Frames the kernel dropped on receive (no free frame, full ring) since the
 * last call. */
int xsk_rx_drops(struct xsk_rx *x, uint64_t *drops);

#endif
