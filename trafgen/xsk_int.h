/* What the AF_XDP paths built with libxdp share (trafgen/xsk_fwd.c,
 * trafgen/xsk_rx.c); not in the build without libxdp. */
#ifndef MP_TRAFGEN_XSK_INT_H
#define MP_TRAFGEN_XSK_INT_H

#include <stdint.h>

#define XSK_L2 18u /* Ethernet header and a VLAN tag over the MTU */

/* libbpf's and libxdp's own messages only with -v: the caller reports a
 * failed attach once (and falls back to AF_PACKET). */
void xsk_quiet_libs(void);
/* The receive queues name uses (ethtool channels: veth reports rx, NICs
 * combined), 1 when it does not say; -EMSGSIZE when its MTU does not fit a
 * UMEM frame of `frame` bytes after XDP's headroom, -E2BIG for more than
 * XSK_FWD_QUEUES. */
int xsk_dev_queues(const char *name, unsigned frame, unsigned *nq);
/* Add to *drops the frames the kernel dropped for socket fd (rx_dropped +
 * rx_ring_full) since *seen, which moves on. 0 or a negative errno. */
int xsk_sock_drops(int fd, uint64_t *seen, uint64_t *drops);

/* The bytes of XDP metadata in front of a frame the sink's program stamped:
 * its arrival on CLOCK_MONOTONIC, in ns (trafgen/xsk_stamp.c). */
#define XSK_STAMP_LEN 8
/* Load the sink's program on ifname (native XDP, through a BPF link) with
 * an XSKMAP of nq queues: *map_fd for the sockets, *link_fd to close (which
 * detaches it). 0 or a negative errno (the kernel refused the map, the
 * program or the attach). */
int xsk_stamp_attach(const char *ifname, unsigned nq, int *map_fd, int *link_fd);

#endif
