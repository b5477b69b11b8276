/* libnl sockets that live in a given network namespace, and requests that
 * report the kernel's own error text.
 *
 * A netlink socket keeps the namespace it was created in, so one thread can
 * talk to many namespaces without moving: nlsock_open enters NETNS, connects
 * and comes back. The only netlink socket code: lib/nl.c (links, bridges)
 * and monitor/nlstats.c (counters) both go through it; link programs using it
 * with $(NL_LIBS).
 *
 * Errors: nlsock_request returns 0 or a negative errno, and copies the
 * kernel's extended-ack message (NETLINK_EXT_ACK, e.g. "mtu greater than
 * device maximum") into err, or "" when the kernel gave none. */
#ifndef MP_NLSOCK_H
#define MP_NLSOCK_H

#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>
#include <netlink/socket.h>

/* netns NULL or "" = this thread's namespace. protocol: NETLINK_ROUTE, ... */
int nlsock_open(const char *netns, int protocol, struct nl_sock **out);
/* Same, in the namespace of an open namespace fd. */
int nlsock_open_fd(int netns_fd, int protocol, struct nl_sock **out);
void nlsock_close(struct nl_sock *sk);

/* Called for each reply message of a request (RTM_NEWLINK for a GETLINK,
 * ...); return NL_OK to go on, NL_STOP to stop, a negative errno to fail. */
typedef int (*nlsock_reply_fn)(struct nl_msg *msg, void *arg);

/* Send msg (NLM_F_ACK is added) and wait for its acknowledgement, passing
 * each reply to fn (may be NULL). Does not free msg. */
int nlsock_request(struct nl_sock *sk, struct nl_msg *msg, nlsock_reply_fn fn, void *arg, char *err,
		   size_t errlen);
/* The same, and *t_sent (CLOCK_MONOTONIC ns) is taken right after sendmsg
 * returned: the kernel handles an rtnetlink GET within sendmsg, so that is
 * when it read what it replies with (the monitor's sample time). */
int nlsock_request_timed(struct nl_sock *sk, struct nl_msg *msg, nlsock_reply_fn fn, void *arg,
			 char *err, size_t errlen, uint64_t *t_sent);

#endif
