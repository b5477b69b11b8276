/* The ends of the two-ended modes; see ends.h. */
#include "harness/measure/ends.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/measure/verdict.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/proc.h"

#define ENDS_SLICE_NS	     (100 * NSEC_PER_MSEC)
#define ENDS_SERVER_READY_NS (10 * NSEC_PER_SEC)
/* Beyond the client's planned run: connecting, the exchange of results, the
 * last transactions, a busy machine. */
#define ENDS_CLIENT_MARGIN_NS (20 * NSEC_PER_SEC)

int ends_supported(const struct point_deps *d, const char *mode)
{
	if (d->ops->end_spawn && d->ops->end_stop && d->ops->end_addr)
		return 0;
	log_err("the %s platform cannot run the %s mode's ends", d->ops->name, mode);
	return -EOPNOTSUPP;
}

int ends_open(struct ends *e, const struct point_deps *d, const char *what, const char *sub)
{
	int rc;

	e->d = d;
	e->what = what;
	e->server = -1;
	e->point = NULL;
	snprintf(e->dir, sizeof(e->dir), "%s/%s", d->run_dir, sub);
	if (mkdir(e->dir, 0755) && errno != EEXIST) {
		rc = -errno;
		log_err("cannot create %s: %s", e->dir, strerror(-rc));
		return rc;
	}
	return point_new(d, &e->point);
}

void ends_close(struct ends *e)
{
	if (e->server > 0)
		e->d->ops->end_stop(e->d->plat, e->server, 0);
	e->server = -1;
	point_free(e->point);
	e->point = NULL;
}

int ends_run(struct ends *e, const struct point_deps *d, const char *what, const char *sub,
	     int (*server_start)(void *ctx), struct measure_loop *l)
{
	const struct run_cfg *cfg = d->cfg;
	int rc;

	l->planned_point_ns = cfg->warmup_ns + cfg->duration_ns + cfg->settle_ns;
	l->quiet = cfg->quiet;
	l->stopped = d->stopped;
	rc = ends_open(e, d, what, sub);
	if (rc)
		goto out;
	l->start_ns = mtime_now_ns();
	rc = server_start(l->ctx);
	if (!rc)
		rc = measure_loop_run(l);
out:
	ends_close(e);
	return rc;
}

/* One slice of waiting (100 ms): the stop flag, the DUT (point.h). */
static int ends_slice(struct ends *e)
{
	return point_wait_until(e->point, mtime_now_ns() + ENDS_SLICE_NS);
}

/* The server listens once its socket on ip:port is in LISTEN in its own
 * namespace's table (/proc/PID/net/tcp is the namespace of PID). */
static int server_listening(pid_t pid, const char *ip, unsigned port)
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
	snprintf(want, sizeof(want), "%02X%02X%02X%02X:%04X 00000000:0000 0A", d, c, b, a, port);
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, want) != NULL;
	fclose(f);
	return found;
}

/* Has the end ended? The platform's end_poll for ends it runs elsewhere
 * (xen: in the guest), else our child's exit: 1, 0, or a negative errno. */
static int end_ended(const struct ends *e, pid_t pid, int *status)
{
	const struct point_deps *d = e->d;

	return d->ops->end_poll ? d->ops->end_poll(d->plat, pid, status) : proc_poll(pid, status);
}

static int end_listens(const struct ends *e, pid_t pid, unsigned port)
{
	const struct point_deps *d = e->d;

	return d->ops->end_listening
		   ? d->ops->end_listening(d->plat, pid, port)
		   : server_listening(pid, d->ops->end_addr(d->plat, END_SERVER), port);
}

void ends_first_line(const char *path, char *out, size_t len)
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

int ends_server_start(struct ends *e, char **argv, unsigned port)
{
	const struct point_deps *d = e->d;
	char how[128], why[256];
	uint64_t deadline;
	int rc, status;

	snprintf(e->server_log, sizeof(e->server_log), "%s/server.log", e->dir);
	rc = d->ops->end_spawn(d->plat, END_SERVER, argv, e->server_log, &e->server);
	if (rc)
		return rc;
	deadline = mtime_now_ns() + ENDS_SERVER_READY_NS;
	while (!end_listens(e, e->server, port)) {
		rc = end_ended(e, e->server, &status);
		if (rc < 0)
			return rc;
		if (rc) {
			d->ops->end_stop(d->plat, e->server, 1);
			e->server = -1;
			proc_status_str(status, how, sizeof(how));
			ends_first_line(e->server_log, why, sizeof(why));
			log_err("the %s server %s: %s (log: %s)", e->what, how, why, e->server_log);
			return -ECHILD;
		}
		if (mtime_now_ns() > deadline) {
			log_err("the %s server did not listen on %s:%u within %llu s (log: %s)",
				e->what, d->ops->end_addr(d->plat, END_SERVER), port,
				(unsigned long long)(ENDS_SERVER_READY_NS / NSEC_PER_SEC),
				e->server_log);
			return -ETIMEDOUT;
		}
		rc = ends_slice(e);
		if (rc)
			return rc;
	}
	return 0;
}

/* Run the client to its end or stop it; its output in doc. */
static int client_run(struct ends *e, char **argv, const char *doc, uint64_t planned_ns,
		      const char *doc_name, int *status)
{
	const struct point_deps *d = e->d;
	uint64_t deadline = mtime_now_ns() + planned_ns + ENDS_CLIENT_MARGIN_NS;
	pid_t pid = -1;
	int rc;

	rc = d->ops->end_spawn(d->plat, END_CLIENT, argv, doc, &pid);
	if (rc)
		return rc;
	for (;;) {
		rc = end_ended(e, pid, status);
		if (rc > 0) {
			d->ops->end_stop(d->plat, pid, 1);
			return 0;
		}
		if (rc < 0)
			break;
		if (mtime_now_ns() > deadline) {
			char dut[720] = "";

			/* a client stuck on a path through a DUT: what the DUT does */
			if (e->point)
				point_dut_state(e->point, dut, sizeof(dut));
			log_err("the %s client did not finish within %llu s of its planned end "
				"(%s: %s)%s",
				e->what, (unsigned long long)(ENDS_CLIENT_MARGIN_NS / NSEC_PER_SEC),
				doc_name, doc, dut);
			rc = -ETIMEDOUT;
			break;
		}
		rc = ends_slice(e);
		if (rc)
			break;
	}
	d->ops->end_stop(d->plat, pid, 0);
	return rc;
}

static uint64_t delta(uint64_t before, uint64_t after)
{
	return after >= before ? after - before : after;
}

/* Hop h's deltas: the way of the path's frames (the counter platform_ops.hops
 * named) and the way back (the other one). */
static void hop_fill(const struct point_deps *d, const struct mon_counters *b,
		     const struct mon_counters *a, unsigned h, struct hop_delta *out)
{
	int tx = d->dir[h] == HOP_DIR_TX;

	out->packets =
	    delta(tx ? b->tx_packets : b->rx_packets, tx ? a->tx_packets : a->rx_packets);
	out->bytes = delta(tx ? b->tx_bytes : b->rx_bytes, tx ? a->tx_bytes : a->rx_bytes);
	out->back_packets =
	    delta(tx ? b->rx_packets : b->tx_packets, tx ? a->rx_packets : a->tx_packets);
	out->back_bytes = delta(tx ? b->rx_bytes : b->tx_bytes, tx ? a->rx_bytes : a->tx_bytes);
}

int ends_client_run(struct ends *e, unsigned index, char **argv, const char *doc,
		    uint64_t planned_ns, const char *doc_name, int *status,
		    struct hop_delta hop[HOP_COUNT])
{
	const struct point_deps *d = e->d;
	struct mon_counters before[HOP_COUNT], after[HOP_COUNT];
	char tag[16];
	unsigned h;
	int rc;

	snprintf(tag, sizeof(tag), "%u", index);
	monitor_set_tag(d->mon, tag);
	rc = monitor_read_now(d->mon, before, HOP_COUNT);
	if (!rc) {
		rc = client_run(e, argv, doc, planned_ns, doc_name, status);
		if (rc)
			return rc;
		rc = monitor_read_now(d->mon, after, HOP_COUNT);
	}
	if (rc) {
		log_err("point %u: reading the interface counters: %s", index, strerror(-rc));
		return rc;
	}
	for (h = 0; h < HOP_COUNT; h++)
		hop_fill(d, &before[h], &after[h], h, &hop[h]);
	return 0;
}

void ends_dut_words(struct ends *e, const struct hop_delta hop[HOP_COUNT], char *buf,
		    size_t len)
{
	char state[720];
	int way = verdict_ends_dut_stopped(hop);

	buf[0] = '\0';
	if (!way)
		return;
	state[0] = '\0';
	if (e->point)
		point_dut_state(e->point, state, sizeof(state));
	/* server = dut: the platform's dut_out is the DUT's own answers (xen_hops) */
	if (run_cfg_dut_serves(e->d->cfg))
		snprintf(buf, len,
			 "; the DUT, the server, answered none of the %llu frames sent towards it "
			 "(it took %llu in)%s",
			 (unsigned long long)hop[HOP_GEN_TX].packets,
			 (unsigned long long)hop[HOP_DUT_IN].packets, state);
	else if (way == VERDICT_ENDS_OUT)
		snprintf(buf, len,
			 "; none of the %llu frames sent towards the DUT came out of it (it took "
			 "%llu in)%s",
			 (unsigned long long)hop[HOP_GEN_TX].packets,
			 (unsigned long long)hop[HOP_DUT_IN].packets, state);
	else
		snprintf(buf, len,
			 "; none of the %llu frames the server sent back towards the DUT came out "
			 "of it%s",
			 (unsigned long long)hop[HOP_DUT_OUT].back_packets, state);
}
