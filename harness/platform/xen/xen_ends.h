/* The goodput and rr modes' ends on Xen: the client and server (iperf3, or
 * `mir-trafgen rr`) run inside the traff-gen guest (client on eth0, server
 * in the guest's namespace GUEST_ENDS_NETNS on eth1, see
 * guest/guest_ends.h), started and watched through the agent's end_*
 * requests (trafgen/agent_end.h) on a connection of their own. An end's
 * "pid" for platform_ops is the agent's id of it; its output (iperf3's -J
 * document, rr's --json, the server's log) is copied into the log file
 * named at spawn once it ends or is stopped. */
#ifndef MP_XEN_ENDS_H
#define MP_XEN_ENDS_H

#include <sys/types.h>

#include "harness/platform/platform.h"

struct xen_ends;

/* The connection to the agent at endpoint (tcp:...), token. 0 or -errno, said. */
int xen_ends_open(const char *endpoint, const char *token, struct xen_ends **out);
/* Stops every end still running (its output copied), closes the connection. */
void xen_ends_close(struct xen_ends *e);

/* In dom0, transmit checksum offload off on the DUT's first nvifs vifs
 * (tap0, tap1; tap0 alone when the DUT is the server):
 * the guests' netfronts leave IPv4 checksums to offload (always: it is not
 * a feature they can turn off), and a DUT that copies frames as they are
 * (mir-trafgen fwd on packet sockets) would pass them on unfilled, so the
 * other end drops every TCP segment (and a DUT that is the server would
 * check sums never filled in). With the offload off the kernel fills
 * them in before netback hands a frame to the DUT. 0 or -errno, said. */
int xen_ends_dut_csum(unsigned nvifs);

/* Which program argv asks for, as the agent knows them: 1 for iperf3
 * (argv[0] "iperf3", the goodput mode's), 2 for mir-trafgen rr (argv[0] a
 * path of mir-trafgen and argv[1] "rr", the rr mode's: the agent runs its
 * own binary), 0 for anything else. The value is where its arguments start. */
unsigned xen_ends_prog(char *const *argv);

/* platform_ops' end_spawn, end_poll, end_listening, end_stop, end_addr */
int xen_ends_spawn(struct xen_ends *e, enum platform_end end, char *const *argv,
		   const char *log, pid_t *pid);
int xen_ends_poll(struct xen_ends *e, pid_t pid, int *status);
int xen_ends_listening(struct xen_ends *e, pid_t pid, unsigned port);
void xen_ends_stop(struct xen_ends *e, pid_t pid);
const char *xen_ends_addr(enum platform_end end);

#endif
