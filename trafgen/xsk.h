/* The generator's AF_XDP backend: one XDP socket per sending thread, bound
 * to its own queue of the device in copy mode (veth and most drivers; the
 * kernel then builds each frame's skb itself, with no socket-layer work per
 * frame), with a UMEM whose frames all start as copies of the template, so
 * only the stamped fields are written per frame. Transmit only: the sink
 * and the forwarder stay on AF_PACKET rings (see bench-trafgen).
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

#endif
