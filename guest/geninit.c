/* mir-geninit: /init of the traff-gen Linux guest (and of the linux-fwd DUT).
 * Statically linked, it is the whole userland besides mir-trafgen: mount the
 * kernel filesystems, load xen-netfront (a module in Debian's kernel), read
 * the mirperf.* settings from /proc/cmdline, name the netfront interfaces by
 * their MAC (harness/platform/xen/xl_config.c gives every vif 02:6d:70:RR:00:NN, NN being
 * the ethN it must become), bring them up, give eth2 the control address and
 * run mir-trafgen: the agent (gen) or the forwarder eth0 -> eth1 (fwd).
 * mirperf.goodput=1 (the goodput and rr modes): gen moves eth1 into a
 * namespace of its own (/run/netns/srv, where the agent starts the iperf3 or
 * rr server), both
 * ends get 198.18.0.1/15 and 198.19.0.1/15 and compute their own checksums;
 * fwd forwards both ways with GRO off (guest_ends.c).
 * When mir-trafgen ends, or anything fails, the guest powers off so the
 * harness sees the domain go and finds why on its console. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guest/geninit_cmdline.h"
#include "guest/guest_ends.h"

#define MODULE_DIR   "/modules"
#define TRAFGEN	     "/bin/mir-trafgen"
#define TOKEN_FILE   "/run/mirperf.token"
#define NETIF_WAIT_S 30
#define DATA_MTU     9000
#define POWEROFF_DRAIN_S 2
#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

/* One write(2) from a stack buffer: no stdio, no malloc, so PID 1 can still
 * say why it stops even when its heap is damaged. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	memcpy(line, "mir-geninit: ", 13);
	va_start(ap, fmt);
	n = vsnprintf(line + 13, sizeof(line) - 14, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n = 13 + (n < (int)sizeof(line) - 14 ? n : (int)sizeof(line) - 15);
	line[n++] = '\n';
	if (write(2, line, n) < 0) {
		/* nowhere else to say it */
	}
}

/* PID 1 must not exit (the kernel would panic and hide the message): stop the guest.
 * The domain is destroyed as soon as it powers off, and with it the console
 * ring: the pause lets dom0's console reader take the last lines (why we stop,
 * the kernel's report of a crash) before they are lost. */
static void __attribute__((noreturn)) power_off(void)
{
	sleep(POWEROFF_DRAIN_S);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static int mount_one(const char *src, const char *dir, const char *type)
{
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	if (mount(src, dir, type, MS_NOSUID | MS_NOEXEC, NULL) && errno != EBUSY)
		return -errno;
	return 0;
}

static int mount_all(void)
{
	int rc = mount_one("proc", "/proc", "proc");

	if (!rc)
		rc = mount_one("sysfs", "/sys", "sysfs");
	if (!rc && mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL) && errno != EBUSY)
		rc = -errno;
	if (!rc)
		rc = mount_one("tmpfs", "/run", "tmpfs");
	return rc;
}

/* No IPv6 (none at all when the kernel lacks it): its router and neighbour solicitations would be
 * frames on the measured path that nobody sent (the local platform turns it off too). Set before
 * netfront loads, so every new interface takes the default. */
static void ipv6_off(void)
{
	static const char *const knobs[] = {"/proc/sys/net/ipv6/conf/default/disable_ipv6",
					    "/proc/sys/net/ipv6/conf/all/disable_ipv6"};
	unsigned i;

	for (i = 0; i < 2; i++) {
		int fd = open(knobs[i], O_WRONLY | O_CLOEXEC);

		if ((fd < 0 && errno != ENOENT) || (fd >= 0 && write(fd, "1", 1) != 1))
			say("%s: %s (IPv6 frames may join the measured ones)", knobs[i],
			    strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/* The guest boots with `quiet` (its boot log would flood a console read over an
 * emulator), so the kernel's console level only lets errors through. From here on
 * its messages go to the console too: a crash of mir-trafgen then leaves the
 * kernel's own account there (the "segfault at ADDR ip IP ... error N in FILE"
 * line, and the registers and code bytes print-fatal-signals adds), which is
 * all that survives the guest powering off. */
static void kernel_messages_on(void)
{
	static const char *const knobs[][2] = {{"/proc/sys/kernel/printk", "7"},
					       {"/proc/sys/kernel/print-fatal-signals", "1"},
					       {"/proc/sys/debug/exception-trace", "1"}};
	unsigned i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		int fd = open(knobs[i][0], O_WRONLY | O_CLOEXEC);

		if (fd < 0 || write(fd, knobs[i][1], 1) != 1)
			say("%s: %s (a crash may leave no trace on the console)", knobs[i][0],
			    strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

static int is_module(const struct dirent *d)
{
	return strstr(d->d_name, ".ko") != NULL;
}

/* The initramfs holds the modules as NN-name.ko in load order (dependencies first). */
static int load_modules(void)
{
	struct dirent **names = NULL;
	int n, i, rc = 0;

	n = scandir(MODULE_DIR, &names, is_module, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	for (i = 0; i < n; i++) {
		char path[512];
		int fd, flags;

		if (rc)
			goto next;
		snprintf(path, sizeof(path), MODULE_DIR "/%s", names[i]->d_name);
		flags = strstr(names[i]->d_name, ".ko.") ? MODULE_INIT_COMPRESSED_FILE : 0;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || (syscall(SYS_finit_module, fd, "", flags) && errno != EEXIST)) {
			rc = -errno;
			say("cannot load %s: %s", path, strerror(errno));
		}
		if (fd >= 0)
			close(fd);
	next:
		free(names[i]);
	}
	free(names);
	return rc;
}

static int ifreq_ioctl(int sk, unsigned long req, const char *ifname, struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", ifname);
	return ioctl(sk, req, ifr) ? -errno : 0;
}

static int set_up(int sk, const char *ifname)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	rc = ifreq_ioctl(sk, SIOCGIFFLAGS, ifname, &ifr);
	if (rc)
		return rc;
	ifr.ifr_flags |= IFF_UP;
	return ifreq_ioctl(sk, SIOCSIFFLAGS, ifname, &ifr);
}

/* ethN index from a mir-perf MAC, or -1. */
static int mac_index(int sk, const char *ifname)
{
	struct ifreq ifr;
	const unsigned char *m;

	memset(&ifr, 0, sizeof(ifr));
	if (ifreq_ioctl(sk, SIOCGIFHWADDR, ifname, &ifr))
		return -1;
	m = (const unsigned char *)ifr.ifr_hwaddr.sa_data;
	if (m[0] != 0x02 || m[1] != 0x6d || m[2] != 0x70 || m[4] != 0 || m[5] > 9)
		return -1;
	return m[5];
}

/* Rename every mir-perf interface to eth<index from its MAC>: first to a
 * temporary name, so that two swapped names never collide. Returns how many
 * of eth0..eth<want-1> exist afterwards, or a negative errno. */
static int name_by_mac(int sk, unsigned want)
{
	struct if_nameindex *ifs, *it;
	char name[IFNAMSIZ];
	unsigned found = 0, i;
	int idx, pass, rc = 0;

	for (pass = 0; pass < 2 && !rc; pass++) {
		ifs = if_nameindex();
		if (!ifs)
			return -errno;
		for (it = ifs; it->if_index && !rc; it++) {
			struct ifreq ifr;

			idx = mac_index(sk, it->if_name);
			if (idx < 0)
				continue;
			snprintf(name, sizeof(name), pass == 0 ? "mpt%d" : "eth%d", idx);
			if (pass == 1 && strncmp(it->if_name, "mpt", 3))
				continue;
			if (!strcmp(it->if_name, name))
				continue;
			memset(&ifr, 0, sizeof(ifr));
			snprintf(ifr.ifr_newname, IFNAMSIZ, "%s", name);
			rc = ifreq_ioctl(sk, SIOCSIFNAME, it->if_name, &ifr);
		}
		if_freenameindex(ifs);
	}
	if (rc)
		return rc;
	for (i = 0; i < want; i++) {
		snprintf(name, sizeof(name), "eth%u", i);
		if (if_nametoindex(name) && mac_index(sk, name) == (int)i)
			found++;
	}
	return (int)found;
}

static int set_addr(int sk, const char *ifname, uint32_t addr, unsigned prefix)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
	rc = ifreq_ioctl(sk, SIOCSIFADDR, ifname, &ifr);
	if (rc)
		return rc;
	memset(&ifr, 0, sizeof(ifr));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(0xffffffffu << (32 - prefix));
	return ifreq_ioctl(sk, SIOCSIFNETMASK, ifname, &ifr);
}

static int setup_net(const struct geninit_cfg *cfg)
{
	unsigned want = cfg->mode == GENINIT_MODE_GEN ? 3 : 2, i;
	int sk, rc, tries;
	char name[IFNAMSIZ];

	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return -errno;
	rc = set_up(sk, "lo");
	if (rc) {
		say("lo: %s", strerror(-rc));
		goto out;
	}
	/* netfront probes its devices asynchronously after the module loads. */
	for (tries = 0; tries < NETIF_WAIT_S * 10; tries++) {
		rc = name_by_mac(sk, want);
		if (rc < 0) {
			say("naming the network interfaces: %s", strerror(-rc));
			goto out;
		}
		if ((unsigned)rc == want)
			break;
		usleep(100 * 1000);
	}
	if ((unsigned)rc != want) {
		say("only %d of %u network interfaces appeared in %d s (vifs missing?)", rc, want,
		    NETIF_WAIT_S);
		rc = -ENODEV;
		goto out;
	}
	for (i = 0; i < want; i++) {
		struct ifreq ifr;

		snprintf(name, sizeof(name), "eth%u", i);
		/* Data links take jumbo frames; dom0 sets the path's MTU per frame size. */
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_mtu = DATA_MTU;
		/* Not in the goodput mode: TCP would take its MSS from it, and
		 * dom0's path stays at 1500 there. */
		if (i < 2 && !cfg->goodput && ifreq_ioctl(sk, SIOCSIFMTU, name, &ifr))
			say("%s: MTU %d refused (%s): frames above 1518 bytes will not pass", name,
			    DATA_MTU, strerror(errno));
		rc = set_up(sk, name);
		if (rc) {
			say("%s up: %s", name, strerror(-rc));
			goto out;
		}
	}
	rc = 0;
	if (cfg->mode == GENINIT_MODE_GEN) {
		rc = set_addr(sk, "eth2", cfg->ctl_addr, cfg->ctl_prefix);
		if (rc)
			say("eth2 address: %s", strerror(-rc));
	}
out:
	close(sk);
	return rc;
}

static int write_token(const char *token)
{
	int fd = open(TOKEN_FILE, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, token, strlen(token));
	close(fd);
	return n == (ssize_t)strlen(token) ? 0 : -EIO;
}

/* Run mir-trafgen as a child, reap everything, return when it ends. */
static void run_trafgen(char *const argv[])
{
	pid_t pid, w;
	int status;

	pid = fork();
	if (pid < 0) {
		say("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		execv(argv[0], argv);
		say("exec %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	say("started %s %s (pid %d)", argv[0], argv[1], (int)pid);
	for (;;) {
		w = wait(&status);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 || w == pid)
			break;
	}
	if (w == pid && WIFEXITED(status))
		say("mir-trafgen exited with status %d", WEXITSTATUS(status));
	else if (w == pid && WIFSIGNALED(status))
		say("mir-trafgen killed by signal %d", WTERMSIG(status));
}

int main(void)
{
	struct geninit_cfg cfg;
	char line[4096], err[256], listen[64];
	ssize_t n;
	int fd, rc;

	rc = mount_all();
	if (rc) {
		say("mounting /proc, /sys, /dev, /run: %s", strerror(-rc));
		power_off();
	}
	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, line, sizeof(line) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		say("reading /proc/cmdline: %s", strerror(errno));
		power_off();
	}
	line[n] = '\0';
	if (geninit_parse_cmdline(line, &cfg, err, sizeof(err))) {
		say("%s", err);
		power_off();
	}
	kernel_messages_on();
	ipv6_off();
	if (load_modules() || setup_net(&cfg))
		power_off();
	if (cfg.mode == GENINIT_MODE_GEN) {
		struct in_addr a = {.s_addr = htonl(cfg.ctl_addr)};
		char *const argv[] = {TRAFGEN,	      "agent",	  "--listen", listen,
				      "--token-file", TOKEN_FILE, NULL};

		snprintf(listen, sizeof(listen), "tcp:%s:%u", inet_ntoa(a), (unsigned)cfg.port);
		if (cfg.goodput && guest_ends_split())
			power_off();
		if (write_token(cfg.token)) {
			say("cannot write %s", TOKEN_FILE);
			power_off();
		}
		run_trafgen(argv);
	} else {
		/* recvmmsg/sendmmsg, not the rings: netfront stops its queue every few
		 * seconds under load, and only this path offers a refused frame again
		 * (ENOBUFS); a transmit ring's frame would be dropped by the kernel
		 * after being counted as forwarded. */
		char *const argv[] = {TRAFGEN, "fwd",  "--in", "eth0", "--out", "eth1",
				      "--io",  "mmsg", cfg.goodput ? "--bidir" : NULL, NULL};

		if (cfg.goodput && guest_ends_fwd())
			power_off();
		run_trafgen(argv);
	}
	power_off();
}
