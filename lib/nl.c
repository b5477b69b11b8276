#include "lib/nl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <arpa/inet.h>

#include "lib/netns.h"
#include "lib/nlsock.h"

struct nlh {
	struct nl_sock *sk;
	char netns[NETNS_NAME_MAX + 1];
	char err[256];
};

int nlh_ifname_valid(const char *name)
{
	size_t i, n;

	if (!name)
		return 0;
	n = strlen(name);
	if (n == 0 || n >= IFNAMSIZ || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c <= ' ' || c >= 0x7f || c == '/' || c == ':')
			return 0;
	}
	return 1;
}

int nlh_open(const char *netns, struct nlh **out)
{
	struct nlh *h = NULL;
	int rc;

	*out = NULL;
	if (netns && *netns && !netns_name_valid(netns))
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	if (netns)
		snprintf(h->netns, sizeof(h->netns), "%s", netns);
	rc = nlsock_open(netns, NETLINK_ROUTE, &h->sk);
	if (rc) {
		free(h);
		return rc;
	}
	*out = h;
	return 0;
}

void nlh_close(struct nlh *h)
{
	if (!h)
		return;
	nlsock_close(h->sk);
	free(h);
}

const char *nlh_error(const struct nlh *h)
{
	return h->err;
}

const char *nlh_netns(const struct nlh *h)
{
	return h->netns;
}

static struct nl_msg *link_msg(int type, int flags, int ifindex)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	struct nl_msg *msg;

	msg = nlmsg_alloc_simple(type, NLM_F_REQUEST | flags);
	if (!msg)
		return NULL;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Send, wait for the ack, free msg. */
static int request(struct nlh *h, struct nl_msg *msg, nlsock_reply_fn fn, void *arg)
{
	int rc;

	h->err[0] = '\0';
	if (!msg)
		return -ENOMEM;
	rc = nlsock_request(h->sk, msg, fn, arg, h->err, sizeof(h->err));
	nlmsg_free(msg);
	return rc;
}

static int put_mac(struct nl_msg *msg, int type, const uint8_t *mac)
{
	return mac ? nla_put(msg, type, 6, mac) : 0;
}

/* Both ends get the same number of queues: a veth delivers on the peer's
 * RX queue of the sender's TX queue. */
static int put_queues(struct nl_msg *msg, unsigned queues)
{
	if (!queues)
		return 0;
	if (nla_put_u32(msg, IFLA_NUM_TX_QUEUES, queues) < 0 ||
	    nla_put_u32(msg, IFLA_NUM_RX_QUEUES, queues) < 0)
		return -ENOMEM;
	return 0;
}

/* RTM_NEWLINK for a new link NAME of KIND: its name, MAC and queues, then
 * IFLA_LINKINFO and its IFLA_INFO_DATA left open for the kind's attributes
 * (new_link_send closes both). NULL: no memory. */
static struct nl_msg *new_link_msg(const char *name, const uint8_t *mac, unsigned queues,
				   const char *kind, struct nlattr **info, struct nlattr **data)
{
	struct nl_msg *msg = link_msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);

	if (!msg)
		return NULL;
	if (nla_put_string(msg, IFLA_IFNAME, name) < 0 || put_mac(msg, IFLA_ADDRESS, mac) < 0 ||
	    put_queues(msg, queues) < 0 || !(*info = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, kind) < 0 ||
	    !(*data = nla_nest_start(msg, IFLA_INFO_DATA))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int new_link_send(struct nlh *h, struct nl_msg *msg, struct nlattr *info,
			 struct nlattr *data)
{
	nla_nest_end(msg, data);
	nla_nest_end(msg, info);
	return request(h, msg, NULL, NULL);
}

int nlh_veth_add(struct nlh *h, const char *name, const uint8_t *mac, const char *peer,
		 int peer_netns_fd, const uint8_t *peer_mac)
{
	return nlh_veth_add_mq(h, name, mac, peer, peer_netns_fd, peer_mac, 0);
}

int nlh_veth_add_mq(struct nlh *h, const char *name, const uint8_t *mac, const char *peer,
		    int peer_netns_fd, const uint8_t *peer_mac, unsigned queues)
{
	struct ifinfomsg peer_ifi = {.ifi_family = AF_UNSPEC};
	struct nlattr *info, *data, *peer_nest;
	struct nl_msg *msg;

	if (!nlh_ifname_valid(name) || !nlh_ifname_valid(peer) || queues > NLH_QUEUES_MAX)
		return -EINVAL;
	msg = new_link_msg(name, mac, queues, "veth", &info, &data);
	if (!msg)
		return -ENOMEM;
	if (!(peer_nest = nla_nest_start(msg, VETH_INFO_PEER)))
		goto nomem;
	/* The peer is a whole link request: its own ifinfomsg, then attributes. */
	if (nlmsg_append(msg, &peer_ifi, sizeof(peer_ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, peer) < 0 || put_mac(msg, IFLA_ADDRESS, peer_mac) < 0 ||
	    put_queues(msg, queues) < 0)
		goto nomem;
	if (peer_netns_fd >= 0 && nla_put_u32(msg, IFLA_NET_NS_FD, (uint32_t)peer_netns_fd) < 0)
		goto nomem;
	nla_nest_end(msg, peer_nest);
	return new_link_send(h, msg, info, data);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

int nlh_bridge_add(struct nlh *h, const char *name, const uint8_t *mac)
{
	struct nlattr *info, *data;
	struct nl_msg *msg;

	if (!nlh_ifname_valid(name))
		return -EINVAL;
	msg = new_link_msg(name, mac, 0, "bridge", &info, &data);
	if (!msg)
		return -ENOMEM;
	/* libnl 3.7 has no setters for these: the nested attributes by hand. */
	if (nla_put_u32(msg, IFLA_BR_STP_STATE, 0) < 0 ||
	    /* with snooping on, the bridge joins the all-snoopers groups and
	     * sends IGMP reports along the measured path */
	    nla_put_u8(msg, IFLA_BR_MCAST_SNOOPING, 0) < 0 ||
	    nla_put_u8(msg, IFLA_BR_NF_CALL_IPTABLES, 0) < 0 ||
	    nla_put_u8(msg, IFLA_BR_NF_CALL_IP6TABLES, 0) < 0 ||
	    nla_put_u8(msg, IFLA_BR_NF_CALL_ARPTABLES, 0) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return new_link_send(h, msg, info, data);
}

/* One ioctl on a TUN/TAP device, with its name for the error text. */
struct tun_op {
	unsigned long req, arg;
	const char *what;
};

/* Attach to the TAP device NAME through /dev/net/tun opened inside the
 * handle's namespace (rtnetlink cannot make tun devices, nor give them to a
 * user: a device opened there is made there), then ops in turn. */
static int tun_ioctls(struct nlh *h, const char *name, const struct tun_op *ops, unsigned n)
{
	struct ifreq ifr;
	int saved = -1, fd = -1, rc;
	unsigned i;

	if (!nlh_ifname_valid(name))
		return -EINVAL;
	h->err[0] = '\0';
	rc = netns_enter(h->netns, &saved);
	if (rc)
		return rc;
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(h->err, sizeof(h->err), "/dev/net/tun: %s", strerror(errno));
		goto out;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		rc = -errno;
		snprintf(h->err, sizeof(h->err), "TUNSETIFF: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++)
		if (ioctl(fd, ops[i].req, ops[i].arg) < 0) {
			rc = -errno;
			snprintf(h->err, sizeof(h->err), "%s: %s", ops[i].what, strerror(errno));
			goto out;
		}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (netns_restore(saved) && !rc)
		rc = -EPERM;
	return rc;
}

int nlh_tap_set_owner(struct nlh *h, const char *name, uid_t uid, gid_t gid)
{
	/* attached to the persistent device: it stays when fd closes */
	const struct tun_op ops[] = {{TUNSETOWNER, (unsigned long)uid, "TUNSETOWNER"},
				     {TUNSETGROUP, (unsigned long)gid, "TUNSETGROUP"}};

	return tun_ioctls(h, name, ops, 2);
}

int nlh_tap_add(struct nlh *h, const char *name, const uint8_t *mac)
{
	static const struct tun_op persist[] = {{TUNSETPERSIST, 1, "TUNSETPERSIST"}};
	int rc = tun_ioctls(h, name, persist, 1);

	if (!rc && mac)
		rc = nlh_link_set_mac(h, name, mac);
	return rc;
}

/* A request about the link NAME, found by its name. */
static int link_named(struct nlh *h, int type, const char *name, nlsock_reply_fn fn, void *arg)
{
	struct nl_msg *msg;

	if (!nlh_ifname_valid(name))
		return -EINVAL;
	msg = link_msg(type, 0, 0);
	if (msg && nla_put_string(msg, IFLA_IFNAME, name) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return request(h, msg, fn, arg);
}

int nlh_link_del(struct nlh *h, const char *name)
{
	int rc = link_named(h, RTM_DELLINK, name, NULL, NULL);

	if (rc == -ENODEV) {
		h->err[0] = '\0';
		rc = 0;
	}
	return rc;
}

static int parse_link(struct nl_msg *msg, void *arg)
{
	struct nlh_link *l = arg;
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct ifinfomsg *ifi = nlmsg_data(hdr);
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];

	if (hdr->nlmsg_type != RTM_NEWLINK)
		return NL_OK;
	if (nlmsg_parse(hdr, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return -EPROTO;
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (tb[IFLA_MTU])
		l->mtu = nla_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_MIN_MTU])
		l->min_mtu = nla_get_u32(tb[IFLA_MIN_MTU]);
	if (tb[IFLA_MAX_MTU])
		l->max_mtu = nla_get_u32(tb[IFLA_MAX_MTU]);
	if (tb[IFLA_MASTER])
		l->master = (int)nla_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_CARRIER])
		l->carrier = nla_get_u8(tb[IFLA_CARRIER]);
	if (tb[IFLA_OPERSTATE])
		l->operstate = nla_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_ADDRESS] && nla_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(l->mac, nla_data(tb[IFLA_ADDRESS]), 6);
	if (tb[IFLA_LINKINFO] &&
	    nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) == 0 && li[IFLA_INFO_KIND])
		nla_strlcpy(l->kind, li[IFLA_INFO_KIND], sizeof(l->kind));
	return NL_OK;
}

int nlh_link_get(struct nlh *h, const char *name, struct nlh_link *out)
{
	memset(out, 0, sizeof(*out));
	return link_named(h, RTM_GETLINK, name, parse_link, out);
}

static int ifindex_of(struct nlh *h, const char *name)
{
	struct nlh_link l;
	int rc;

	rc = nlh_link_get(h, name, &l);
	return rc ? rc : l.ifindex;
}

/* One attribute of a change. */
struct link_attr {
	int type;
	const void *data;
	int len;
};

/* RTM_NEWLINK on an existing link, found by its index: flags to change and
 * attributes to set. */
static int link_change(struct nlh *h, const char *name, unsigned change, unsigned flags,
		       const struct link_attr *attrs, unsigned n)
{
	struct ifinfomsg *ifi;
	struct nl_msg *msg;
	int ifindex;
	unsigned i;

	ifindex = ifindex_of(h, name);
	if (ifindex < 0)
		return ifindex;
	msg = link_msg(RTM_NEWLINK, 0, ifindex);
	if (!msg)
		return -ENOMEM;
	ifi = nlmsg_data(nlmsg_hdr(msg));
	ifi->ifi_change = change;
	ifi->ifi_flags = flags;
	for (i = 0; i < n; i++)
		if (nla_put(msg, attrs[i].type, attrs[i].len, attrs[i].data) < 0) {
			nlmsg_free(msg);
			return -ENOMEM;
		}
	return request(h, msg, NULL, NULL);
}

static int link_set(struct nlh *h, const char *name, int type, const void *data, int len)
{
	const struct link_attr a = {type, data, len};

	return link_change(h, name, 0, 0, &a, 1);
}

int nlh_link_set_up(struct nlh *h, const char *name, int up)
{
	return link_change(h, name, IFF_UP, up ? IFF_UP : 0, NULL, 0);
}

int nlh_link_set_mtu(struct nlh *h, const char *name, unsigned mtu)
{
	uint32_t v = mtu;

	return link_set(h, name, IFLA_MTU, &v, sizeof(v));
}

int nlh_link_set_mac(struct nlh *h, const char *name, const uint8_t *mac)
{
	return link_set(h, name, IFLA_ADDRESS, mac, 6);
}

int nlh_link_set_master(struct nlh *h, const char *name, const char *master)
{
	uint32_t idx = 0;
	int rc;

	if (master) {
		rc = ifindex_of(h, master);
		if (rc < 0)
			return rc;
		idx = (uint32_t)rc;
	}
	return link_set(h, name, IFLA_MASTER, &idx, sizeof(idx));
}

int nlh_link_rename(struct nlh *h, const char *name, const char *new_name)
{
	if (!nlh_ifname_valid(new_name))
		return -EINVAL;
	return link_set(h, name, IFLA_IFNAME, new_name, (int)strlen(new_name) + 1);
}

int nlh_link_move(struct nlh *h, const char *name, int netns_fd, const char *new_name)
{
	uint32_t fd = (uint32_t)netns_fd;
	const struct link_attr a[] = {
	    {IFLA_NET_NS_FD, &fd, sizeof(fd)},
	    {IFLA_IFNAME, new_name, new_name ? (int)strlen(new_name) + 1 : 0},
	};

	if (netns_fd < 0 || (new_name && !nlh_ifname_valid(new_name)))
		return -EINVAL;
	return link_change(h, name, 0, 0, a, new_name ? 2 : 1);
}

int nlh_addr_add(struct nlh *h, const char *name, uint32_t addr, unsigned prefix_len)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_prefixlen = (uint8_t)prefix_len};
	uint32_t be = htonl(addr);
	struct nl_msg *msg;
	int ifindex;

	if (prefix_len > 32)
		return -EINVAL;
	ifindex = ifindex_of(h, name);
	if (ifindex < 0)
		return ifindex;
	ifa.ifa_index = (uint32_t)ifindex;
	msg = nlmsg_alloc_simple(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0 ||
	    nla_put(msg, IFA_LOCAL, 4, &be) < 0 || nla_put(msg, IFA_ADDRESS, 4, &be) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return request(h, msg, NULL, NULL);
}
