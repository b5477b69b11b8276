/* AF_PACKET sockets bound to one interface: a TPACKET_V3 receive ring and a
 * transmit socket that bypasses the qdisc. Shared by the sink, the generator
 * and the forwarder. Functions return 0 (or a count) or a negative errno. */
#ifndef MP_TRAFGEN_PKT_H
#define MP_TRAFGEN_PKT_H

#include <stddef.h>
#include <stdint.h>

/* The ifindex of an existing interface: -EINVAL for a name that is not a
 * valid interface name, -ENODEV when there is no such interface. */
int pkt_ifindex(const char *dev);

/* A raw socket for sending on ifindex, qdisc bypassed, large send buffer. */
int pkt_tx_open(int ifindex);

/* A plain receiving socket on ifindex (outgoing frames ignored, a receive
 * buffer of rcvbuf bytes) for recvmmsg: each frame can be read as soon as it
 * arrives, where a TPACKET_V3 block waits to fill or time out (1 ms at
 * least). With timestamps, each frame carries SO_TIMESTAMPNS. */
int pkt_sock_rx_open(int ifindex, int timestamps, int rcvbuf);
/* Frames dropped for a full receive buffer or ring since the last call. */
int pkt_fd_drops(int fd, uint64_t *drops);

struct pkt_rx;
/* A TPACKET_V3 ring of ring_mb MiB receiving every frame arriving on ifindex
 * (outgoing frames ignored). The kernel hands over a block when it is full
 * or block_tmo_ms after its first frame: a forwarder wants 1 ms, a sink
 * (which takes the kernel's receive time of each frame) can batch more. */
int pkt_rx_open(int ifindex, unsigned ring_mb, unsigned block_tmo_ms, struct pkt_rx **out);
/* Wait up to timeout_ms for a filled block. Returns its number of frames
 * (> 0), 0 on timeout, -EINTR on a signal, or another negative errno. */
int pkt_rx_wait(struct pkt_rx *rx, int timeout_ms);
/* The next frame of the current block, or NULL when the block is done;
 * *ts_ns (may be NULL) gets the kernel's receive time (CLOCK_REALTIME). */
const uint8_t *pkt_rx_next(struct pkt_rx *rx, uint32_t *len, uint64_t *ts_ns);
/* Hand the current block back to the kernel. */
void pkt_rx_release(struct pkt_rx *rx);
/* Frames the kernel dropped because the ring was full, since the last call. */
int pkt_rx_drops(struct pkt_rx *rx, uint64_t *drops);
int pkt_rx_fd(const struct pkt_rx *rx);
void pkt_rx_close(struct pkt_rx *rx);

#endif
