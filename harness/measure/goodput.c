/* The goodput mode; see goodput.h. */
#include "harness/measure/goodput.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/config/goodput_plan.h"
#include "harness/measure/iperf3.h"
#include "harness/measure/loop.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/proc.h"
#include "lib/units.h"

#define GP_SLICE_NS	    (100 * NSEC_PER_MSEC)
#define GP_SERVER_READY_NS  (10 * NSEC_PER_SEC)
/* Beyond warm-up and duration: connecting (--connect-timeout 5 s), iperf3's
 * exchange of results, a busy machine. */
#define GP_CLIENT_MARGIN_NS (20 * NSEC_PER_SEC)
#define GP_DOC_MAX	    (16 * 1024 * 1024)

struct goodput {
	const struct point_deps *d;
	struct goodput_out *out; /* goodput.csv/.json */
	struct goodput_point *plan;
	unsigned n, done;
	char dir[PATH_MAX];	/* RUN_DIR/iperf3 */
	char server_log[PATH_MAX + 16];
	pid_t server;
	struct point *point; /* its waits watch the stop flag and the DUT */
};

/* One slice of waiting: the stop flag, the DUT (point.h). */
static int gp_slice(struct goodput *g)
{
	return point_wait_until(g->point, mtime_now_ns() + GP_SLICE_NS);
}

/* The server listens once its socket on 198.19.0.1:5201 is in LISTEN in its
 * own namespace's table (/proc/PID/net/tcp is the namespace of PID). */
static int server_listening(pid_t pid)
{
	char path[64], line[256], want[32];
	unsigned a, b, c, d;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/tcp", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	sscanf("198.19.0.1", "%u.%u.%u.%u", &a, &b, &c, &d);
	/* the kernel prints the address as a little-endian word, the port in hex */
	snprintf(want, sizeof(want), "%02X%02X%02X%02X:%04X 00000000:0000 0A", d, c, b, a,
		 IPERF3_PORT);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, want) != NULL;
	fclose(f);
	return found;
}

/* Has the end ended? The platform's end_poll for ends it runs elsewhere
 * (xen: in the guest), else our child's exit: 1, 0, or a negative errno. */
static int end_ended(const struct goodput *g, pid_t pid, int *status)
{
	const struct point_deps *d = g->d;

	return d->ops->end_poll ? d->ops->end_poll(d->plat, pid, status) : proc_poll(pid, status);
}

static int end_listens(const struct goodput *g, pid_t pid)
{
	const struct point_deps *d = g->d;

	return d->ops->end_listening ? d->ops->end_listening(d->plat, pid, IPERF3_PORT)
				     : server_listening(pid);
}

static void tail_of(const char *path, char *out, size_t len)
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

static int server_start(struct goodput *g)
{
	const struct point_deps *d = g->d;
	char *argv[32], buf[128], why[256];
	uint64_t deadline;
	int rc, status;

	rc = iperf3_server_argv(d->ops->end_addr(d->plat, END_SERVER), IPERF3_PORT, argv, buf,
				sizeof(buf));
	if (rc)
		return rc;
	snprintf(g->server_log, sizeof(g->server_log), "%s/server.log", g->dir);
	rc = d->ops->end_spawn(d->plat, END_SERVER, argv, g->server_log, &g->server);
	if (rc)
		return rc;
	deadline = mtime_now_ns() + GP_SERVER_READY_NS;
	while (!end_listens(g, g->server)) {
		rc = end_ended(g, g->server, &status);
		if (rc < 0)
			return rc;
		if (rc) {
			d->ops->end_stop(d->plat, g->server, 1);
			g->server = -1;
			proc_status_str(status, buf, sizeof(buf));
			tail_of(g->server_log, why, sizeof(why));
			log_err("the iperf3 server %s: %s (log: %s)", buf, why, g->server_log);
			return -ECHILD;
		}
		if (mtime_now_ns() > deadline) {
			log_err("the iperf3 server did not listen on %s:%u within %llu s (log: %s)",
				d->ops->end_addr(d->plat, END_SERVER), IPERF3_PORT,
				(unsigned long long)(GP_SERVER_READY_NS / NSEC_PER_SEC),
				g->server_log);
			return -ETIMEDOUT;
		}
		rc = gp_slice(g);
		if (rc)
			return rc;
	}
	return 0;
}

/* The whole document the client wrote. */
static int read_doc(const char *path, char **out)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size > GP_DOC_MAX) {
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

/* Counters of every hop over the client's run: the data's way is the counter
 * platform_ops.hops named, the way back the other one. */
static void fill_hops(const struct goodput *g, const struct mon_counters *b,
		      const struct mon_counters *a, struct goodput_row *row)
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

/* Run the client to its end (or stop it), leaving its document in doc. */
static int client_run(struct goodput *g, const struct goodput_point *pt, const char *doc,
		      int *status)
{
	const struct point_deps *d = g->d;
	const struct run_cfg *cfg = d->cfg;
	struct iperf3_client_args a = {
	    .server_ip = d->ops->end_addr(d->plat, END_SERVER),
	    .port = IPERF3_PORT,
	    .udp = pt->udp,
	    .bufsz = pt->bufsz,
	    .streams = pt->streams,
	    /* iperf3's -b is per stream; a point's bitrate is the whole point's */
	    .bitrate_bps = (pt->bitrate + pt->streams / 2) / pt->streams,
	    .seconds = (unsigned)(cfg->duration_ns / NSEC_PER_SEC),
	    .omit = (unsigned)(cfg->warmup_ns / NSEC_PER_SEC),
	};
	uint64_t deadline = mtime_now_ns() + cfg->warmup_ns + cfg->duration_ns + GP_CLIENT_MARGIN_NS;
	char *argv[32], buf[256];
	pid_t pid = -1;
	int rc;

	rc = iperf3_client_argv(&a, argv, buf, sizeof(buf));
	if (!rc)
		rc = d->ops->end_spawn(d->plat, END_CLIENT, argv, doc, &pid);
	if (rc)
		return rc;
	for (;;) {
		rc = end_ended(g, pid, status);
		if (rc > 0) {
			d->ops->end_stop(d->plat, pid, 1);
			return 0;
		}
		if (rc < 0)
			break;
		if (mtime_now_ns() > deadline) {
			log_err("the iperf3 client did not finish within %llu s of its planned end "
				"(its document: %s)",
				(unsigned long long)(GP_CLIENT_MARGIN_NS / NSEC_PER_SEC), doc);
			rc = -ETIMEDOUT;
			break;
		}
		rc = gp_slice(g);
		if (rc)
			break;
	}
	d->ops->end_stop(d->plat, pid, 0);
	return rc;
}

static int gp_point(void *ctx, unsigned i)
{
	struct goodput *g = ctx;
	const struct point_deps *d = g->d;
	const struct goodput_point *pt = &g->plan[i];
	struct mon_counters before[HOP_COUNT], after[HOP_COUNT];
	struct goodput_row row;
	char doc[PATH_MAX + 32], tag[16], err[512], how[64], *text = NULL;
	int rc, status = 0;

	memset(&row, 0, sizeof(row));
	row.index = i + 1;
	row.pt = *pt;
	snprintf(doc, sizeof(doc), "%s/point-%u.json", g->dir, i + 1);
	snprintf(tag, sizeof(tag), "%u", i + 1);
	monitor_set_tag(d->mon, tag);
	rc = monitor_read_now(d->mon, before, HOP_COUNT);
	if (rc) {
		log_err("point %u: reading the interface counters: %s", i + 1, strerror(-rc));
		return rc;
	}
	rc = client_run(g, pt, doc, &status);
	if (rc)
		return rc;
	rc = monitor_read_now(d->mon, after, HOP_COUNT);
	if (rc) {
		log_err("point %u: reading the interface counters: %s", i + 1, strerror(-rc));
		return rc;
	}
	fill_hops(g, before, after, &row);
	rc = read_doc(doc, &text);
	if (!rc)
		rc = iperf3_parse(text, &row.r, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "cannot read it: %s", strerror(-rc));
	free(text);
	if (rc || !WIFEXITED(status) || WEXITSTATUS(status)) {
		proc_status_str(status, how, sizeof(how));
		log_err("point %u: the iperf3 client %s: %s (its output: %s)", i + 1, how,
			rc ? err : "no error in its document", doc);
		return rc ? rc : -EPROTO;
	}
	if (row.r.warning[0])
		log_warn("point %u: iperf3 said: %s", i + 1, row.r.warning);
	rc = goodput_out_add(g->out, &row);
	if (rc) {
		log_err("point %u: writing goodput.csv/.json in %s: %s", i + 1, d->run_dir,
			strerror(-rc));
		return rc;
	}
	g->done++;
	if (!d->cfg->quiet) {
		char gp[32];

		units_fmt_bps(gp, sizeof(gp), row.r.goodput_bps);
		if (pt->udp)
			fprintf(stderr, "         goodput %s  loss %.3f %%  jitter %.3f ms\n", gp,
				row.r.lost_pct, row.r.jitter_ms);
		else
			fprintf(stderr, "         goodput %s  retransmits %llu\n", gp,
				(unsigned long long)row.r.retransmits);
	}
	/* The settle gap: what is still queued drains before the next point. */
	return point_wait_until(g->point, mtime_now_ns() + d->cfg->settle_ns);
}

static void gp_describe(void *ctx, unsigned i, char *buf, size_t len)
{
	const struct goodput *g = ctx;

	goodput_point_text(buf, len, &g->plan[i]);
}

int goodput_run(const struct point_deps *d, struct goodput_out *out, unsigned *done)
{
	const struct run_cfg *cfg = d->cfg;
	struct goodput g = {.d = d, .out = out, .server = -1};
	struct measure_loop l = {
	    .planned_point_ns = cfg->warmup_ns + cfg->duration_ns + cfg->settle_ns,
	    .quiet = cfg->quiet,
	    .stopped = d->stopped,
	    .ctx = &g,
	    .describe = gp_describe,
	    .point = gp_point,
	};
	int rc;

	*done = 0;
	if (!d->ops->end_spawn || !d->ops->end_stop || !d->ops->end_addr) {
		log_err("the %s platform cannot run the goodput mode's ends", d->ops->name);
		return -EOPNOTSUPP;
	}
	rc = goodput_plan(cfg, &g.plan, &g.n);
	if (rc) {
		log_err("cannot plan the goodput points: %s", strerror(-rc));
		return rc;
	}
	snprintf(g.dir, sizeof(g.dir), "%s/iperf3", d->run_dir);
	if (mkdir(g.dir, 0755) && errno != EEXIST) {
		rc = -errno;
		log_err("cannot create %s: %s", g.dir, strerror(-rc));
		goto out;
	}
	rc = point_new(d, &g.point);
	if (rc)
		goto out;
	l.start_ns = mtime_now_ns();
	l.n = g.n;
	rc = server_start(&g);
	if (!rc)
		rc = measure_loop_run(&l);
out:
	if (g.server > 0)
		d->ops->end_stop(d->plat, g.server, 0);
	*done = g.done;
	point_free(g.point);
	free(g.plan);
	return rc;
}
