/* Links, bridges, veth pairs and TAP devices of one network namespace, all
 * through rtnetlink (libnl-route-3 sockets, lib/nlsock.h); mir-perf never
 * runs `ip`. Links are named, not numbered: every call takes the name and
 * looks it up in the handle's namespace.
 *
 * Every call returns 0 or a negative errno; nlh_error() then holds the
 * kernel's own explanation (extended ack) or "", for the caller to report
 * with what it was doing. Names are checked with nlh_ifname_valid first. */
#ifndef MP_NL_H
#define MP_NL_H

#include <net/if.h>
#include <stdint.h>
#include <sys/types.h>

struct nlh;

struct nlh_link {
	int ifindex;
	char kind[16];	    /* "veth", "bridge", "tun", "" when the kernel says none */
	unsigned flags;	    /* IFF_UP, ... */
	int carrier;	    /* 1 when the link has carrier (a tap: a process attached) */
	unsigned operstate; /* IF_OPER_UP, ... */
	unsigned mtu, min_mtu, max_mtu; /* max_mtu 0 when the kernel does not say */
	int master;			/* ifindex of the bridge it is enslaved to, 0 = none */
	uint8_t mac[6];
};

/* 1 when name is a valid interface name: 1..15 bytes, no '/', ':' or space,
 * printable, not "." or "..". */
int nlh_ifname_valid(const char *name);

/* A handle on the namespace NETNS (a name under /run/netns; NULL = this
 * thread's). */
int nlh_open(const char *netns, struct nlh **out);
void nlh_close(struct nlh *h);
const char *nlh_error(const struct nlh *h);
const char *nlh_netns(const struct nlh *h); /* "" for the caller's namespace */

/* A veth pair: NAME here, PEER in the namespace of peer_netns_fd (-1 = here),
 * both down. mac/peer_mac may be NULL (kernel picks). */
int nlh_veth_add(struct nlh *h, const char *name, const uint8_t *mac, const char *peer,
		 int peer_netns_fd, const uint8_t *peer_mac);
/* The same with `queues` TX and RX queues on both ends (0 = the kernel's
 * default, 1..NLH_QUEUES_MAX): one per sending thread, so senders on
 * different cores do not contend for one queue's lock. */
#define NLH_QUEUES_MAX 64u
int nlh_veth_add_mq(struct nlh *h, const char *name, const uint8_t *mac, const char *peer,
		    int peer_netns_fd, const uint8_t *peer_mac, unsigned queues);
/* A bridge with STP off, multicast snooping off (it would send IGMP reports)
 * and br_netfilter's iptables/ip6tables/arptables calls off for this bridge
 * only, so firewall rules of the host neither see nor slow the measured
 * frames. */
int nlh_bridge_add(struct nlh *h, const char *name, const uint8_t *mac);
/* A persistent TAP device (IFF_TAP | IFF_NO_PI) made through /dev/net/tun
 * in the handle's namespace: it stays when this call returns, with no
 * carrier until a program attaches to it by name (TUNSETIFF). */
int nlh_tap_add(struct nlh *h, const char *name, const uint8_t *mac);
/* Give the TAP device to uid/gid (TUNSETOWNER, TUNSETGROUP): a process of
 * that user can then attach to it without any privilege. */
int nlh_tap_set_owner(struct nlh *h, const char *name, uid_t uid, gid_t gid);
/* Removing a link that does not exist is not an error. */
int nlh_link_del(struct nlh *h, const char *name);

int nlh_link_get(struct nlh *h, const char *name, struct nlh_link *out); /* -ENODEV */
int nlh_link_set_up(struct nlh *h, const char *name, int up);
int nlh_link_set_mtu(struct nlh *h, const char *name, unsigned mtu);
int nlh_link_set_mac(struct nlh *h, const char *name, const uint8_t *mac);
/* Enslave NAME to bridge MASTER (NULL = release it). */
int nlh_link_set_master(struct nlh *h, const char *name, const char *master);
int nlh_link_rename(struct nlh *h, const char *name, const char *new_name);
/* Move NAME into the namespace of netns_fd, renamed to new_name (NULL = keep). */
int nlh_link_move(struct nlh *h, const char *name, int netns_fd, const char *new_name);
/* An IPv4 address, host byte order. */
int nlh_addr_add(struct nlh *h, const char *name, uint32_t addr, unsigned prefix_len);

#endif
