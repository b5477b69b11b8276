/* The rr mode; see rr.h. Shaped as goodput.c (the same ends, the same
 * waiting), with mir-trafgen rr instead of iperf3. */
#include "harness/measure/rr.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/config/rr_plan.h"
#include "harness/measure/loop.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/proc.h"
#include "lib/units.h"

#define RR_SLICE_NS	    (100 * NSEC_PER_MSEC)
#define RR_DUT_CHECK_NS	    (500 * NSEC_PER_MSEC)
#define RR_SERVER_READY_NS  (10 * NSEC_PER_SEC)
/* Beyond warm-up and duration: the connections, the last transactions'
 * timeout, the server's stats, a busy machine. */
#define RR_CLIENT_MARGIN_NS (20 * NSEC_PER_SEC)
#define RR_DOC_MAX	    (1024 * 1024)
#define RR_SERVER_PORT	    12865 /* trafgen/rr_wire.h RR_PORT */

struct rr {
	const struct point_deps *d;
	struct rr_out *out;
	struct rr_point *plan;
	unsigned n, done;
	char dir[PATH_MAX]; /* RUN_DIR/rr */
	char server_log[PATH_MAX + 16];
	char trafgen[PATH_MAX];
	pid_t server;
	uint64_t last_dut_check_ns;
};

/* One slice of waiting: the stop flag, the DUT every RR_DUT_CHECK_NS. */
static int rr_slice(struct rr *g)
{
	uint64_t now = mtime_now_ns();
	char why[256] = "";
	int rc;

	if (g->d->stopped && g->d->stopped())
		return -EINTR;
	if (now - g->last_dut_check_ns >= RR_DUT_CHECK_NS) {
		g->last_dut_check_ns = now;
		rc = g->d->ops->dut_check(g->d->plat, why, sizeof(why));
		if (rc) {
			log_err("the DUT stopped: %s", why[0] ? why : strerror(-rc));
			return rc;
		}
	}
	mtime_sleep_until(now + RR_SLICE_NS);
	return 0;
}

/* mir-trafgen beside our own binary, as the local platform finds it. */
static int trafgen_exe(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n < 0)
		return -errno;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	return snprintf(buf, len, "%s/mir-trafgen", self) >= (int)len ? -ENAMETOOLONG : 0;
}

/* The server listens once its socket is in LISTEN in its own namespace's
 * table (/proc/PID/net/tcp is the namespace of PID). */
static int server_listening(pid_t pid, const char *ip)
{
	char path[64], line[256], want[32];
	unsigned a, b, c, d;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/tcp", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (sscanf(ip, "%u.%u.%u.%u", &a, &b, &c, &d) != 4) {
		fclose(f);
		return 0;
	}
	/* the kernel prints the address as a little-endian word, the port in hex */
	snprintf(want, sizeof(want), "%02X%02X%02X%02X:%04X 00000000:0000 0A", d, c, b, a,
		 RR_SERVER_PORT);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, want) != NULL;
	fclose(f);
	return found;
}

static void first_line(const char *path, char *out, size_t len)
{
	char buf[400];
	ssize_t n;
	int fd;

	out[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(out, len, "%.200s", buf);
}

static int server_start(struct rr *g)
{
	const struct point_deps *d = g->d;
	const char *ip = d->ops->end_addr(d->plat, END_SERVER);
	char listen[32], how[64], why[256];
	char *argv[] = {g->trafgen, "rr", "server", "--listen", listen, NULL};
	uint64_t deadline;
	int rc, status;

	snprintf(listen, sizeof(listen), "%s:%u", ip, RR_SERVER_PORT);
	snprintf(g->server_log, sizeof(g->server_log), "%s/server.log", g->dir);
	rc = d->ops->end_spawn(d->plat, END_SERVER, argv, g->server_log, &g->server);
	if (rc)
		return rc;
	deadline = mtime_now_ns() + RR_SERVER_READY_NS;
	while (!server_listening(g->server, ip)) {
		if (proc_poll(g->server, &status)) {
			d->ops->end_stop(d->plat, g->server, 1);
			g->server = -1;
			proc_status_str(status, how, sizeof(how));
			first_line(g->server_log, why, sizeof(why));
			log_err("the rr server %s: %s (log: %s)", how, why, g->server_log);
			return -ECHILD;
		}
		if (mtime_now_ns() > deadline) {
			log_err("the rr server did not listen on %s within %llu s (log: %s)", listen,
				(unsigned long long)(RR_SERVER_READY_NS / NSEC_PER_SEC),
				g->server_log);
			return -ETIMEDOUT;
		}
		rc = rr_slice(g);
		if (rc)
			return rc;
	}
	return 0;
}

static int read_doc(const char *path, char **out)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size > RR_DOC_MAX) {
		close(fd);
		return -EFBIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	n = pread(fd, buf, (size_t)st.st_size, 0);
	if (n < 0)
		rc = -errno;
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

static uint64_t delta(uint64_t before, uint64_t after)
{
	return after >= before ? after - before : after;
}

/* Counters of every hop over the client's run, both ways. */
static void fill_hops(const struct rr *g, const struct mon_counters *b,
		      const struct mon_counters *a, struct rr_row *row)
{
	unsigned h;

	for (h = 0; h < HOP_COUNT; h++) {
		int tx = g->d->dir[h] == HOP_DIR_TX;

		row->hop[h].packets = delta(tx ? b[h].tx_packets : b[h].rx_packets,
					    tx ? a[h].tx_packets : a[h].rx_packets);
		row->hop[h].bytes =
		    delta(tx ? b[h].tx_bytes : b[h].rx_bytes, tx ? a[h].tx_bytes : a[h].rx_bytes);
		row->hop[h].back_packets = delta(tx ? b[h].rx_packets : b[h].tx_packets,
						 tx ? a[h].rx_packets : a[h].tx_packets);
		row->hop[h].back_bytes =
		    delta(tx ? b[h].rx_bytes : b[h].tx_bytes, tx ? a[h].rx_bytes : a[h].tx_bytes);
	}
}

/* Run the client to its end (or stop it), its output in doc. */
static int client_run(struct rr *g, const struct rr_point *pt, const char *doc, int *status)
{
	const struct point_deps *d = g->d;
	const struct run_cfg *cfg = d->cfg;
	char conn[32], size[32], conns[16], dur[32], warm[32], tmo[32];
	char *argv[] = {g->trafgen, "rr",	"client",    "--connect", conn,	    "--size",
			size,	    "--conns",	conns,	     "--duration", dur,	    "--warmup",
			warm,	    "--timeout", tmo,	     "--json",	   NULL};
	uint64_t deadline = mtime_now_ns() + cfg->warmup_ns + cfg->duration_ns +
			    cfg->rr_timeout_ns + RR_CLIENT_MARGIN_NS;
	pid_t pid = -1;
	int rc;

	snprintf(conn, sizeof(conn), "%s:%u", d->ops->end_addr(d->plat, END_SERVER),
		 RR_SERVER_PORT);
	snprintf(size, sizeof(size), "%u/%u", pt->req, pt->resp);
	snprintf(conns, sizeof(conns), "%u", pt->conns);
	/* whole microseconds: trafgen's durations take "us" */
	snprintf(dur, sizeof(dur), "%lluus", (unsigned long long)(cfg->duration_ns / 1000));
	snprintf(warm, sizeof(warm), "%lluus", (unsigned long long)(cfg->warmup_ns / 1000));
	snprintf(tmo, sizeof(tmo), "%lluus", (unsigned long long)(cfg->rr_timeout_ns / 1000));
	rc = d->ops->end_spawn(d->plat, END_CLIENT, argv, doc, &pid);
	if (rc)
		return rc;
	for (;;) {
		if (proc_poll(pid, status)) {
			d->ops->end_stop(d->plat, pid, 1);
			return 0;
		}
		if (mtime_now_ns() > deadline) {
			log_err("the rr client did not finish within %llu s of its planned end "
				"(its output: %s)",
				(unsigned long long)(RR_CLIENT_MARGIN_NS / NSEC_PER_SEC), doc);
			rc = -ETIMEDOUT;
			break;
		}
		rc = rr_slice(g);
		if (rc)
			break;
	}
	d->ops->end_stop(d->plat, pid, 0);
	return rc;
}

static void progress(const struct rr_row *row)
{
	char tps[32];

	units_fmt_pps(tps, sizeof(tps), row->r.tps);
	/* units_fmt_pps says "pps": these are transactions */
	tps[strcspn(tps, "p")] = '\0';
	fprintf(stderr,
		"         %s transactions/s  latency p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f us"
		"%s\n",
		tps, row->r.lat_p50 / 1e3, row->r.lat_p99 / 1e3, row->r.lat_p999 / 1e3,
		row->r.lat_max / 1e3,
		row->r.timed_out || row->r.failed ? "  (some timed out or failed)" : "");
}

static int rr_point_run(void *ctx, unsigned i)
{
	struct rr *g = ctx;
	const struct point_deps *d = g->d;
	const struct rr_point *pt = &g->plan[i];
	struct mon_counters before[HOP_COUNT], after[HOP_COUNT];
	char doc[PATH_MAX + 32], tag[16], err[512], how[64], *text = NULL;
	struct rr_row row;
	int rc, status = 0;

	memset(&row, 0, sizeof(row));
	row.index = i + 1;
	row.pt = *pt;
	snprintf(doc, sizeof(doc), "%s/point-%u.json", g->dir, i + 1);
	snprintf(tag, sizeof(tag), "%u", i + 1);
	monitor_set_tag(d->mon, tag);
	rc = monitor_read_now(d->mon, before, HOP_COUNT);
	if (!rc) {
		rc = client_run(g, pt, doc, &status);
		if (rc)
			return rc;
		rc = monitor_read_now(d->mon, after, HOP_COUNT);
	}
	if (rc) {
		log_err("point %u: reading the interface counters: %s", i + 1, strerror(-rc));
		return rc;
	}
	fill_hops(g, before, after, &row);
	rc = read_doc(doc, &text);
	if (!rc)
		rc = rr_result_parse(text, &row.r, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "cannot read it: %s", strerror(-rc));
	if (rc || !WIFEXITED(status) || WEXITSTATUS(status)) {
		char line[256];

		proc_status_str(status, how, sizeof(how));
		first_line(doc, line, sizeof(line));
		log_err("point %u: the rr client %s: %s (its output: %s)", i + 1, how,
			!WIFEXITED(status) || WEXITSTATUS(status) ? line : err, doc);
		free(text);
		return rc ? rc : -EPROTO;
	}
	free(text);
	rc = rr_out_add(g->out, &row);
	if (rc) {
		log_err("point %u: writing rr.csv/.json in %s: %s", i + 1, d->run_dir,
			strerror(-rc));
		return rc;
	}
	g->done++;
	if (!d->cfg->quiet)
		progress(&row);
	/* The settle gap: what is still queued drains before the next point. */
	{
		uint64_t until = mtime_now_ns() + d->cfg->settle_ns;

		while (mtime_now_ns() < until)
			if ((rc = rr_slice(g)))
				return rc;
	}
	return 0;
}

static void rr_describe(void *ctx, unsigned i, char *buf, size_t len)
{
	const struct rr *g = ctx;

	rr_point_text(buf, len, &g->plan[i]);
}

int rr_run(const struct point_deps *d, struct rr_out *out, unsigned *done)
{
	const struct run_cfg *cfg = d->cfg;
	struct rr g = {.d = d, .out = out, .server = -1};
	struct measure_loop l = {
	    .planned_point_ns = cfg->warmup_ns + cfg->duration_ns + cfg->settle_ns,
	    .quiet = cfg->quiet,
	    .stopped = d->stopped,
	    .ctx = &g,
	    .describe = rr_describe,
	    .point = rr_point_run,
	};
	int rc;

	*done = 0;
	if (!d->ops->end_spawn || !d->ops->end_stop || !d->ops->end_addr) {
		log_err("the %s platform cannot run the rr mode's ends", d->ops->name);
		return -EOPNOTSUPP;
	}
	rc = trafgen_exe(g.trafgen, sizeof(g.trafgen));
	if (rc) {
		log_err("cannot find mir-trafgen beside mir-perf: %s", strerror(-rc));
		return rc;
	}
	rc = rr_plan(cfg, &g.plan, &g.n);
	if (rc) {
		log_err("cannot plan the rr points: %s", strerror(-rc));
		return rc;
	}
	snprintf(g.dir, sizeof(g.dir), "%s/rr", d->run_dir);
	if (mkdir(g.dir, 0755) && errno != EEXIST) {
		rc = -errno;
		log_err("cannot create %s: %s", g.dir, strerror(-rc));
		goto out;
	}
	g.last_dut_check_ns = l.start_ns = mtime_now_ns();
	l.n = g.n;
	rc = server_start(&g);
	if (!rc)
		rc = measure_loop_run(&l);
out:
	if (g.server > 0)
		d->ops->end_stop(d->plat, g.server, 0);
	*done = g.done;
	free(g.plan);
	return rc;
}
