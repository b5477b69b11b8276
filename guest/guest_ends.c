/* The goodput mode inside the Xen guests; see guest_ends.h. Statically
 * linked into mir-geninit: raw rtnetlink for the one request ioctls cannot
 * make (moving a link into a namespace), ioctls for the rest. */
#include "guest/guest_ends.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#define NETNS_DIR  "/run/netns"
#define NETNS_PATH NETNS_DIR "/" GUEST_ENDS_NETNS

static int err_say(int rc, const char *what, const char *ifname)
{
	dprintf(2, "mir-geninit: goodput ends: %s%s%s: %s\n", what, ifname ? " " : "",
		ifname ? ifname : "", strerror(-rc));
	return rc;
}

static int ifr_ioctl(int sk, unsigned long req, const char *ifname, struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", ifname);
	return ioctl(sk, req, ifr) ? -errno : 0;
}

static int up(int sk, const char *ifname)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	rc = ifr_ioctl(sk, SIOCGIFFLAGS, ifname, &ifr);
	if (rc)
		return rc;
	ifr.ifr_flags |= IFF_UP;
	return ifr_ioctl(sk, SIOCSIFFLAGS, ifname, &ifr);
}

static int addr(int sk, const char *ifname, uint32_t a)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(a);
	rc = ifr_ioctl(sk, SIOCSIFADDR, ifname, &ifr);
	if (rc)
		return rc;
	memset(&ifr, 0, sizeof(ifr));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(0xffffffffu << (32 - GUEST_ENDS_PREFIX));
	return ifr_ioctl(sk, SIOCSIFNETMASK, ifname, &ifr);
}

/* ethtool -K IFNAME tx off (or gro off): the legacy ioctls, enough here. */
static int ethtool_off(int sk, const char *ifname, unsigned cmd)
{
	struct ethtool_value ev = {.cmd = cmd, .data = 0};
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_data = (void *)&ev;
	return ifr_ioctl(sk, SIOCETHTOOL, ifname, &ifr);
}

/* ip link set IFNAME netns FD */
static int move_link(const char *ifname, int nsfd)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attrs[64];
	} req;
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
	} ack;
	struct rtattr *ra;
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	int sk, rc = 0;
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_type = RTM_NEWLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = (int)if_nametoindex(ifname);
	if (!req.ifi.ifi_index)
		return -ENODEV;
	ra = (struct rtattr *)req.attrs;
	ra->rta_type = IFLA_NET_NS_FD;
	ra->rta_len = RTA_LENGTH(sizeof(uint32_t));
	memcpy(RTA_DATA(ra), &(uint32_t){(uint32_t)nsfd}, sizeof(uint32_t));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi)) + RTA_ALIGN(ra->rta_len);
	sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sk < 0)
		return -errno;
	if (sendto(sk, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		rc = -errno;
	else if ((n = recv(sk, &ack, sizeof(ack), 0)) < (ssize_t)sizeof(ack))
		rc = n < 0 ? -errno : -EPROTO;
	else if (ack.nh.nlmsg_type != NLMSG_ERROR)
		rc = -EPROTO;
	else
		rc = ack.err.error;
	close(sk);
	return rc;
}

/* No IPv6 in the server's namespace either (a new namespace starts with the
 * kernel's defaults): its solicitations would be frames nobody measured. */
static void ipv6_off_here(void)
{
	static const char *const knobs[] = {"/proc/sys/net/ipv6/conf/default/disable_ipv6",
					    "/proc/sys/net/ipv6/conf/all/disable_ipv6",
					    "/proc/sys/net/ipv6/conf/eth1/disable_ipv6"};
	unsigned i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		int fd = open(knobs[i], O_WRONLY | O_CLOEXEC);

		if (fd >= 0 && write(fd, "1", 1) != 1)
			err_say(-errno, knobs[i], NULL);
		if (fd >= 0)
			close(fd);
	}
}

/* Address and bring up one end (and lo), its frames no larger than the MTU.
 * TSO off: the vifs in dom0 then count the frames that cross the DUT, not
 * 64 kB super-frames. Checksums: netfront's IPv4 transmit checksum offload
 * is fixed on (not in its hw_features; ETHTOOL_STXCSUM clears only the IPv6
 * one), so dom0 fills them in on the DUT's vifs (xen_ends_dut_csum). */
static int end_setup(const char *ifname, uint32_t a, int with_lo)
{
	int sk, rc;

	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return err_say(-errno, "socket", NULL);
	rc = with_lo ? up(sk, "lo") : 0;
	if (rc)
		err_say(rc, "up", "lo");
	if (!rc && (rc = ethtool_off(sk, ifname, ETHTOOL_STSO)))
		err_say(rc, "TCP segmentation offload off on", ifname);
	if (!rc && (rc = ethtool_off(sk, ifname, ETHTOOL_STXCSUM)))
		err_say(rc, "transmit checksum offload off on", ifname);
	if (!rc && (rc = up(sk, ifname)))
		err_say(rc, "up", ifname);
	if (!rc && (rc = addr(sk, ifname, a)))
		err_say(rc, "address on", ifname);
	close(sk);
	return rc;
}

int guest_ends_split(void)
{
	int orig = -1, srv = -1, fd, rc = 0;

	orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		return err_say(-errno, "open /proc/self/ns/net", NULL);
	if ((mkdir(NETNS_DIR, 0755) && errno != EEXIST) ||
	    (fd = open(NETNS_PATH, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444)) < 0) {
		rc = err_say(-errno, "create " NETNS_PATH, NULL);
		goto out;
	}
	close(fd);
	/* The new namespace is ours until the bind mount holds it; then back. */
	if (unshare(CLONE_NEWNET)) {
		rc = err_say(-errno, "unshare(CLONE_NEWNET)", NULL);
		goto out;
	}
	if (mount("/proc/self/ns/net", NETNS_PATH, "none", MS_BIND, NULL))
		rc = err_say(-errno, "bind mount of the new namespace on " NETNS_PATH, NULL);
	srv = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (setns(orig, CLONE_NEWNET)) {
		rc = err_say(-errno, "setns back to the first namespace", NULL);
		goto out;
	}
	if (!rc && srv < 0)
		rc = err_say(-EBADF, "the new namespace", NULL);
	if (!rc && (rc = move_link("eth1", srv)))
		err_say(rc, "moving into namespace " GUEST_ENDS_NETNS ":", "eth1");
	if (!rc && (rc = end_setup("eth0", GUEST_ENDS_CLIENT, 0)))
		goto out;
	if (!rc) {
		if (setns(srv, CLONE_NEWNET)) {
			rc = err_say(-errno, "setns into " NETNS_PATH, NULL);
			goto out;
		}
		ipv6_off_here();
		rc = end_setup("eth1", GUEST_ENDS_SERVER, 1);
		if (setns(orig, CLONE_NEWNET) && !rc)
			rc = err_say(-errno, "setns back to the first namespace", NULL);
	}
out:
	if (srv >= 0)
		close(srv);
	close(orig);
	return rc;
}

int guest_ends_fwd(void)
{
	static const char *const ifs[] = {"eth0", "eth1"};
	unsigned i;
	int sk, rc = 0;

	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return err_say(-errno, "socket", NULL);
	for (i = 0; i < 2 && !rc; i++)
		if ((rc = ethtool_off(sk, ifs[i], ETHTOOL_SGRO)))
			err_say(rc, "GRO off on", ifs[i]);
	close(sk);
	return rc;
}
