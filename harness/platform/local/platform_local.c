/* The local platform: the topology of local_topo.h, the generator agent in
 * the generator namespace, and the DUT (local_dut.h). Teardown order: DUT,
 * agent, files, namespaces (and with them every link). */
#include "harness/platform/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "harness/platform/local/local_dut.h"
#include "harness/platform/local/local_proc.h"
#include "harness/platform/local/local_cleanup.h"
#include "harness/platform/local/local_topo.h"
#include "harness/platform/local/local_topo_describe.h"
#include "trafgen/fwd.h"
#include "lib/nl.h"
#include "harness/platform/local/platform_local.h"
#include "harness/platform/local/probe.h"
#include "lib/proc.h"
#include "harness/run/state.h"
#include "harness/run/stop.h"
#include "trafgen/agent_client.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/netns.h"
#include "lib/units.h"

#define AGENT_TIMEOUT_NS (10 * NSEC_PER_SEC)
#define DUT_TIMEOUT_NS	 (30 * NSEC_PER_SEC)
#define ETH_OVERHEAD	 18U /* header 14 + FCS 4: frame size = MTU + 18 */

struct platform {
	struct run_state *st;
	struct local_topo *topo;
	struct local_dut dut;
	char dut_text[512];
	char rt_dir[PATH_MAX]; /* STATE_DIR/run-ID: agent socket and token */
	char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char token_path[PATH_MAX];
	char endpoint[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
	char token[65];
	char agent_log[PATH_MAX], dut_log[PATH_MAX];
	int rt_rec, token_rec, sock_rec, rt_made;
	pid_t agent_pid, dut_pid;
	int dut_as_user; /* exec: runs as dut_uid:dut_gid, not root */
	uid_t dut_uid;
	gid_t dut_gid;
	char dut_user[64]; /* for messages: "uid 1000", "nobody" */
	int dut_gone, dut_status; /* the DUT process ended during the run */
	unsigned mtu;
	int split; /* goodput, rr: client and server namespaces, the DUT both ways */
	int gen_cpu; /* the first core of the pinned generator threads, or -1 */
	int fwd_rings; /* fwd DUT: --io ring (frames AF_XDP cannot carry, or unknown) */
	uint64_t dut_timeout_ns;
	uint8_t eth0_mac[6], eth1_mac[6];
};

static int agent_wanted = 1;

void platform_local_set_bindir(const char *dir)
{
	local_proc_set_bindir(dir);
}

void platform_local_set_agent(int start_agent)
{
	agent_wanted = start_agent;
}

static int record_file(struct platform *p, const char *path)
{
	int rc = run_state_add_file(p->st, path);

	if (rc)
		log_err("local platform: cannot record %s in the state file: %s", path,
			strerror(-rc));
	return rc;
}

/* The runtime directory (root only) with the agent's token and socket. */
static int agent_files(struct platform *p)
{
	uint8_t raw[32];
	int fd, rc, i;

	snprintf(p->rt_dir, sizeof(p->rt_dir), "%s/run-%s", state_dir(), run_state_id(p->st));
	rc = record_file(p, p->rt_dir);
	if (rc)
		return rc;
	p->rt_rec = 1;
	if (mkdir(p->rt_dir, 0700)) {
		rc = -errno;
		log_err("local platform: cannot create %s: %s", p->rt_dir, strerror(errno));
		return rc;
	}
	p->rt_made = 1;
	if (snprintf(p->sock_path, sizeof(p->sock_path), "%s/agent.sock", p->rt_dir) >=
		(int)sizeof(p->sock_path) ||
	    snprintf(p->token_path, sizeof(p->token_path), "%s/agent.token", p->rt_dir) >=
		(int)sizeof(p->token_path)) {
		log_err("local platform: %s is too long for a unix socket path", p->rt_dir);
		return -ENAMETOOLONG;
	}
	snprintf(p->endpoint, sizeof(p->endpoint), "unix:%s", p->sock_path);
	if (getrandom(raw, sizeof(raw), 0) != sizeof(raw))
		return -EIO;
	for (i = 0; i < 32; i++)
		snprintf(p->token + 2 * i, 3, "%02x", raw[i]);
	rc = record_file(p, p->token_path);
	if (rc)
		return rc;
	p->token_rec = 1;
	rc = record_file(p, p->sock_path);
	if (rc)
		return rc;
	p->sock_rec = 1;
	fd = open(p->token_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		log_err("local platform: cannot create %s: %s", p->token_path, strerror(errno));
		return rc;
	}
	rc = write(fd, p->token, 64) == 64 && write(fd, "\n", 1) == 1 ? 0 : -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	if (rc)
		log_err("local platform: cannot write %s: %s", p->token_path, strerror(-rc));
	return rc;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = {(time_t)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC)};

	nanosleep(&ts, NULL);
}

static int spawn(struct platform *p, const char *netns, char **argv, const char *log, pid_t *pid,
		 const char *what, int as_user)
{
	struct proc_spawn s = {.netns = netns, .argv = argv, .log = log};

	if (as_user) {
		s.as_user = 1;
		s.own_tun = 1; /* /dev/net/tun may be root's alone (0600) */
		s.uid = p->dut_uid;
		s.gid = p->dut_gid;
	}
	return local_proc_start(p->st, &s, what, as_user ? p->dut_user : NULL, pid);
}

static int agent_start(struct platform *p)
{
	char exe[PATH_MAX], listen[sizeof(p->endpoint)];
	char *argv[] = {exe, "agent", "--listen", listen, "--token-file", p->token_path, NULL};
	uint64_t deadline;
	int rc, status;

	rc = local_trafgen_path(exe, sizeof(exe));
	if (!rc)
		rc = agent_files(p);
	if (rc)
		return rc;
	snprintf(listen, sizeof(listen), "%s", p->endpoint);
	rc = spawn(p, local_topo_netns(p->topo, TOPO_NS_GEN), argv, p->agent_log, &p->agent_pid,
		   "the generator agent", 0);
	if (rc)
		return rc;
	deadline = mtime_now_ns() + AGENT_TIMEOUT_NS;
	for (;;) {
		struct agent_client *c = NULL;

		if (stop_requested())
			return -EINTR;
		if (proc_poll(p->agent_pid, &status))
			return local_proc_ended(p->st, &p->agent_pid, status, "the generator agent",
						p->agent_log);
		/* Ready once it answers a hello with the run's token. */
		rc = agent_client_connect(p->endpoint, p->token, 500 * NSEC_PER_MSEC, &c);
		agent_client_close(c);
		if (rc == 0)
			return 0;
		if (rc == -EACCES) {
			log_err("local platform: the generator agent refused the run's token "
				"(log: %s)",
				p->agent_log);
			return rc;
		}
		if (mtime_now_ns() > deadline) {
			log_err("local platform: the generator agent did not answer on %s within "
				"%llu s: %s (log: %s)",
				p->sock_path, (unsigned long long)(AGENT_TIMEOUT_NS / NSEC_PER_SEC),
				strerror(-rc), p->agent_log);
			return -ETIMEDOUT;
		}
		sleep_ns(20 * NSEC_PER_MSEC);
	}
}

static int dut_start(struct platform *p)
{
	char exe[PATH_MAX], **argv = NULL;
	const char *netns = local_topo_netns(p->topo, TOPO_NS_HARNESS);
	size_t n = 0, extra = 0, i;
	int rc;

	if (p->dut.kind == RUN_DUT_BRIDGE)
		return 0; /* the kernel forwards: no process */
	if (p->dut.kind == RUN_DUT_EXEC)
		return spawn(p, netns, p->dut.argv, p->dut_log, &p->dut_pid, "the DUT",
			     p->dut_as_user);
	rc = local_trafgen_path(exe, sizeof(exe));
	if (rc)
		return rc;
	while (p->dut.argv && p->dut.argv[extra])
		extra++;
	argv = calloc(11 + extra, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	argv[n++] = exe;
	argv[n++] = "fwd";
	if (p->dut.kind == RUN_DUT_TAP_FWD)
		argv[n++] = "--tap";
	else
		netns = local_topo_netns(p->topo, TOPO_NS_DUT);
	argv[n++] = "--in";
	argv[n++] = "tap0";
	argv[n++] = "--out";
	argv[n++] = "tap1";
	if (p->split)
		argv[n++] = "--bidir"; /* TCP's ACKs come back through it */
	if (p->dut.kind == RUN_DUT_FWD && p->fwd_rings) {
		/* before the user's options: their --io wins */
		argv[n++] = "--io";
		argv[n++] = "ring";
	}
	for (i = 0; i < extra; i++)
		argv[n++] = p->dut.argv[i];
	argv[n] = NULL;
	rc = spawn(p, netns, argv, p->dut_log, &p->dut_pid, "the DUT", 0);
	free(argv);
	return rc;
}

/* Ready: both ports up (a TAP: the program attached) and a probe frame sent
 * by the generator's eth0 arriving at eth1; split (the goodput mode), also one
 * from eth1 arriving at eth0, since TCP needs the way back. */
static int dut_wait_ready(struct platform *p)
{
	uint64_t start = mtime_now_ns(), deadline = start + p->dut_timeout_ns;
	const char *g = local_topo_netns(p->topo, TOPO_NS_GEN);
	const char *s = local_topo_netns(p->topo, TOPO_NS_SRV);
	struct probe *pr = NULL, *back = NULL;
	char why[256] = "";
	unsigned got, got_back = 1;
	int rc, status;

	rc = probe_open_split(g, "eth0", s, "eth1", p->eth0_mac, p->eth1_mac, &pr);
	if (!rc && p->split)
		rc = probe_open_split(s, "eth1", g, "eth0", p->eth1_mac, p->eth0_mac, &back);
	if (rc) {
		log_err("local platform: cannot open probe sockets on eth0/eth1: %s",
			strerror(-rc));
		probe_close(pr);
		return rc;
	}
	for (;;) {
		if (stop_requested()) {
			rc = -EINTR;
			break;
		}
		if (p->dut_pid > 0 && proc_poll(p->dut_pid, &status)) {
			rc = local_proc_ended(p->st, &p->dut_pid, status, "the DUT", p->dut_log);
			break;
		}
		rc = local_topo_ports_up(p->topo, why, sizeof(why));
		if (rc < 0)
			break;
		if (rc == 1) {
			rc = probe_run(pr, 1, 64, 0, 100 * NSEC_PER_MSEC, &got);
			if (rc >= 0 && back)
				rc = probe_run(back, 1, 64, 0, 100 * NSEC_PER_MSEC, &got_back);
			if (rc < 0)
				break;
			if (got && got_back) {
				log_verbose("local platform: DUT %s ready after %.1f s",
					    p->dut_text, (double)(mtime_now_ns() - start) / 1e9);
				rc = 0;
				break;
			}
			snprintf(why, sizeof(why), "no probe frame came through %s",
				 got ? "tap1 -> tap0 (the way back, which TCP needs)"
				     : "tap0 -> tap1");
		}
		if (mtime_now_ns() > deadline) {
			log_err("local platform: DUT %s not ready within %.0f s: %s (log: %s)",
				p->dut_text, (double)p->dut_timeout_ns / 1e9, why,
				p->dut.kind == RUN_DUT_BRIDGE ? "none" : p->dut_log);
			rc = -ETIMEDOUT;
			break;
		}
		sleep_ns(50 * NSEC_PER_MSEC);
	}
	probe_close(pr);
	probe_close(back);
	return rc;
}

static void remove_file(struct platform *p, const char *path, int *recorded, int dir)
{
	if (!*recorded)
		return;
	if ((dir ? rmdir(path) : unlink(path)) && errno != ENOENT) {
		log_err("local platform: cannot remove %s: %s", path, strerror(errno));
		return;
	}
	run_state_release_file(p->st, path);
	*recorded = 0;
}

static void local_destroy(struct platform *p)
{
	if (!p)
		return;
	local_proc_stop(p->st, &p->dut_pid, 0);
	local_proc_stop(p->st, &p->agent_pid, 0);
	remove_file(p, p->sock_path, &p->sock_rec, 0);
	remove_file(p, p->token_path, &p->token_rec, 0);
	local_topo_destroy(p->topo);
	remove_file(p, p->rt_dir, &p->rt_rec, 1);
	local_dut_free(&p->dut);
	free(p);
}

static int local_create(const struct run_cfg *cfg, const char *run_dir, struct run_state *st,
			struct platform **out)
{
	struct platform *p = NULL;
	char err[600];
	uint64_t start = mtime_now_ns();
	int rc;

	*out = NULL;
	if (!run_dir || !*run_dir)
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->st = st;
	p->agent_pid = p->dut_pid = -1;
	rc = run_state_set_platform(st, "local");
	if (rc) {
		log_err("local platform: cannot write the state file: %s", strerror(-rc));
		free(p);
		return rc;
	}
	p->mtu = TOPO_MTU_DEFAULT;
	p->dut_timeout_ns = cfg->dut_timeout_ns ? cfg->dut_timeout_ns : DUT_TIMEOUT_NS;
	snprintf(p->dut_text, sizeof(p->dut_text), "%s", cfg->dut[0] ? cfg->dut : "fwd");
	rc = local_dut_parse(p->dut_text, &p->dut, err, sizeof(err));
	if (rc) {
		log_err("%s", rc == -EINVAL ? err : strerror(-rc));
		free(p);
		return rc;
	}
	snprintf(p->agent_log, sizeof(p->agent_log), "%s/agent.log", run_dir);
	snprintf(p->dut_log, sizeof(p->dut_log), "%s/dut.log", run_dir);
	if (p->dut.kind == RUN_DUT_EXEC && (rc = local_dut_exec_check(p->dut.argv[0])))
		goto fail;
	p->split = cfg->mode != MODE_FRAMES; /* goodput, rr: client and server ends */
	/* fwd's AF_XDP (its default on veths) pins the veths' MTU below a
	 * page: a run with larger frames, or of unknown sizes, keeps the rings. */
	p->fwd_rings = cfg->mode != MODE_FRAMES || !cfg->sizes.n;
	for (unsigned k = 0; k < cfg->sizes.n; k++)
		if (cfg->sizes.v[k] > FWD_XDP_FRAME_MAX)
			p->fwd_rings = 1;
	if (p->dut.kind == RUN_DUT_EXEC && !cfg->dut_as_root &&
	    (rc = local_dut_user(&p->dut_uid, &p->dut_gid, p->dut_user, sizeof(p->dut_user),
				 &p->dut_as_user)))
		goto fail;
	rc = local_topo_create(
	    st, p->dut.kind == RUN_DUT_FWD || p->dut.kind == RUN_DUT_BRIDGE ? TOPO_VETH : TOPO_TAP,
	    p->dut.kind == RUN_DUT_BRIDGE, p->split,
	    cfg->mode == MODE_FRAMES ? cfg->gen_threads : 0, &p->topo);
	if (rc)
		goto fail;
	if (p->dut_as_user && (rc = local_topo_tap_owner(p->topo, p->dut_uid, p->dut_gid)))
		goto fail;
	local_topo_gen_macs(p->topo, p->eth0_mac, p->eth1_mac);
	/* The bridge DUT's core (RPS) is its own: the generator threads go on
	 * the cores before it. Sharing it, a sender's first hop would queue in
	 * the backlog the bridge fills, and the bridge's losses would show as
	 * the generator's send errors. */
	p->gen_cpu = local_topo_dut_core(p->topo) > 0 && cfg->mode == MODE_FRAMES &&
			     cfg->gen_threads <= (unsigned)local_topo_dut_core(p->topo)
			 ? 0
			 : -1;
	/* only the frames mode drives the generator; the other modes' ends are
	 * started through end_spawn() */
	if (agent_wanted && cfg->mode == MODE_FRAMES && (rc = agent_start(p)))
		goto fail;
	rc = dut_start(p);
	if (!rc)
		rc = dut_wait_ready(p);
	if (rc)
		goto fail;
	log_info("local platform: namespace %s, DUT %s ready (%.1f s)",
		 local_topo_netns(p->topo, TOPO_NS_HARNESS), p->dut_text,
		 (double)(mtime_now_ns() - start) / 1e9);
	*out = p;
	return 0;
fail:
	local_destroy(p);
	return rc;
}

static int local_prepare_size(struct platform *p, unsigned frame_size)
{
	unsigned mtu;
	char why[300];
	int rc;

	if (frame_size < UNITS_FRAME_MIN) {
		log_err("local platform: frame size %u B is below the Ethernet minimum of %u B",
			frame_size, UNITS_FRAME_MIN);
		return -EINVAL;
	}
	mtu = frame_size - ETH_OVERHEAD > TOPO_MTU_DEFAULT ? frame_size - ETH_OVERHEAD
							   : TOPO_MTU_DEFAULT;
	if (mtu == p->mtu)
		return 0;
	rc = local_topo_set_mtu(p->topo, mtu, why, sizeof(why));
	if (rc) {
		log_err("local platform: cannot carry %u B frames (MTU %u): %s", frame_size, mtu,
			why);
		return rc;
	}
	p->mtu = mtu;
	return 0;
}

static const char *local_agent_endpoint(struct platform *p)
{
	return p->endpoint;
}

static const char *local_agent_token(struct platform *p)
{
	return p->token;
}

static void local_traffic(struct platform *p, struct tg_tx_params *tx, struct tg_rx_params *rx)
{
	snprintf(tx->dev, sizeof(tx->dev), "eth0");
	memcpy(tx->src_mac, p->eth0_mac, 6);
	memcpy(tx->dst_mac, p->eth1_mac, 6);
	tx->src_ip = 0xc6120001; /* 198.18.0.1 */
	tx->dst_ip = 0xc6130001; /* 198.19.0.1 */
	if (!tx->sport)
		tx->sport = 10000;
	if (!tx->dport)
		tx->dport = 9;
	snprintf(rx->dev, sizeof(rx->dev), "eth1");
	if (tx->cpu < 0)
		tx->cpu = p->gen_cpu;
}

static unsigned local_hops(struct platform *p, struct mon_hop *hops, enum hop_dir *dir,
			   unsigned max)
{
	const char *h = local_topo_netns(p->topo, TOPO_NS_HARNESS);
	const char *g = local_topo_netns(p->topo, TOPO_NS_GEN);
	const char *d = local_topo_netns(p->topo, TOPO_NS_DUT);
	const char *s = local_topo_netns(p->topo, TOPO_NS_SRV);
	const struct {
		const char *label, *ns, *ifname;
		enum hop_dir dir;
	} all[] = {
	    {"gen eth0", g, "eth0", HOP_DIR_TX},
	    {"tap0", h, "tap0", HOP_DIR_TX},
	    {"tap1", h, "tap1", HOP_DIR_RX},
	    {"sink eth1", s, "eth1", HOP_DIR_RX},
	    /* the DUT's side of its ports, when it has a namespace of its own */
	    {"dut tap0", d, "tap0", HOP_DIR_RX},
	    {"dut tap1", d, "tap1", HOP_DIR_TX},
	};
	unsigned n = *d ? 6 : 4, i;

	for (i = 0; i < n && i < max; i++) {
		hops[i].label = all[i].label;
		hops[i].netns = all[i].ns;
		hops[i].ifname = all[i].ifname;
		dir[i] = all[i].dir;
	}
	return i;
}

static int local_dut_check(struct platform *p, char *why, size_t len)
{
	char how[64];
	int status;

	if (!p->dut_gone) {
		if (p->dut_pid <= 0 || !proc_poll(p->dut_pid, &status))
			return 0;
		local_proc_stop(p->st, &p->dut_pid, 1);
		p->dut_gone = 1;
		p->dut_status = status;
	}
	proc_status_str(p->dut_status, how, sizeof(how));
	snprintf(why, len, "DUT %s %s (log: %s)", p->dut_text, how, p->dut_log);
	return -ECHILD;
}

static int local_end_spawn(struct platform *p, enum platform_end end, char *const *argv,
			   const char *log, pid_t *pid)
{
	return spawn(p, local_topo_netns(p->topo, end == END_SERVER ? TOPO_NS_SRV : TOPO_NS_GEN),
		     (char **)argv, log, pid, end == END_SERVER ? "the server end" : "the client end",
		     0 /* iperf3, the harness's own tool: not the DUT */);
}

static void local_end_stop(struct platform *p, pid_t pid, int reaped)
{
	local_proc_stop(p->st, &pid, reaped);
}

static const char *local_end_addr(struct platform *p, enum platform_end end)
{
	return end == END_SERVER ? "198.19.0.1" : "198.18.0.1"; /* TOPO_SERVER_IP, TOPO_CLIENT_IP */
}

/* The DUT's process group (a wrapper script and what it started). */
static int local_dut_sample(struct platform *p, struct dut_sample *s)
{
	static const char *const names[] = {"R", "running", "S", "sleeping", "D", "in a system call",
					    "T", "stopped", "t", "stopped by a tracer"};
	const char *name = "in state";
	char st;
	size_t i;
	int rc;

	if (p->dut_pid <= 0)
		return -ENOENT; /* the kernel bridge, or gone */
	memset(s, 0, sizeof(*s));
	rc = proc_group_cpu(p->dut_pid, &st, &s->cpu_ns);
	if (rc)
		return rc;
	s->at_ns = mtime_now_ns();
	s->busy = st == 'R';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i += 2)
		if (names[i][0] == st)
			name = names[i + 1];
	snprintf(s->state, sizeof(s->state), "%s (%c)", name, st);
	return 0;
}

/* The DUT's stdout and stderr (none for the kernel bridge). */
static const char *local_dut_log(struct platform *p)
{
	return p->dut.kind == RUN_DUT_BRIDGE ? NULL : p->dut_log;
}

const struct platform_ops platform_local_ops = {
    .name = "local",
    .create = local_create,
    .prepare_size = local_prepare_size,
    .agent_endpoint = local_agent_endpoint,
    .agent_token = local_agent_token,
    .traffic = local_traffic,
    .hops = local_hops,
    .dut_check = local_dut_check,
    .dut_log = local_dut_log,
    .dut_sample = local_dut_sample,
    .destroy = local_destroy,
    .cleanup_stale = local_cleanup_stale,
    .end_spawn = local_end_spawn,
    .end_stop = local_end_stop,
    .end_addr = local_end_addr,
    .describe = local_topo_describe,
};
