/* Interface counters over rtnetlink; see nlstats.h. The socket, its
 * namespace and the kernel's error text are lib/nlsock's: this file only
 * asks for one link and reads its reply. */
#include "monitor/nlstats.h"

#include "lib/log.h"
#include "lib/nlsock.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <stdlib.h>
#include <string.h>

struct mon_nl {
	struct nl_sock *sk;
};

/* What one RTM_NEWLINK reply said. */
struct link_reply {
	int ifindex;
	char ifname[IFNAMSIZ];
	struct rtnl_link_stats64 stats;
	int have_stats;
};

/* Parse one RTM_NEWLINK reply: its ifindex, name and IFLA_STATS64. */
static int link_reply_parse(struct nl_msg *msg, void *arg)
{
	struct link_reply *r = arg;
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;
	size_t len;

	if (hdr->nlmsg_type != RTM_NEWLINK)
		return NL_SKIP;
	if (nlmsg_parse(hdr, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return -EPROTO;
	ifi = nlmsg_data(hdr);
	r->ifindex = ifi->ifi_index;
	if (tb[IFLA_IFNAME])
		nla_strlcpy(r->ifname, tb[IFLA_IFNAME], sizeof(r->ifname));
	if (tb[IFLA_STATS64]) {
		/* Older kernels send a shorter struct; the first counters are always there. */
		len = (size_t)nla_len(tb[IFLA_STATS64]);
		if (len > sizeof(r->stats))
			len = sizeof(r->stats);
		memcpy(&r->stats, nla_data(tb[IFLA_STATS64]), len);
		r->have_stats = len >= offsetof(struct rtnl_link_stats64, rx_length_errors);
	}
	return NL_OK;
}

int mon_nl_open(const char *netns, struct mon_nl **out)
{
	struct mon_nl *s;
	int rc;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	rc = nlsock_open(netns, NETLINK_ROUTE, &s->sk);
	if (rc) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void mon_nl_close(struct mon_nl *s)
{
	if (!s)
		return;
	nlsock_close(s->sk);
	free(s);
}

/* One RTM_GETLINK exchange, by index or (index 0) by name; *t_answered (if
 * not NULL) is when the kernel had handled the request. */
static int link_query(struct mon_nl *s, int ifindex, const char *ifname, struct link_reply *r,
		      uint64_t *t_answered)
{
	struct nl_msg *msg = NULL;
	char err[256];
	int rc;

	memset(r, 0, sizeof(*r));
	if (rtnl_link_build_get_request(ifindex, ifindex ? NULL : ifname, &msg) < 0)
		return -ENOMEM;
	rc = nlsock_request_timed(s->sk, msg, link_reply_parse, r, err, sizeof(err), t_answered);
	nlmsg_free(msg);
	/* A missing link is an answer the caller handles; anything the kernel
	 * explained is worth a line. */
	if (rc && rc != -ENODEV && err[0])
		log_warn("netlink: %s", err);
	if (!rc && !r->ifindex)
		rc = -EPROTO; /* acknowledged without a link */
	return rc;
}

int mon_nl_ifindex(struct mon_nl *s, const char *ifname)
{
	struct link_reply r;
	int rc;

	rc = link_query(s, 0, ifname, &r, NULL);
	if (rc)
		return rc;
	if (strcmp(r.ifname, ifname))
		return -ENODEV;
	return r.ifindex;
}

int mon_nl_read(struct mon_nl *s, int ifindex, const char *ifname, struct mon_counters *out,
		uint64_t *t_ns)
{
	struct link_reply r;
	int rc;

	rc = link_query(s, ifindex, NULL, &r, t_ns);
	if (rc)
		return rc;
	/* An index reused by a new interface is not the one being measured. */
	if (r.ifindex != ifindex || strcmp(r.ifname, ifname))
		return -ENODEV;
	if (!r.have_stats)
		return -EPROTO;
	out->rx_packets = r.stats.rx_packets;
	out->tx_packets = r.stats.tx_packets;
	out->rx_bytes = r.stats.rx_bytes;
	out->tx_bytes = r.stats.tx_bytes;
	out->rx_dropped = r.stats.rx_dropped;
	out->tx_dropped = r.stats.tx_dropped;
	out->rx_errors = r.stats.rx_errors;
	out->tx_errors = r.stats.tx_errors;
	return 0;
}
