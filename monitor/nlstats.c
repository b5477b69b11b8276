#include "monitor/nlstats.h"

#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/netns.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct mon_nl {
	struct nl_sock *sk;
	struct nl_cb *cb;
	/* The reply being waited for, filled by the callbacks. */
	uint32_t seq;
	int done;
	int error; /* negative errno from an NLMSG_ERROR */
	int ifindex;
	char ifname[IFNAMSIZ];
	struct rtnl_link_stats64 stats;
	int have_stats;
};

/* Parse one RTM_NEWLINK reply: its ifindex, name and IFLA_STATS64. */
static int link_reply(struct nl_msg *msg, void *arg)
{
	struct mon_nl *s = arg;
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;
	size_t len;

	if (hdr->nlmsg_seq != s->seq || hdr->nlmsg_type != RTM_NEWLINK)
		return NL_SKIP; /* a stale reply to an earlier request */
	if (nlmsg_parse(hdr, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0) {
		s->error = -EPROTO;
		s->done = 1;
		return NL_STOP;
	}
	ifi = nlmsg_data(hdr);
	s->ifindex = ifi->ifi_index;
	s->ifname[0] = '\0';
	if (tb[IFLA_IFNAME])
		nla_strlcpy(s->ifname, tb[IFLA_IFNAME], sizeof(s->ifname));
	memset(&s->stats, 0, sizeof(s->stats));
	s->have_stats = 0;
	if (tb[IFLA_STATS64]) {
		/* Older kernels send a shorter struct; the first counters are always there. */
		len = (size_t)nla_len(tb[IFLA_STATS64]);
		if (len > sizeof(s->stats))
			len = sizeof(s->stats);
		memcpy(&s->stats, nla_data(tb[IFLA_STATS64]), len);
		s->have_stats = len >= offsetof(struct rtnl_link_stats64, rx_length_errors);
	}
	s->done = 1;
	return NL_STOP;
}

/* The kernel's extended ack text, when it sent one (NETLINK_EXT_ACK is set on
 * the socket): the TLVs follow the error and the echoed request (or only its
 * header when NLM_F_CAPPED). */
static const char *ext_ack_msg(const struct nlmsghdr *hdr, const struct nlmsgerr *e)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {NULL};
	const unsigned char *p = (const unsigned char *)e;
	size_t off, end = hdr->nlmsg_len - NLMSG_HDRLEN;
	const struct nlattr *a;

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	off = sizeof(*e);
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	off = NLMSG_ALIGN(off);
	while (off + NLA_HDRLEN <= end) {
		a = (const struct nlattr *)(p + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > end)
			break;
		if (a->nla_type <= NLMSGERR_ATTR_MAX)
			tb[a->nla_type] = a;
		off += NLA_ALIGN(a->nla_len);
	}
	a = tb[NLMSGERR_ATTR_MSG];
	if (!a || a->nla_len <= NLA_HDRLEN)
		return NULL;
	if (((const char *)a + NLA_HDRLEN)[a->nla_len - NLA_HDRLEN - 1] != '\0')
		return NULL;
	return (const char *)a + NLA_HDRLEN;
}

static int link_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct mon_nl *s = arg;
	const struct nlmsghdr *hdr = (const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	const char *text;

	if (e->msg.nlmsg_seq != s->seq)
		return NL_SKIP;
	text = ext_ack_msg(hdr, e);
	if (text)
		log_warn("netlink: kernel says: %s", text);
	s->error = e->error < 0 ? e->error : -EPROTO;
	s->done = 1;
	return NL_STOP;
}

int mon_nl_open(const char *netns, struct mon_nl **out)
{
	struct mon_nl *s = NULL;
	int saved = -1, rc, one = 1;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	rc = netns_enter(netns, &saved);
	if (rc)
		goto out;
	s->sk = nl_socket_alloc();
	s->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!s->sk || !s->cb) {
		rc = -ENOMEM;
		goto out;
	}
	/* Sockets stay in the namespace they were created in. */
	if (nl_connect(s->sk, NETLINK_ROUTE) < 0) {
		rc = -EIO;
		goto out;
	}
	/* A get needs no extra ack: the reply or an error ends the exchange. */
	nl_socket_disable_auto_ack(s->sk);
	/* Best effort: kernels before 4.12 have no extended acks. */
	(void)setsockopt(nl_socket_get_fd(s->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	nl_cb_set(s->cb, NL_CB_VALID, NL_CB_CUSTOM, link_reply, s);
	nl_cb_err(s->cb, NL_CB_CUSTOM, link_error, s);
	rc = 0;
out:
	if (saved >= 0) {
		int rrc = netns_restore(saved);

		if (rrc && !rc)
			rc = rrc;
	}
	if (rc) {
		mon_nl_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void mon_nl_close(struct mon_nl *s)
{
	if (!s)
		return;
	if (s->cb)
		nl_cb_put(s->cb);
	if (s->sk)
		nl_socket_free(s->sk);
	free(s);
}

/* One RTM_GETLINK exchange, by index or (index 0) by name; *t_answered (if
 * not NULL) is when the kernel had handled the request. */
static int link_query(struct mon_nl *s, int ifindex, const char *ifname, uint64_t *t_answered)
{
	struct nl_msg *msg = NULL;
	int rc, tries;

	rc = rtnl_link_build_get_request(ifindex, ifindex ? NULL : ifname, &msg);
	if (rc < 0)
		return -ENOMEM;
	s->done = 0;
	s->error = 0;
	rc = nl_send_auto(s->sk, msg);
	if (t_answered)
		*t_answered = mtime_now_ns();
	if (rc < 0) {
		rc = -EIO;
		goto out;
	}
	s->seq = nlmsg_hdr(msg)->nlmsg_seq;
	/* Stale replies are skipped; a few reads always reach ours. */
	for (tries = 0; !s->done && tries < 8; tries++) {
		rc = nl_recvmsgs(s->sk, s->cb);
		if (rc < 0 && !s->done) {
			rc = rc == -NLE_NOMEM ? -ENOMEM : -EIO;
			goto out;
		}
	}
	if (!s->done)
		rc = -EIO;
	else
		rc = s->error;
out:
	nlmsg_free(msg);
	return rc;
}

int mon_nl_ifindex(struct mon_nl *s, const char *ifname)
{
	int rc;

	rc = link_query(s, 0, ifname, NULL);
	if (rc)
		return rc;
	if (strcmp(s->ifname, ifname))
		return -ENODEV;
	return s->ifindex;
}

int mon_nl_read(struct mon_nl *s, int ifindex, const char *ifname, struct mon_counters *out,
		uint64_t *t_ns)
{
	int rc;

	rc = link_query(s, ifindex, NULL, t_ns);
	if (rc)
		return rc;
	/* An index reused by a new interface is not the one being measured. */
	if (s->ifindex != ifindex || strcmp(s->ifname, ifname))
		return -ENODEV;
	if (!s->have_stats)
		return -EPROTO;
	out->rx_packets = s->stats.rx_packets;
	out->tx_packets = s->stats.tx_packets;
	out->rx_bytes = s->stats.rx_bytes;
	out->tx_bytes = s->stats.tx_bytes;
	out->rx_dropped = s->stats.rx_dropped;
	out->tx_dropped = s->stats.tx_dropped;
	out->rx_errors = s->stats.rx_errors;
	out->tx_errors = s->stats.tx_errors;
	return 0;
}
