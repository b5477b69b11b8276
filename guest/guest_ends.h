/* The goodput and rr modes inside the Xen guests (mirperf.goodput=1, see
 * geninit_cmdline.h). In the traff-gen guest the client and server
 * must sit in different network namespaces, or the kernel would route their
 * traffic over loopback and never through the DUT: the server's end, eth1,
 * moves into GUEST_ENDS_NETNS (/run/netns/srv, made as iproute2 makes it),
 * where the agent starts the server. The linux-fwd DUT forwards both ways,
 * with GRO off: netfront would merge TCP segments into frames larger than the
 * MTU, which a packet socket cannot send on. */
#ifndef MP_GUEST_ENDS_H
#define MP_GUEST_ENDS_H

#define GUEST_ENDS_NETNS      "srv"
#define GUEST_ENDS_CLIENT     0xc6120001u /* 198.18.0.1/15 on eth0 */
#define GUEST_ENDS_SERVER     0xc6130001u /* 198.19.0.1/15 on eth1, in GUEST_ENDS_NETNS */
#define GUEST_ENDS_PREFIX     15

/* traff-gen: split eth1 off into the server's namespace, address both ends,
 * TSO off on both (frames of the MTU on the measured path). 0, or a negative
 * errno after saying why on the console. */
int guest_ends_split(void);
/* linux-fwd DUT: GRO off on eth0 and eth1. 0 or a negative errno, said. */
int guest_ends_fwd(void);

#endif
