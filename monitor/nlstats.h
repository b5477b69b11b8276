/* One rtnetlink (libnl-route-3) socket in one network namespace, reading an
 * interface's IFLA_STATS64 counters by ifindex. Kept apart from the sampler so
 * the unit tests can replace it with synthetic counters (-Wl,--wrap=mon_nl_*). */
#ifndef MP_MONITOR_NLSTATS_H
#define MP_MONITOR_NLSTATS_H

#include "monitor/monitor.h"

struct mon_nl;

/* Enter netns (NULL or "" = stay) from the calling thread, open and connect the
 * socket there and come back. -ENOENT: no such namespace. */
int mon_nl_open(const char *netns, struct mon_nl **out);
void mon_nl_close(struct mon_nl *s);
/* The ifindex of ifname in the socket's namespace, or -ENODEV. */
int mon_nl_ifindex(struct mon_nl *s, const char *ifname);
/* The 64-bit counters of ifindex. -ENODEV when the interface is gone or the
 * index now names another interface (ifname is what it was opened as).
 * t_ns (may be NULL): CLOCK_MONOTONIC when the kernel had answered. The kernel
 * handles the request within sendmsg and reads the counters at its end, after
 * any wait for its RTNL lock, so this is when they were read, to within the
 * microseconds it takes to fill the reply. */
int mon_nl_read(struct mon_nl *s, int ifindex, const char *ifname, struct mon_counters *out,
		uint64_t *t_ns);

#endif
