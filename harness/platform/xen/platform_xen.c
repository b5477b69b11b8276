/* The Xen platform: on a dom0, a traff-gen Linux guest (mir-trafgen agent,
 * generator on eth0, sink on eth1, control on eth2) and a DUT domain (a PVH
 * unikernel, or the traff-gen image forwarding) joined by bridges if1 and if2,
 * all through one libxenlight context; no `xl` subprocess.
 *
 *   gen eth0 (mpg0) -- if1 -- tap0 [DUT] tap1 -- if2 -- (mpg1) gen eth1
 *   gen eth2 (mpgc) -- mp-ctl 198.18.255.1/30 (dom0) : agent 198.18.255.2
 *
 * Every name and MAC is fixed in harness/platform/xen/xl_config.h. Resources are recorded
 * in the run state file before they exist, so a killed run is cleaned up. */
#include <errno.h>
#include <fcntl.h>
#include <libxl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xentoollog.h>

#include "harness/measure/iperf3.h"
#include "harness/run/stop.h"
#include "lib/nl.h"
#include "harness/platform/platform.h"
#include "harness/run/state.h"
#include "harness/platform/xen/xl_redact.h"
#include "harness/platform/xen/xen_console.h"
#include "harness/platform/xen/xen_describe.h"
#include "harness/platform/xen/xen_domain.h"
#include "harness/platform/xen/xen_evtchn.h"
#include "harness/platform/xen/xen_ends.h"
#include "harness/platform/xen/xen_guest.h"
#include "harness/platform/xen/xl_config.h"
#include "harness/platform/xen/xen_stale.h"
#include "lib/log.h"
#include "lib/mtime.h"

#define XEN_PROC       "/proc/xen"
#define BOOT_WAIT_NS   (180 * NSEC_PER_SEC) /* guests boot slowly under emulation */
/* server = dut: from its vif's carrier to the unikernel's "listening" line
 * (mirage-tcpip's start, ARP and the listener: seconds even emulated) */
#define SERVER_WAIT_NS (60 * NSEC_PER_SEC)
/* What the recipe's iperf3 unikernel prints once it listens (its unikernel.ml). */
#define SERVER_LISTENING "mir-perf iperf3: listening on TCP port "

enum { DOM_GEN = 0, DOM_DUT, DOM_COUNT };
static const char *const dom_role[DOM_COUNT] = {"gen", "dut"};
static const char *const bridges[] = {XL_BRIDGE_IN, XL_BRIDGE_OUT, XL_CTL_BRIDGE};
#define NBRIDGES (sizeof(bridges) / sizeof(bridges[0]))

struct platform {
	const struct run_cfg *cfg;
	struct run_state *st;
	char run_dir[PATH_MAX];
	char dut_console[PATH_MAX + 32]; /* run_dir/console-dut.log, for dut_log */
	FILE *log; /* run_dir/xen.log: libxl's own messages */
	xentoollog_logger_stdiostream *xtl;
	struct xl_redact *redact; /* over xtl: the token never reaches xen.log */
	struct xen_dom_env env; /* env.ctx: the one libxl context */
	struct nlh *nl;
	int bridge_made[NBRIDGES];
	struct xen_domain dom[DOM_COUNT];
	char token[33];
	char endpoint[64];
	unsigned mtu;
	struct xen_guest guest;
	struct xl_run_files files;
	struct xen_ends *ends; /* the goodput/rr ends in the guest, on first use */
	/* server = dut: the DUT is the library's iperf3 server, one vif (tap0 on
	 * if1), no tap1 (xl_config_dut) */
	int dut_server;
};

/* No Xen here: say so once, with the way to run the harness on this machine. */
static int no_xen(const char *why)
{
	log_err("the xen platform needs a Xen dom0: %s. To run the harness on this machine, "
		"use --platform local",
		why);
	return -ENODEV;
}

/* libxl cannot open the hypervisor: its reason (from a throwaway logger) in the message. */
static int probe_xen(void)
{
	xentoollog_logger_stdiostream *lg = NULL;
	libxl_ctx *ctx = NULL;
	char why[512] = "", *nl;
	FILE *tmp;
	int rc = 0;

	if (access(XEN_PROC, F_OK))
		return no_xen(XEN_PROC " does not exist");
	tmp = tmpfile();
	if (tmp)
		lg = xtl_createlogger_stdiostream(tmp, XTL_ERROR, XTL_STDIOSTREAM_HIDE_PROGRESS);
	if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, (xentoollog_logger *)lg)) {
		if (tmp) {
			fflush(tmp);
			rewind(tmp);
			if (!fgets(why, sizeof(why), tmp))
				why[0] = '\0';
			nl = strchr(why, '\n');
			if (nl)
				*nl = '\0';
		}
		rc = no_xen(why[0] ? why : "libxl cannot open the hypervisor");
	}
	if (ctx)
		libxl_ctx_free(ctx);
	if (lg)
		xtl_logger_destroy((xentoollog_logger *)lg);
	if (tmp)
		fclose(tmp);
	return rc;
}

static int random_token(char *out, size_t n)
{
	static const char alnum[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[64];
	size_t i;

	if (n > sizeof(r) + 1 || getrandom(r, n - 1, 0) != (ssize_t)(n - 1))
		return -EIO;
	for (i = 0; i + 1 < n; i++)
		out[i] = alnum[r[i] % (sizeof(alnum) - 1)];
	out[n - 1] = '\0';
	return 0;
}

static int bridges_up(struct platform *p)
{
	unsigned i;
	int rc;

	rc = nlh_open(NULL, &p->nl);
	if (rc) {
		log_err("rtnetlink in dom0: %s", strerror(-rc));
		return rc;
	}
	for (i = 0; i < NBRIDGES; i++) {
		rc = run_state_add_link(p->st, "", bridges[i]);
		if (rc) {
			log_err("recording bridge %s in the run state: %s", bridges[i],
				strerror(-rc));
			return rc;
		}
		rc = nlh_bridge_add(p->nl, bridges[i], NULL);
		if (rc) {
			struct state_rec r = {.kind = STATE_LINK};

			snprintf(r.ifname, sizeof(r.ifname), "%s", bridges[i]);
			run_state_release(p->st, &r); /* not made by this run */
			log_err("creating bridge %s in dom0: %s%s%s", bridges[i], strerror(-rc),
				nlh_error(p->nl)[0] ? ": " : "", nlh_error(p->nl));
			if (rc == -EEXIST)
				log_err("a killed run left it: `mir-perf --cleanup` removes it");
			return rc;
		}
		p->bridge_made[i] = 1;
		rc = nlh_link_set_up(p->nl, bridges[i], 1);
		if (rc) {
			log_err("bridge %s up: %s", bridges[i], strerror(-rc));
			return rc;
		}
	}
	rc = nlh_addr_add(p->nl, XL_CTL_BRIDGE, ntohl(inet_addr(XL_CTL_HOST_ADDR)), XL_CTL_PREFIX);
	if (rc)
		log_err("address " XL_CTL_HOST_ADDR "/%d on " XL_CTL_BRIDGE ": %s", XL_CTL_PREFIX,
			strerror(-rc));
	return rc;
}

/* The domain's configuration from cfg, then xen_domain_start(). */
static int domain_start(struct platform *p, int which)
{
	libxl_domain_config dc;
	int rc;

	libxl_domain_config_init(&dc);
	rc = which == DOM_GEN ? xl_config_gen(p->cfg, &p->files, &dc)
			      : xl_config_dut(p->cfg, &p->files, &dc);
	if (rc) {
		log_err("the %s domain's configuration: %s (check dut_memory/gen_memory/tsc_mode "
			"in mir-perf.conf)",
			dom_role[which], strerror(-rc));
		return rc; /* xl_config_* disposed dc */
	}
	/* a unikernel image Xen may refuse: the message names it */
	if (which == DOM_DUT && p->guest.unikernel)
		p->dom[which].image = p->guest.dut_kernel;
	rc = xen_domain_start(&p->env, &p->dom[which], &dc);
	libxl_domain_config_dispose(&dc);
	return rc;
}

/* Ready: the agent answers on the control link and every backend vif has
 * carrier (netfront in the guest connected). */
static int wait_ready(struct platform *p)
{
	static const enum xl_vif_role vifs[] = {XL_VIF_GEN_DATA, XL_VIF_GEN_SINK, XL_VIF_GEN_CTL,
						XL_VIF_DUT_IN, XL_VIF_DUT_OUT};
	/* the DUT as the server has no tap1: the last vif is not waited for */
	unsigned nvifs = sizeof(vifs) / sizeof(vifs[0]) - (p->dut_server ? 1 : 0);
	uint64_t deadline = mtime_now_ns() + BOOT_WAIT_NS;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(XL_AGENT_PORT)};
	char why[512];
	unsigned i, up;
	int d, rc, agent = 0;

	sa.sin_addr.s_addr = inet_addr(XL_CTL_GUEST_ADDR);
	for (;;) {
		for (d = 0; d < DOM_COUNT; d++) {
			rc = xen_domain_state(&p->env, &p->dom[d], why, sizeof(why));
			if (rc) {
				log_err("while the guests booted: %s", why);
				return rc;
			}
		}
		for (i = 0, up = 0; i < nvifs; i++) {
			struct nlh_link l;

			if (!nlh_link_get(p->nl, xl_vif(vifs[i])->vifname, &l) && l.carrier)
				up++;
		}
		if (!agent) {
			int sk = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

			agent = sk >= 0 && connect(sk, (struct sockaddr *)&sa, sizeof(sa)) == 0;
			if (sk >= 0)
				close(sk);
		}
		if (agent && up == i)
			return 0;
		if (mtime_now_ns() > deadline) {
			log_err(
			    "the guests did not come up in %llu s (%u of %u vifs connected, agent "
			    "%s); their consoles are in %s",
			    (unsigned long long)(BOOT_WAIT_NS / NSEC_PER_SEC), up, i,
			    agent ? "answering" : "not answering", p->run_dir);
			return -ETIMEDOUT;
		}
		usleep(250 * 1000);
	}
}

/* server = dut: the unikernel says on its console when it listens; until
 * then the client's SYNs would find nothing. Its console, not a probe from
 * the client: a connection would count as one of the server's tests. */
static int wait_server(struct platform *p)
{
	uint64_t deadline = mtime_now_ns() + SERVER_WAIT_NS;
	char path[PATH_MAX + 32], needle[64], last[256], why[512];
	int rc;

	snprintf(path, sizeof(path), "%s/console-%s.log", p->run_dir, dom_role[DOM_DUT]);
	snprintf(needle, sizeof(needle), SERVER_LISTENING "%u", IPERF3_PORT);
	while (!xen_console_has_line(path, needle, last, sizeof(last))) {
		rc = xen_domain_state(&p->env, &p->dom[DOM_DUT], why, sizeof(why));
		if (rc) {
			log_err("the DUT, the iperf3 server, before it listened: %s", why);
			return rc;
		}
		if (stop_requested())
			return -EINTR;
		if (mtime_now_ns() > deadline) {
			log_err("the DUT, the recipe's iperf3 server, did not say '%s' on its console "
				"within %llu s; %s%s%s (console: %s)",
				needle, (unsigned long long)(SERVER_WAIT_NS / NSEC_PER_SEC),
				last[0] ? "its last line: '" : "its console held nothing",
				last, last[0] ? "'" : "", path);
			return -ETIMEDOUT;
		}
		usleep(250 * 1000);
	}
	log_verbose("the DUT, the iperf3 server, listens on %s:%u", XL_SERVER_ADDR, IPERF3_PORT);
	return 0;
}

static void xen_destroy(struct platform *p);

static int xen_create(const struct run_cfg *cfg, const char *run_dir, struct run_state *st,
		      struct platform **out)
{
	struct platform *p = NULL;
	char path[PATH_MAX + 16];
	int rc, d, fd;

	*out = NULL;
	rc = probe_xen();
	if (rc)
		return rc;
	rc = run_state_set_platform(st, "xen");
	if (rc) {
		log_err("tagging the run state file: %s", strerror(-rc));
		return rc;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->cfg = cfg;
	p->st = st;
	p->mtu = 1500;
	p->dut_server = run_cfg_dut_serves(cfg);
	for (d = 0; d < DOM_COUNT; d++)
		xen_domain_init(&p->dom[d], dom_role[d]);
	snprintf(p->run_dir, sizeof(p->run_dir), "%s", run_dir);
	p->env.st = st;
	p->env.run_dir = p->run_dir;
	p->env.token = p->token;
	snprintf(path, sizeof(path), "%s/xen.log", run_dir);
	/* libxl at debug level logs the guests' command lines, which carry the
	 * agent's token: readable by root (and the invoking user) only. */
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	p->log = fd >= 0 && !fchmod(fd, 0600) ? fdopen(fd, "a") : NULL;
	if (!p->log) {
		rc = -errno;
		log_err("%s: %s", path, strerror(-rc));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	setvbuf(p->log, NULL, _IOLBF, 0);
	p->xtl = xtl_createlogger_stdiostream(p->log, XTL_DEBUG, XTL_STDIOSTREAM_HIDE_PROGRESS);
	p->redact = p->xtl ? xl_redact_new((xentoollog_logger *)p->xtl, p->token) : NULL;
	p->env.redact = p->redact;
	if (!p->redact ||
	    libxl_ctx_alloc(&p->env.ctx, LIBXL_VERSION, 0, xl_redact_logger(p->redact))) {
		rc = no_xen("libxl cannot open the hypervisor (see xen.log in the run directory)");
		goto out;
	}
	rc = random_token(p->token, sizeof(p->token));
	if (rc) {
		log_err("no random bytes for the agent token: %s", strerror(-rc));
		goto out;
	}
	snprintf(p->endpoint, sizeof(p->endpoint), "tcp:%s:%d", XL_CTL_GUEST_ADDR, XL_AGENT_PORT);
	rc = xen_guest_prepare(cfg, &p->guest);
	if (rc)
		goto out;
	p->files.run_id = run_state_id(st);
	p->files.gen_kernel = p->guest.kernel;
	p->files.initramfs = p->guest.initramfs;
	p->files.dut_kernel = p->guest.dut_kernel[0] ? p->guest.dut_kernel : NULL;
	p->files.dut_netif[0] = p->guest.dut_netif[0];
	p->files.dut_netif[1] = p->guest.dut_netif[1];
	p->files.token = p->token;
	p->files.vif_script = p->guest.vif_script;
	rc = bridges_up(p);
	/* Every domain exists before any traffic flows (creating a guest while
	 * another passes traffic failed under emulation). */
	for (d = 0; d < DOM_COUNT && !rc; d++)
		rc = domain_start(p, d);
	if (!rc)
		rc = wait_ready(p);
	if (!rc && (cfg->mode == MODE_GOODPUT || cfg->mode == MODE_RR))
		rc = xen_ends_dut_csum(p->dut_server ? 1 : 2);
	if (!rc && p->dut_server)
		rc = wait_server(p);
out:
	if (rc) {
		xen_destroy(p);
		return rc;
	}
	*out = p;
	return 0;
}

static void xen_destroy(struct platform *p)
{
	unsigned i;
	int d;

	if (!p)
		return;
	xen_ends_close(p->ends);
	/* A unikernel DUT prints its counters when asked to shut down: ask,
	 * and give it a few seconds before it is destroyed (ours answers at
	 * once; under an emulator on a loaded host "at once" has taken a few
	 * seconds). */
	if (p->guest.unikernel)
		xen_domain_shutdown(&p->env, &p->dom[DOM_DUT], 10 * NSEC_PER_SEC);
	for (d = DOM_COUNT - 1; d >= 0; d--)
		xen_domain_destroy(&p->env, &p->dom[d]);
	for (i = NBRIDGES; i-- > 0;) {
		struct state_rec r = {.kind = STATE_LINK};

		if (!p->bridge_made[i])
			continue;
		if (nlh_link_del(p->nl, bridges[i])) {
			log_warn("removing bridge %s: %s", bridges[i], nlh_error(p->nl));
			continue;
		}
		snprintf(r.ifname, sizeof(r.ifname), "%s", bridges[i]);
		run_state_release(p->st, &r);
	}
	if (p->nl)
		nlh_close(p->nl);
	if (p->env.ctx)
		libxl_ctx_free(p->env.ctx);
	xl_redact_free(p->redact);
	if (p->xtl)
		xtl_logger_destroy((xentoollog_logger *)p->xtl);
	if (p->log)
		fclose(p->log);
	free(p);
}

/* Frames longer than 1518 bytes need a larger MTU on every dom0 link of the
 * path (bridges and backend vifs); the guests' netfronts are set to 9000 at
 * boot by mir-geninit, the unikernel takes what netback offers. */
static int xen_prepare_size(struct platform *p, unsigned frame_size)
{
	static const enum xl_vif_role path[] = {XL_VIF_GEN_DATA, XL_VIF_DUT_IN, XL_VIF_DUT_OUT,
						XL_VIF_GEN_SINK};
	unsigned mtu = frame_size - 18 > 1500 ? frame_size - 18 : 1500; /* - header - FCS */
	unsigned i;
	int rc;

	if (mtu == p->mtu)
		return 0;
	/* vifs first when growing (a bridge takes the smallest MTU of its ports) */
	for (i = 0; i < 4; i++) {
		rc = nlh_link_set_mtu(p->nl, xl_vif(path[i])->vifname, mtu);
		if (rc)
			return rc;
	}
	for (i = 0; i < 2; i++) {
		rc = nlh_link_set_mtu(p->nl, bridges[i], mtu);
		if (rc)
			return rc;
	}
	p->mtu = mtu;
	return 0;
}

static const char *xen_agent_endpoint(struct platform *p)
{
	return p->endpoint;
}

static const char *xen_agent_token(struct platform *p)
{
	return p->token;
}

/* The generator sends from eth0 to eth1's MAC: if1 floods it to the DUT
 * (the only other port), if2 delivers what the DUT sends to eth1. */
static void xen_traffic(struct platform *p, struct tg_tx_params *tx, struct tg_rx_params *rx)
{
	const struct xl_vif_desc *out = xl_vif(XL_VIF_GEN_DATA), *in = xl_vif(XL_VIF_GEN_SINK);

	snprintf(tx->dev, sizeof(tx->dev), "%s", out->guest_if);
	memcpy(tx->src_mac, out->mac, 6);
	memcpy(tx->dst_mac, in->mac, 6);
	tx->src_ip = 0xc6120001u; /* 198.18.0.1 */
	tx->dst_ip = 0xc6130001u; /* 198.19.0.1 */
	tx->sport = 10000;	  /* as on the local platform */
	tx->dport = 9;
	tx->cpu = -1; /* one vCPU: nothing to choose */
	snprintf(rx->dev, sizeof(rx->dev), "%s", in->guest_if);
}

/* Sampled in dom0 on the backend vifs, where the guest's tx is counted as rx.
 * server = dut: the path ends at the DUT, and tap1 does not exist. The
 * monitor samples every hop all the same, so the two past the DUT are the
 * links that carry its answers: what the DUT sent (tap0's rx) and what
 * reached the client (mpg0's tx), each named for what it is. The goodput
 * mode's files leave those two hops out (goodput_out.c): their figures are
 * gen_tx's and dut_in's way back already. */
static unsigned xen_hops(struct platform *p, struct mon_hop *hops, enum hop_dir *dir, unsigned max)
{
	struct hop_def {
		enum xl_vif_role vif;
		const char *label;
		enum hop_dir dir;
	};
	static const struct hop_def fwd[HOP_COUNT] = {
	    [HOP_GEN_TX] = {XL_VIF_GEN_DATA, "gen eth0 (mpg0)", HOP_DIR_RX},
	    [HOP_DUT_IN] = {XL_VIF_DUT_IN, "tap0", HOP_DIR_TX},
	    [HOP_DUT_OUT] = {XL_VIF_DUT_OUT, "tap1", HOP_DIR_RX},
	    [HOP_SINK_RX] = {XL_VIF_GEN_SINK, "sink eth1 (mpg1)", HOP_DIR_TX},
	};
	static const struct hop_def server[HOP_COUNT] = {
	    [HOP_GEN_TX] = {XL_VIF_GEN_DATA, "gen eth0 (mpg0)", HOP_DIR_RX},
	    [HOP_DUT_IN] = {XL_VIF_DUT_IN, "tap0", HOP_DIR_TX},
	    [HOP_DUT_OUT] = {XL_VIF_DUT_IN, "tap0 (the DUT's answers)", HOP_DIR_RX},
	    [HOP_SINK_RX] = {XL_VIF_GEN_DATA, "gen eth0 (mpg0, answers in)", HOP_DIR_TX},
	};
	const struct hop_def *h = p->dut_server ? server : fwd;
	unsigned i;

	for (i = 0; i < HOP_COUNT && i < max; i++) {
		hops[i].label = h[i].label;
		hops[i].netns = "";
		hops[i].ifname = xl_vif(h[i].vif)->vifname;
		dir[i] = h[i].dir;
	}
	return i;
}

static int xen_dut_check(struct platform *p, char *why, size_t len)
{
	int rc = xen_domain_state(&p->env, &p->dom[DOM_DUT], why, len);

	return rc ? rc : xen_domain_state(&p->env, &p->dom[DOM_GEN], why, len);
}

/* The DUT's console, as the run keeps it (console-dut.log). */
static const char *xen_dut_log(struct platform *p)
{
	snprintf(p->dut_console, sizeof(p->dut_console), "%s/console-%s.log", p->run_dir,
		 dom_role[DOM_DUT]);
	return p->dut_console;
}

static int xen_dut_sample(struct platform *p, struct dut_sample *s)
{
	return xen_domain_sample(&p->env, &p->dom[DOM_DUT], s);
}

/* An idle DUT that stopped: its vifs' event channels as Xen holds them. */
static void xen_dut_explain(struct platform *p, char *buf, size_t len)
{
	struct xen_evtchn ch[XEN_EVTCHN_MAX];
	unsigned n;

	buf[0] = '\0';
	if (p->dom[DOM_DUT].domid == XEN_NO_DOMID ||
	    xen_evtchn_read(p->env.ctx, p->dom[DOM_DUT].domid, ch, XEN_EVTCHN_MAX, &n))
		return; /* nothing more to say than its state */
	xen_evtchn_say(ch, n, buf, len);
}

/* The goodput and rr modes' ends: iperf3 or mir-trafgen rr in the traff-gen
 * guest (xen_ends.h). */
static int xen_end_spawn(struct platform *p, enum platform_end end, char *const *argv,
			 const char *log, pid_t *pid)
{
	int rc = p->ends ? 0 : xen_ends_open(p->endpoint, p->token, &p->ends);

	return rc ? rc : xen_ends_spawn(p->ends, end, argv, log, pid);
}

static int xen_end_poll(struct platform *p, pid_t pid, int *status)
{
	return p->ends ? xen_ends_poll(p->ends, pid, status) : -ENOENT;
}

static int xen_end_listening(struct platform *p, pid_t pid, unsigned port)
{
	return p->ends ? xen_ends_listening(p->ends, pid, port) : 0;
}

static void xen_end_stop(struct platform *p, pid_t pid, int reaped)
{
	(void)reaped; /* the agent reaps its own */
	if (p->ends)
		xen_ends_stop(p->ends, pid);
}

static const char *xen_end_addr(struct platform *p, enum platform_end end)
{
	(void)p;
	return xen_ends_addr(end);
}

const struct platform_ops platform_xen_ops = {
    .name = "xen",
    .create = xen_create,
    .prepare_size = xen_prepare_size,
    .agent_endpoint = xen_agent_endpoint,
    .agent_token = xen_agent_token,
    .traffic = xen_traffic,
    .hops = xen_hops,
    .dut_check = xen_dut_check,
    .dut_log = xen_dut_log,
    .dut_sample = xen_dut_sample,
    .dut_explain = xen_dut_explain,
    .destroy = xen_destroy,
    .cleanup_stale = xen_cleanup_stale,
    .end_spawn = xen_end_spawn,
    .end_stop = xen_end_stop,
    .end_addr = xen_end_addr,
    .end_poll = xen_end_poll,
    .end_listening = xen_end_listening,
    .available = probe_xen,
    .describe = xen_describe,
};
