/* TPACKET_V2 rings of an AF_PACKET socket bound to one interface, for the
 * forwarder (fwd.h): frames are handed over through shared memory, many per
 * system call, and a received frame is copied once, from the receive ring
 * straight into a transmit slot (the kernel sends from the slot's pages).
 *
 * V2 rather than V3 on the receive side: a V2 slot belongs to user space as
 * soon as its frame is written, where a V3 block is handed over only when
 * full or after its timeout (1 ms at least), which would add up to a
 * millisecond to every frame of a lightly loaded reference DUT. Slots are
 * fixed-size and hold a jumbo frame (RING_FRAME_MAX), so an MTU raised
 * during a run needs no new ring.
 *
 * Functions return 0 (or a pointer/count) or a negative errno. */
#ifndef MP_TRAFGEN_RING_H
#define MP_TRAFGEN_RING_H

#include <stdint.h>

#define RING_FRAME_MAX 9216u /* bytes of frame a slot holds: 9018-byte frames and some */

struct ring;

/* A receive ring of about ring_mb MiB (every frame arriving on ifindex,
 * outgoing ones ignored), or a transmit ring (qdisc bypassed). */
int ring_rx_open(int ifindex, unsigned ring_mb, struct ring **out);
int ring_tx_open(int ifindex, unsigned ring_mb, struct ring **out);
void ring_close(struct ring *r);
int ring_fd(const struct ring *r);
unsigned ring_slots(const struct ring *r);

/* Receive: the frame in the current slot, or NULL when the kernel has not
 * filled it yet. *len is the frame's length on the wire, *caplen what the
 * slot holds (less when it was longer than RING_FRAME_MAX); *ts_ns (may be
 * NULL) its arrival time, CLOCK_REALTIME. ring_rx_done hands the slot back. */
const uint8_t *ring_rx_peek(struct ring *r, uint32_t *len, uint32_t *caplen, uint64_t *ts_ns);
void ring_rx_done(struct ring *r);
/* The same k slots past the current one (k < ring_slots), and handing n
 * slots back at once: frames can be sent straight from their slots. */
const uint8_t *ring_rx_peek_at(struct ring *r, unsigned k, uint32_t *len, uint32_t *caplen,
			       uint64_t *ts_ns);
void ring_rx_done_n(struct ring *r, unsigned n);
/* Frames the kernel dropped for a full ring since the last call. */
int ring_rx_drops(struct ring *r, uint64_t *drops);

/* Transmit: the current free slot (RING_FRAME_MAX bytes), or NULL while the
 * kernel still sends from it (the ring is full). ring_tx_commit queues it
 * with len bytes; ring_tx_kick has the kernel send every queued slot
 * without waiting: 0, or a negative errno other than a full socket buffer
 * (-EAGAIN, -ENOBUFS: the slots stay queued for the next kick). */
uint8_t *ring_tx_slot(struct ring *r);
void ring_tx_commit(struct ring *r, uint32_t len);
int ring_tx_kick(struct ring *r);

#endif
