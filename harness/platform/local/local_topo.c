#include "harness/platform/local/local_topo.h"

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

#include "lib/nl.h"
#include "harness/run/state.h"
#include "lib/log.h"
#include "lib/netns.h"

#define NS_COUNT 4

struct local_topo {
	struct run_state *st;
	enum topo_ports ports;
	int dut_bridge;
	unsigned queues; /* of every veth */
	int dut_core;	 /* the bridge DUT's core (RPS), or -1 */
	int split; /* eth1 in TOPO_NS_SRV */
	char ns[NS_COUNT][NETNS_NAME_MAX + 1];
	int made[NS_COUNT];
	int fd[NS_COUNT];
	struct nlh *nl[NS_COUNT];
};

/* Locally administered, fixed per role: 02:6d:70 ("mp") 00 00 NN. */
enum mac_role {
	MAC_ETH0 = 0x01,
	MAC_ETH1 = 0x02,
	MAC_GEN0 = 0x10,
	MAC_GEN1 = 0x11,
	MAC_TAP0 = 0x20,
	MAC_TAP1 = 0x21,
	MAC_DUT0 = 0x30,
	MAC_DUT1 = 0x31,
	MAC_IF1 = 0x40,
	MAC_IF2 = 0x41,
	MAC_BR0 = 0x42,
};

static void mac_of(enum mac_role role, uint8_t mac[6])
{
	static const uint8_t base[5] = {0x02, 0x6d, 0x70, 0x00, 0x00};

	memcpy(mac, base, 5);
	mac[5] = (uint8_t)role;
}

/* The links of the path in order, bridges after their ports (an MTU is
 * raised on ports first). */
struct topo_link {
	enum topo_ns ns; /* TOPO_NS_SRV: eth1's, the generator's unless split */
	const char *name;
	int veth_only, tap_only, bridge_dut;
};

static const struct topo_link path_links[] = {
    {TOPO_NS_GEN, "eth0", 0, 0, 0},	{TOPO_NS_HARNESS, "gen0", 0, 0, 0},
    {TOPO_NS_HARNESS, "tap0", 0, 0, 0}, {TOPO_NS_DUT, "tap0", 1, 0, 0},
    {TOPO_NS_DUT, "tap1", 1, 0, 0},	{TOPO_NS_HARNESS, "tap1", 0, 0, 0},
    {TOPO_NS_HARNESS, "gen1", 0, 0, 0}, {TOPO_NS_SRV, "eth1", 0, 0, 0},
    {TOPO_NS_DUT, "br0", 1, 0, 1},	{TOPO_NS_HARNESS, "if1", 0, 0, 0},
    {TOPO_NS_HARNESS, "if2", 0, 0, 0},
};

/* The namespace a link of path_links is in. */
static enum topo_ns link_ns(const struct local_topo *t, const struct topo_link *l)
{
	return l->ns == TOPO_NS_SRV && !t->split ? TOPO_NS_GEN : l->ns;
}

static int link_present(const struct local_topo *t, const struct topo_link *l)
{
	if (l->veth_only && t->ports != TOPO_VETH)
		return 0;
	if (l->tap_only && t->ports != TOPO_TAP)
		return 0;
	if (l->bridge_dut && !t->dut_bridge)
		return 0;
	return 1;
}

/* Log a failed step once, with the kernel's explanation. */
static int fail(struct local_topo *t, enum topo_ns ns, int rc, const char *what, const char *obj)
{
	const char *kernel = t->nl[ns] ? nlh_error(t->nl[ns]) : "";

	log_err("local platform: cannot %s %s in namespace %s: %s%s%s%s", what, obj, t->ns[ns],
		strerror(-rc), *kernel ? " (kernel: " : "", kernel, *kernel ? ")" : "");
	return rc;
}

/* Write a sysctl of the namespace ns (the thread enters it for the open). */
static int ns_sysctl(struct local_topo *t, enum topo_ns ns, const char *path, const char *val)
{
	int saved = -1, fd, rc = 0;

	rc = netns_enter(t->ns[ns], &saved);
	if (rc)
		return rc;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		rc = errno == ENOENT ? 0 : -errno; /* a kernel without IPv6 */
	else if (write(fd, val, strlen(val)) < 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	if (netns_restore(saved) && !rc)
		rc = -EPERM;
	return rc;
}

/* br_netfilter calls iptables for a bridge when the bridge's own option OR
 * the namespace's sysctl says so, and the sysctl defaults to 1 in every new
 * namespace: both must be 0 (the bridges get theirs at creation). Only our
 * namespaces are touched, so only our bridges are concerned. Without the
 * module loaded the files do not exist, and nothing calls iptables. */
static int ns_nf_calls_off(struct local_topo *t, enum topo_ns ns)
{
	static const char *const calls[] = { "iptables", "ip6tables", "arptables" };
	char path[64];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/bridge/bridge-nf-call-%s", calls[i]);
		rc = ns_sysctl(t, ns, path, "0");
		if (rc)
			return rc;
	}
	return 0;
}

static int ns_make(struct local_topo *t, enum topo_ns ns)
{
	int rc;

	rc = run_state_add_netns(t->st, t->ns[ns]);
	if (rc)
		return fail(t, ns, rc, "record", "the namespace");
	rc = netns_create(t->ns[ns]);
	if (rc) {
		run_state_release_netns(t->st, t->ns[ns]);
		return fail(t, ns, rc, "create", "the namespace");
	}
	t->made[ns] = 1;
	t->fd[ns] = netns_open(t->ns[ns]);
	if (t->fd[ns] < 0)
		return fail(t, ns, t->fd[ns], "open", "the namespace");
	/* Before any link exists, so none gets an IPv6 address, sends router
	 * solicitations or joins multicast groups. */
	rc = ns_sysctl(t, ns, "/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	if (!rc)
		rc = ns_sysctl(t, ns, "/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	if (rc)
		return fail(t, ns, rc, "turn off IPv6", "");
	rc = ns_nf_calls_off(t, ns);
	if (rc)
		return fail(t, ns, rc, "turn off br_netfilter's calls", "");
	rc = nlh_open(t->ns[ns], &t->nl[ns]);
	if (rc)
		return fail(t, ns, rc, "open a netlink socket", "");
	rc = nlh_link_set_up(t->nl[ns], "lo", 1);
	if (rc)
		return fail(t, ns, rc, "bring up", "lo");
	return 0;
}

static int record_link(struct local_topo *t, enum topo_ns ns, const char *name)
{
	int rc = run_state_add_link(t->st, t->ns[ns], name);

	return rc ? fail(t, ns, rc, "record link", name) : 0;
}

/* A veth pair: name in harness, peer in namespace pns. */
static int veth(struct local_topo *t, const char *name, enum mac_role mac, enum topo_ns pns,
		const char *peer, enum mac_role pmac)
{
	uint8_t m[6], pm[6];
	int rc;

	mac_of(mac, m);
	mac_of(pmac, pm);
	rc = record_link(t, TOPO_NS_HARNESS, name);
	if (!rc)
		rc = record_link(t, pns, peer);
	if (rc)
		return rc;
	rc = nlh_veth_add_mq(t->nl[TOPO_NS_HARNESS], name, m, peer, t->fd[pns], pm, t->queues);
	if (rc)
		return fail(t, TOPO_NS_HARNESS, rc, "create veth pair", name);
	return 0;
}

static int bridge(struct local_topo *t, enum topo_ns ns, const char *name, enum mac_role mac)
{
	uint8_t m[6];
	int rc;

	mac_of(mac, m);
	rc = record_link(t, ns, name);
	if (rc)
		return rc;
	rc = nlh_bridge_add(t->nl[ns], name, m);
	return rc ? fail(t, ns, rc, "create bridge", name) : 0;
}

static int tap(struct local_topo *t, const char *name, enum mac_role mac)
{
	uint8_t m[6];
	int rc;

	mac_of(mac, m);
	rc = record_link(t, TOPO_NS_HARNESS, name);
	if (rc)
		return rc;
	rc = nlh_tap_add(t->nl[TOPO_NS_HARNESS], name, m);
	return rc ? fail(t, TOPO_NS_HARNESS, rc, "create TAP device", name) : 0;
}

int local_topo_tap_owner(struct local_topo *t, uid_t uid, gid_t gid)
{
	static const char *const taps[] = {"tap0", "tap1"};
	unsigned i;
	int rc;

	if (t->ports != TOPO_TAP)
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		rc = nlh_tap_set_owner(t->nl[TOPO_NS_HARNESS], taps[i], uid, gid);
		if (rc)
			return fail(t, TOPO_NS_HARNESS, rc, "give to the DUT's user", taps[i]);
	}
	return 0;
}

static int enslave(struct local_topo *t, enum topo_ns ns, const char *name, const char *br)
{
	int rc = nlh_link_set_master(t->nl[ns], name, br);

	return rc ? fail(t, ns, rc, "attach to its bridge", name) : 0;
}

static int all_up(struct local_topo *t)
{
	size_t i;
	int rc;

	for (i = 0; i < sizeof(path_links) / sizeof(path_links[0]); i++) {
		const struct topo_link *l = &path_links[i];

		if (!link_present(t, l))
			continue;
		rc = nlh_link_set_up(t->nl[link_ns(t, l)], l->name, 1);
		if (rc)
			return fail(t, link_ns(t, l), rc, "bring up", l->name);
	}
	return 0;
}

/* Transmit checksum offload off on a link of namespace ns (ethtool -K NAME
 * tx off). A veth hands TCP segments on with their checksum left to "the
 * hardware" (and, with it, TSO's 64 kB segments); a DUT that copies frames
 * through AF_PACKET sockets, as fwd and a unikernel do, would pass them on
 * unfinished and the far end would drop them. Without it the stack computes
 * every checksum and segments before the link. */
static int tx_csum_off(struct local_topo *t, enum topo_ns ns, const char *name)
{
	struct ethtool_value ev = {.cmd = ETHTOOL_STXCSUM, .data = 0};
	struct ifreq ifr;
	int saved = -1, fd, rc;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (char *)&ev;
	rc = netns_enter(t->ns[ns], &saved);
	if (rc)
		return fail(t, ns, rc, "enter the namespace of", name);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	rc = fd < 0 || ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
	if (fd >= 0)
		close(fd);
	if (netns_restore(saved) && !rc)
		rc = -EPERM;
	return rc ? fail(t, ns, rc, "turn off transmit checksum offload on", name) : 0;
}

/* The split topology's ends: the client's and the server's addresses, and
 * checksums computed by the stack on both (see tx_csum_off). */
static int addresses(struct local_topo *t)
{
	int rc = tx_csum_off(t, TOPO_NS_GEN, "eth0") ?: tx_csum_off(t, TOPO_NS_SRV, "eth1");

	if (rc)
		return rc;
	rc = nlh_addr_add(t->nl[TOPO_NS_GEN], "eth0", TOPO_CLIENT_IP, 15);

	if (rc)
		return fail(t, TOPO_NS_GEN, rc, "add 198.18.0.1/15 to", "eth0");
	rc = nlh_addr_add(t->nl[TOPO_NS_SRV], "eth1", TOPO_SERVER_IP, 15);
	return rc ? fail(t, TOPO_NS_SRV, rc, "add 198.19.0.1/15 to", "eth1") : 0;
}

/* The bridge DUT's own core. A veth hands a frame to its peer inside the
 * sender's transmit (netif_rx), so without this the bridge forwards in the
 * generator's softirq: it slows the sender instead of dropping, and no rate
 * the generator reaches finds its knee. RPS on the DUT's receiving veths
 * moves everything after them (the bridge, and the path to the sink) to the
 * last core the run may use, where a bridge that cannot keep up loses frames
 * from its backlog queue, as a real DUT does from its ring. The generator
 * threads leave that core to it (gen_threads). One core: nothing to move. */
int local_topo_dut_cpu(void)
{
	cpu_set_t set;
	int c;

	if (sched_getaffinity(0, sizeof(set), &set) || CPU_COUNT(&set) < 2)
		return -1;
	/* Cores 0..n-1 only (the generator threads are pinned from 0 on). */
	for (c = 0; c < CPU_COUNT(&set); c++)
		if (!CPU_ISSET(c, &set))
			return -1;
	return c - 1;
}

int local_topo_dut_core(const struct local_topo *t)
{
	return t->dut_core;
}

static void rps_mask(int cpu, char *buf, size_t len)
{
	size_t n = 0, digits = (size_t)cpu / 4 + 1, i;

	/* hex, a comma between 32-bit words, as the kernel prints cpumasks */
	for (i = digits; i > 0 && n + 2 < len; i--) {
		buf[n++] = i == digits ? "1248"[cpu % 4] : '0';
		if (i > 1 && (i - 1) % 8 == 0)
			buf[n++] = ',';
	}
	buf[n] = '\0';
}

static int dut_rps(struct local_topo *t)
{
	static const char *const ports[] = {"tap0", "tap1"};
	int cpu = local_topo_dut_cpu();
	char mask[CPU_SETSIZE / 4 + CPU_SETSIZE / 32 + 2], path[96];
	unsigned q, p;
	int rc;

	t->dut_core = -1;
	if (cpu < 0)
		return 0;
	rps_mask(cpu, mask, sizeof(mask));
	for (p = 0; p < 2; p++) {
		for (q = 0; q < (t->queues ? t->queues : 1); q++) {
			snprintf(path, sizeof(path), "/sys/class/net/%s/queues/rx-%u/rps_cpus", ports[p],
				 q);
			rc = netns_sysfs_write(t->ns[TOPO_NS_DUT], path, mask);
			if (rc) {
				/* A kernel without RPS: the bridge stays in the senders'
				 * softirq, and its figures are the generator's. */
				log_warn("local platform: no core of its own for the bridge DUT (%s: "
					 "%s): it forwards in the generator's softirq",
					 path, strerror(-rc));
				return 0;
			}
		}
	}
	log_verbose("local platform: the bridge DUT's receive processing on CPU %d (RPS mask %s)",
		    cpu, mask);
	t->dut_core = cpu;
	return 0;
}

int local_topo_create(struct run_state *st, enum topo_ports ports, int dut_bridge, int split,
		      unsigned queues, struct local_topo **out)
{
	static const char *const suffix[NS_COUNT] = {"", "-gen", "-dut", "-srv"};
	struct local_topo *t = NULL;
	int rc, i;

	*out = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->st = st;
	t->ports = ports;
	t->dut_bridge = ports == TOPO_VETH && dut_bridge;
	t->queues = queues;
	t->split = split;
	t->dut_core = -1;
	for (i = 0; i < NS_COUNT; i++) {
		t->fd[i] = -1;
		snprintf(t->ns[i], sizeof(t->ns[i]), "mp-%s%s", run_state_id(st), suffix[i]);
	}
	if (ports == TOPO_TAP)
		t->ns[TOPO_NS_DUT][0] = '\0';
	if (!split)
		t->ns[TOPO_NS_SRV][0] = '\0';
	for (i = 0; i < NS_COUNT; i++)
		if (t->ns[i][0] && (rc = ns_make(t, (enum topo_ns)i)))
			goto fail;
	if ((rc = bridge(t, TOPO_NS_HARNESS, "if1", MAC_IF1)) ||
	    (rc = bridge(t, TOPO_NS_HARNESS, "if2", MAC_IF2)) ||
	    (rc = veth(t, "gen0", MAC_GEN0, TOPO_NS_GEN, "eth0", MAC_ETH0)) ||
	    (rc = veth(t, "gen1", MAC_GEN1, split ? TOPO_NS_SRV : TOPO_NS_GEN, "eth1", MAC_ETH1)))
		goto fail;
	if (ports == TOPO_VETH)
		rc = veth(t, "tap0", MAC_TAP0, TOPO_NS_DUT, "tap0", MAC_DUT0)
			 ?: veth(t, "tap1", MAC_TAP1, TOPO_NS_DUT, "tap1", MAC_DUT1);
	else
		rc = tap(t, "tap0", MAC_TAP0) ?: tap(t, "tap1", MAC_TAP1);
	if (rc)
		goto fail;
	if ((rc = enslave(t, TOPO_NS_HARNESS, "gen0", "if1")) ||
	    (rc = enslave(t, TOPO_NS_HARNESS, "tap0", "if1")) ||
	    (rc = enslave(t, TOPO_NS_HARNESS, "gen1", "if2")) ||
	    (rc = enslave(t, TOPO_NS_HARNESS, "tap1", "if2")))
		goto fail;
	if (t->dut_bridge && ((rc = bridge(t, TOPO_NS_DUT, "br0", MAC_BR0)) ||
			      (rc = enslave(t, TOPO_NS_DUT, "tap0", "br0")) ||
			      (rc = enslave(t, TOPO_NS_DUT, "tap1", "br0"))))
		goto fail;
	rc = all_up(t);
	if (!rc && t->dut_bridge)
		rc = dut_rps(t);
	if (!rc && split)
		rc = addresses(t);
	if (rc)
		goto fail;
	*out = t;
	return 0;
fail:
	local_topo_destroy(t);
	return rc;
}

void local_topo_destroy(struct local_topo *t)
{
	int i, rc;

	if (!t)
		return;
	for (i = NS_COUNT - 1; i >= 0; i--) {
		nlh_close(t->nl[i]);
		if (t->fd[i] >= 0)
			close(t->fd[i]);
		if (!t->made[i])
			continue;
		rc = netns_delete(t->ns[i]);
		if (rc) {
			log_err("local platform: cannot remove namespace %s: %s", t->ns[i],
				strerror(-rc));
			continue;
		}
		run_state_release_links(t->st, t->ns[i]);
		run_state_release_netns(t->st, t->ns[i]);
	}
	free(t);
}

const char *local_topo_netns(const struct local_topo *t, enum topo_ns which)
{
	if (which == TOPO_NS_SRV && !t->split)
		return t->ns[TOPO_NS_GEN];
	return t->ns[which];
}

void local_topo_gen_macs(const struct local_topo *t, uint8_t eth0[6], uint8_t eth1[6])
{
	mac_of(MAC_ETH0, eth0);
	mac_of(MAC_ETH1, eth1);
}

int local_topo_set_mtu(struct local_topo *t, unsigned mtu, char *why, unsigned len)
{
	size_t i, n = sizeof(path_links) / sizeof(path_links[0]);
	struct nlh_link info;
	int rc;

	/* Check every link first, so a size that cannot be carried changes nothing. */
	for (i = 0; i < n; i++) {
		const struct topo_link *l = &path_links[i];

		if (!link_present(t, l))
			continue;
		rc = nlh_link_get(t->nl[link_ns(t, l)], l->name, &info);
		if (rc) {
			snprintf(why, len, "cannot read link %s in namespace %s: %s", l->name,
				 t->ns[link_ns(t, l)], strerror(-rc));
			return rc;
		}
		if ((info.max_mtu && mtu > info.max_mtu) || mtu < info.min_mtu) {
			snprintf(why, len, "link %s in namespace %s allows MTU %u..%u", l->name,
				 t->ns[link_ns(t, l)], info.min_mtu, info.max_mtu);
			return -EMSGSIZE;
		}
	}
	for (i = 0; i < n; i++) {
		const struct topo_link *l = &path_links[i];
		const char *kernel;

		if (!link_present(t, l))
			continue;
		rc = nlh_link_set_mtu(t->nl[link_ns(t, l)], l->name, mtu);
		if (rc) {
			kernel = nlh_error(t->nl[link_ns(t, l)]);
			snprintf(why, len, "link %s in namespace %s refused it: %s%s%s%s", l->name,
				 t->ns[link_ns(t, l)], strerror(-rc), *kernel ? " (kernel: " : "", kernel,
				 *kernel ? ")" : "");
			return rc == -EINVAL ? -EMSGSIZE : rc;
		}
	}
	return 0;
}

int local_topo_ports_up(struct local_topo *t, char *why, unsigned len)
{
	static const char *const ports[] = {"tap0", "tap1"};
	struct nlh_link info;
	unsigned i;
	int rc;

	for (i = 0; i < 2; i++) {
		rc = nlh_link_get(t->nl[TOPO_NS_HARNESS], ports[i], &info);
		if (rc) {
			snprintf(why, len, "%s: %s", ports[i], strerror(-rc));
			return rc;
		}
		if (!(info.flags & IFF_UP)) {
			snprintf(why, len, "%s is down", ports[i]);
			return 0;
		}
		if (!info.carrier || !(info.flags & IFF_LOWER_UP)) {
			snprintf(why, len, "%s has no carrier%s", ports[i],
				 t->ports == TOPO_TAP ? " (no program attached to it)" : "");
			return 0;
		}
	}
	return 1;
}
