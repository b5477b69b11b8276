/* stats, stats.csv, stats.json of a run directory; see results.h. */
#include "harness/output/results.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "harness/measure/search.h"
#include "harness/output/flags.h"
#include "harness/output/knee.h"
#include "lib/atomic_file.h"
#include "lib/json.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "lib/vec.h"

struct results {
	char dir[PATH_MAX]; /* for messages; files are reached through dirfd */
	int dirfd;
	struct results_meta meta;
	const struct run_cfg *cfg;
	int stats_fd, csv_fd;
	FILE *samples;
	struct results_point *points;
	unsigned n, cap;
};

static const char *const hop_key[HOP_COUNT] = {"gen_tx", "dut_in", "dut_out", "sink_rx"};

double results_loss_pct(const struct results_point *p)
{
	if (!p->sent || p->flags & RESULTS_GEN_FAILED)
		return NAN;
	if (p->received >= p->sent)
		return 0.0;
	return 100.0 * (double)(p->sent - p->received) / (double)p->sent;
}

double results_sink_mbps(const struct results_point *p)
{
	return units_l2_bps(p->hop[HOP_SINK_RX].pps, p->size) / 1e6;
}

int results_loss_free(const struct results_point *p)
{
	double loss = results_loss_pct(p);

	return !isnan(loss) && loss <= RESULTS_LOSS_FREE_PCT;
}

static void copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* "model name : Intel(R) Xeon(R) ..." from /proc/cpuinfo (first CPU). */
static void cpu_model(char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "re");

	copy_str(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) || !colon)
			continue;
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		colon[strcspn(colon, "\n")] = '\0';
		copy_str(buf, len, colon);
		break;
	}
	fclose(f);
}

static void meta_set_backend(struct results_meta *m, const char *backend)
{
	copy_str(m->backend, sizeof(m->backend), backend);
	snprintf(m->generator, sizeof(m->generator), "%u thread%s, %s", m->gen_threads,
		 m->gen_threads == 1 ? "" : "s", m->backend);
}

void results_set_backend(struct results *r, const char *backend)
{
	meta_set_backend(&r->meta, backend);
}

void results_meta_collect(struct results_meta *m, const struct run_cfg *cfg, const char *platform,
			  uint64_t start_ns)
{
	struct utsname u;

	memset(m, 0, sizeof(*m));
	copy_str(m->version, sizeof(m->version), MP_VERSION);
	if (uname(&u) == 0)
		snprintf(m->kernel, sizeof(m->kernel), "%s %s %s", u.sysname, u.release, u.machine);
	else
		copy_str(m->kernel, sizeof(m->kernel), "unknown");
	cpu_model(m->cpu, sizeof(m->cpu));
	copy_str(m->library, sizeof(m->library), cfg->library);
	copy_str(m->commit, sizeof(m->commit), cfg->commit);
	copy_str(m->dut, sizeof(m->dut), cfg->dut);
	copy_str(m->platform, sizeof(m->platform), platform);
	m->gen_threads = cfg->gen_threads ? cfg->gen_threads : 1;
	meta_set_backend(m, "auto");
	m->start_ns = start_ns;
	copy_str(m->status, sizeof(m->status), "running");
}

/* Write all of buf (one row: a single write on an O_APPEND fd) and make it durable. */
static int write_durable(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += w;
		len -= (size_t)w;
	}
	return fsync(fd) ? -errno : 0;
}

static int appendf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int appendf(int fd, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -EOVERFLOW;
	return write_durable(fd, buf, (size_t)n);
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static int stats_header(struct results *r)
{
	const struct results_meta *m = &r->meta;
	char date[32];

	mtime_fmt_utc(date, sizeof(date), m->start_ns, 1);
	return appendf(r->stats_fd,
		       "# mir-perf %s\n"
		       "# library %s  commit %s  dut %s  platform %s\n"
		       "# date %s  kernel %s  cpu %s\n"
		       "# size: frame with FCS; pps: frames per second (target: asked, offered: "
		       "really sent);\n"
		       "# offered, DUT in/out, sink rx: kernel counters of gen eth0 tx, tap0 tx, "
		       "tap1 rx, sink eth1 rx, all in one window;\n"
		       "# Mbit/s: sink rx at layer 2 with FCS; loss: (sent - received) / sent; "
		       "latency: one way\n"
		       "#%5s %10s %10s %10s %10s %10s %9s %8s %9s %9s\n"
		       "#%5s %10s %10s %10s %10s %10s %9s %8s %9s %9s\n",
		       m->version, or_dash(m->library), or_dash(m->commit), m->dut, m->platform,
		       date, m->kernel, m->cpu, "size", "target", "offered", "DUT in", "DUT out",
		       "sink rx", "sink", "loss", "lat p50", "lat p99", "B", "pps", "pps", "pps",
		       "pps", "pps", "Mbit/s", "%", "us", "us");
}

static const char csv_columns[] =
    "point,trial,size,target_pps,offered_pps,window_s,sent,send_errors,received,lost,"
    "reordered,duplicated,sink_ring_drops,loss_pct,sink_mbps,"
    "gen_tx_pps,dut_in_pps,dut_out_pps,sink_rx_pps,"
    "gen_tx_pkts,gen_tx_drops,dut_in_pkts,dut_in_drops,dut_out_pkts,dut_out_drops,"
    "sink_rx_pkts,sink_rx_drops,"
    "lat_min_us,lat_mean_us,lat_p50_us,lat_p90_us,lat_p99_us,lat_p999_us,lat_max_us,"
    "settled,agent_offered_pps,flags,dut_stopped_after,rate,gen_point_pps\n";

static void fmt_target(char *buf, size_t len, uint64_t target)
{
	if (target == UNITS_RATE_MAX)
		copy_str(buf, len, "max");
	else
		snprintf(buf, len, "%llu", (unsigned long long)target);
}

/* %.*f, or "-" for NaN (nothing measured). */
static void fmt_num(char *buf, size_t len, double v, int decimals)
{
	if (isnan(v))
		copy_str(buf, len, "-");
	else
		snprintf(buf, len, "%.*f", decimals, v);
}

static int stats_row(struct results *r, const struct results_point *p)
{
	char target[24], loss[24], p50[24], p99[24], flags[512], note[600] = "";
	int have_lat = p->received > 0;

	fmt_target(target, sizeof(target), p->target_pps);
	fmt_num(loss, sizeof(loss), results_loss_pct(p), 3);
	fmt_num(p50, sizeof(p50), have_lat ? p->lat_p50_us : NAN, 1);
	fmt_num(p99, sizeof(p99), have_lat ? p->lat_p99_us : NAN, 1);
	/* A flagged point is followed by a comment saying what is wrong with
	 * it, so that the row is never read without it. */
	flags_text(p, flags, sizeof(flags));
	if (flags[0])
		snprintf(note, sizeof(note), "# ! point %u: %s\n", p->index, flags);
	return appendf(r->stats_fd, " %5u %10s %10.0f %10.0f %10.0f %10.0f %9.2f %8s %9s %9s\n%s",
		       p->size, target, p->offered_pps, p->hop[HOP_DUT_IN].pps,
		       p->hop[HOP_DUT_OUT].pps, p->hop[HOP_SINK_RX].pps, results_sink_mbps(p), loss,
		       p50, p99, note);
}

static int csv_row(struct results *r, const struct results_point *p)
{
	char target[24], loss[24], flags[96], rate[24];
	const struct results_hop *h = p->hop;
	uint64_t plan = p->plan_rate ? p->plan_rate : p->target_pps;

	fmt_target(target, sizeof(target), p->target_pps);
	if (run_rate_pct(plan))
		snprintf(rate, sizeof(rate), "%u%%", run_rate_pct(plan));
	else
		fmt_target(rate, sizeof(rate), plan);
	flags_tokens(p->flags, flags, sizeof(flags));
	fmt_num(loss, sizeof(loss), results_loss_pct(p), 6);
	return appendf(
	    r->csv_fd,
	    "%u,%u,%u,%s,%.1f,%.3f,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%s,%.3f,"
	    "%.1f,%.1f,%.1f,%.1f,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,"
	    "%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%.1f,%s,%llu,%s,%.1f\n",
	    p->index, p->trial, p->size, target, p->offered_pps, (double)p->window_ns / 1e9,
	    (unsigned long long)p->sent, (unsigned long long)p->send_errors,
	    (unsigned long long)p->received, (unsigned long long)p->lost,
	    (unsigned long long)p->reordered, (unsigned long long)p->duplicated,
	    (unsigned long long)p->ring_drops, loss, results_sink_mbps(p), h[HOP_GEN_TX].pps,
	    h[HOP_DUT_IN].pps, h[HOP_DUT_OUT].pps, h[HOP_SINK_RX].pps,
	    (unsigned long long)h[HOP_GEN_TX].packets, (unsigned long long)h[HOP_GEN_TX].dropped,
	    (unsigned long long)h[HOP_DUT_IN].packets, (unsigned long long)h[HOP_DUT_IN].dropped,
	    (unsigned long long)h[HOP_DUT_OUT].packets, (unsigned long long)h[HOP_DUT_OUT].dropped,
	    (unsigned long long)h[HOP_SINK_RX].packets, (unsigned long long)h[HOP_SINK_RX].dropped,
	    p->lat_min_us, p->lat_mean_us, p->lat_p50_us, p->lat_p90_us, p->lat_p99_us,
	    p->lat_p999_us, p->lat_max_us, p->settled, p->agent_offered_pps, flags,
	    (unsigned long long)p->dut_stopped_after, rate, p->gen_point_pps);
}

static void json_list(struct json_writer *w, const char *key, const struct run_list *l)
{
	unsigned i;

	json_key(w, key);
	json_arr_begin(w);
	for (i = 0; i < l->n; i++) {
		if (l->v[i] == UNITS_RATE_MAX) {
			json_str(w, "max");
		} else if (run_rate_pct(l->v[i])) {
			char pct[8];

			snprintf(pct, sizeof(pct), "%u%%", run_rate_pct(l->v[i]));
			json_str(w, pct);
		} else
			json_u64(w, l->v[i]);
	}
	json_arr_end(w);
}

static void json_cfg(struct json_writer *w, const struct run_cfg *c)
{
	json_key(w, "cfg");
	json_obj_begin(w);
	json_list(w, "sizes", &c->sizes);
	json_kv_str(w, "sizes_from", c->sizes.origin);
	json_list(w, "rates", &c->rates);
	json_kv_str(w, "rates_from", c->rates.origin);
	json_kv_str(w, "order", c->order == ORDER_RATE_MAJOR ? "rate" : "size");
	json_kv_double(w, "duration_s", (double)c->duration_ns / 1e9);
	json_kv_double(w, "warmup_s", (double)c->warmup_ns / 1e9);
	json_kv_double(w, "settle_s", (double)c->settle_ns / 1e9);
	json_kv_double(w, "interval_s", (double)c->interval_ns / 1e9);
	json_kv_u64(w, "trials", c->trials);
	json_kv_u64(w, "flows", c->flows);
	json_kv_u64(w, "gen_threads", c->gen_threads);
	json_kv_str(w, "cfg_dir", c->cfg_dir);
	json_kv_str(w, "conf_file", c->conf_file);
	json_key(w, "search");
	if (c->search) {
		json_obj_begin(w);
		json_kv_bool(w, "ndr", !!(c->search & SEARCH_NDR));
		json_kv_bool(w, "pdr", !!(c->search & SEARCH_PDR));
		json_kv_double(w, "ndr_loss_pct", c->ndr_loss * 100.0);
		json_kv_double(w, "pdr_loss_pct", c->pdr_loss * 100.0);
		json_kv_double(w, "precision_pct", c->precision * 100.0);
		json_key(w, "max_rate");
		if (c->max_rate == UNITS_RATE_MAX)
			json_str(w, "max");
		else
			json_u64(w, c->max_rate);
		json_kv_str(w, "mode", c->search_binary ? "binary" : "mlr");
		json_obj_end(w);
	} else {
		json_null(w);
	}
	json_obj_end(w);
}

static void json_point(struct json_writer *w, const struct results_point *p)
{
	unsigned h;

	json_obj_begin(w);
	json_kv_u64(w, "point", p->index);
	json_kv_u64(w, "trial", p->trial);
	json_kv_u64(w, "size", p->size);
	json_key(w, "target_pps");
	if (p->target_pps == UNITS_RATE_MAX)
		json_null(w);
	else
		json_u64(w, p->target_pps);
	json_kv_fixed(w, "offered_pps", p->offered_pps, 1);
	json_kv_fixed(w, "window_s", (double)p->window_ns / 1e9, 6);
	json_kv_u64(w, "sent", p->sent);
	json_kv_u64(w, "send_errors", p->send_errors);
	json_kv_u64(w, "received", p->received);
	json_kv_u64(w, "lost", p->lost);
	json_kv_u64(w, "reordered", p->reordered);
	json_kv_u64(w, "duplicated", p->duplicated);
	json_kv_u64(w, "sink_ring_drops", p->ring_drops);
	json_kv_fixed(w, "loss_pct", results_loss_pct(p), 6);
	json_kv_bool(w, "loss_free", results_loss_free(p));
	json_kv_fixed(w, "sink_mbps", results_sink_mbps(p), 3);
	json_key(w, "hops");
	json_obj_begin(w);
	for (h = 0; h < HOP_COUNT; h++) {
		json_key(w, hop_key[h]);
		json_obj_begin(w);
		json_kv_fixed(w, "pps", p->hop[h].pps, 1);
		json_kv_u64(w, "packets", p->hop[h].packets);
		json_kv_u64(w, "dropped", p->hop[h].dropped);
		json_obj_end(w);
	}
	json_obj_end(w);
	json_key(w, "latency_us");
	json_obj_begin(w);
	json_kv_fixed(w, "min", p->lat_min_us, 3);
	json_kv_fixed(w, "mean", p->lat_mean_us, 3);
	json_kv_fixed(w, "p50", p->lat_p50_us, 3);
	json_kv_fixed(w, "p90", p->lat_p90_us, 3);
	json_kv_fixed(w, "p99", p->lat_p99_us, 3);
	json_kv_fixed(w, "p999", p->lat_p999_us, 3);
	json_kv_fixed(w, "max", p->lat_max_us, 3);
	json_obj_end(w);
	json_kv_bool(w, "settled", p->settled);
	json_kv_fixed(w, "agent_offered_pps", p->agent_offered_pps, 1);
	json_kv_fixed(w, "gen_point_pps", p->gen_point_pps, 1);
	json_key(w, "flags");
	json_arr_begin(w);
	for (h = 0; h < 32; h++) {
		char tok[32];

		flags_tokens(p->flags & (1u << h), tok, sizeof(tok));
		if (tok[0])
			json_str(w, tok);
	}
	json_arr_end(w);
	{
		char text[512];

		flags_text(p, text, sizeof(text));
		json_kv_str(w, "note", text);
	}
	json_key(w, "dut_stopped_after");
	if (p->flags & RESULTS_DUT_STOPPED)
		json_u64(w, p->dut_stopped_after);
	else
		json_null(w);
	json_obj_end(w);
}

/* Per size, in the order sizes first appear: the highest loss-free rate. */
static void json_loss_free(struct json_writer *w, const struct results *r)
{
	unsigned i, j;

	json_key(w, "loss_free");
	json_arr_begin(w);
	for (i = 0; i < r->n; i++) {
		const struct results_point *p = &r->points[i], *b;

		for (j = 0; j < i && r->points[j].size != p->size; j++)
			;
		if (j < i)
			continue;
		b = results_best(r, p->size);
		json_obj_begin(w);
		json_kv_u64(w, "size", p->size);
		json_key(w, "offered_pps");
		if (b)
			json_fixed(w, b->offered_pps, 1);
		else
			json_null(w);
		json_kv_fixed(w, "sink_mbps", b ? results_sink_mbps(b) : NAN, 3);
		json_kv_bool(w, "lower_bound", b && results_best_is_lower_bound(r, b));
		{
			char knee[320];
			struct knee k;

			json_key(w, "most_forwarded_pps");
			if (!knee_find(r, p->size, &k))
				json_fixed(w, k.most->hop[HOP_SINK_RX].pps, 1);
			else
				json_null(w);
			knee_sentence(r, p->size, knee, sizeof(knee));
			json_kv_str(w, "knee", knee);
		}
		json_obj_end(w);
	}
	json_arr_end(w);
}

static void json_time(struct json_writer *w, const char *key, uint64_t ns)
{
	char buf[32];

	json_key(w, key);
	if (!ns) {
		json_null(w);
		return;
	}
	mtime_fmt_utc(buf, sizeof(buf), ns, 1);
	json_str(w, buf);
}

static void json_document(struct results *r, FILE *f)
{
	const struct results_meta *m = &r->meta;
	struct json_writer w;
	unsigned i;

	json_init(&w, f, 1);
	json_obj_begin(&w);
	json_kv_str(&w, "mir_perf_version", m->version);
	json_kv_str(&w, "library", m->library);
	json_kv_str(&w, "commit", m->commit);
	json_kv_str(&w, "dut", m->dut);
	json_kv_str(&w, "platform", m->platform);
	json_kv_str(&w, "kernel", m->kernel);
	json_kv_str(&w, "cpu_model", m->cpu);
	json_time(&w, "start", m->start_ns);
	json_time(&w, "end", m->end_ns);
	json_kv_str(&w, "status", m->status);
	json_kv_double(&w, "loss_free_max_pct", RESULTS_LOSS_FREE_PCT);
	if (r->cfg) {
		json_cfg(&w, r->cfg);
		json_kv_str(&w, "backend", m->backend);
	}
	json_key(&w, "points");
	json_arr_begin(&w);
	for (i = 0; i < r->n; i++)
		json_point(&w, &r->points[i]);
	json_arr_end(&w);
	json_loss_free(&w, r);
	json_obj_end(&w);
}

/* stats.json through a temp, fsync, rename: readers only ever see a
 * complete document, and a planted stats.json is replaced, not followed. */
static int json_rewrite(struct results *r)
{
	struct afile a;
	FILE *f;
	int rc;

	rc = afile_open(&a, r->dirfd, "stats.json", 0644, &f);
	if (rc)
		return rc;
	json_document(r, f);
	return afile_commit(&a, 1);
}

int results_open_at(int dirfd, const char *dir, const struct results_meta *meta,
		    const struct run_cfg *cfg, struct results **out)
{
	struct results *r = NULL;
	int fd = -1, rc;

	if (strlen(dir) >= sizeof(r->dir))
		return -ENAMETOOLONG;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->stats_fd = r->csv_fd = -1;
	copy_str(r->dir, sizeof(r->dir), dir);
	r->meta = *meta;
	r->cfg = cfg;
	r->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (r->dirfd < 0) {
		rc = -errno;
		goto out;
	}
	/* O_EXCL: a run directory holding these already is not a fresh one */
	rc = r->stats_fd = afile_create(r->dirfd, "stats", O_APPEND, 0644);
	if (rc >= 0)
		rc = r->csv_fd = afile_create(r->dirfd, "stats.csv", O_APPEND, 0644);
	if (rc >= 0)
		rc = fd = afile_create(r->dirfd, "samples.csv", 0, 0644);
	if (rc < 0)
		goto out;
	r->samples = fdopen(fd, "w");
	if (!r->samples) {
		rc = -errno;
		goto out;
	}
	fd = -1;
	rc = stats_header(r);
	if (!rc)
		rc = write_durable(r->csv_fd, csv_columns, sizeof(csv_columns) - 1);
	if (!rc)
		rc = json_rewrite(r);
out:
	if (fd >= 0)
		close(fd);
	if (rc) {
		results_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int results_open(const char *dir, const struct results_meta *meta, const struct run_cfg *cfg,
		 struct results **out)
{
	int dirfd, rc;

	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	rc = results_open_at(dirfd, dir, meta, cfg, out);
	close(dirfd);
	return rc;
}

int results_add(struct results *r, const struct results_point *p)
{
	int rc;

	rc = VEC_ROOM(r->points, r->n, r->cap, 16);
	if (rc)
		return rc;
	r->points[r->n++] = *p;
	/* The monitor thread writes samples.csv through stdio (which locks the
	 * FILE); push them out with the point they belong to. */
	fflush(r->samples);
	rc = stats_row(r, p);
	if (!rc)
		rc = csv_row(r, p);
	if (!rc)
		rc = json_rewrite(r);
	return rc;
}

FILE *results_samples(struct results *r)
{
	return r->samples;
}

static int stats_summary(struct results *r)
{
	char date[32], line[256];
	unsigned i, j;
	int rc;

	mtime_fmt_utc(date, sizeof(date), r->meta.end_ns, 1);
	rc = appendf(r->stats_fd, "# %s %s, %u points\n", r->meta.status, date, r->n);
	for (i = 0; i < r->n && !rc; i++) {
		const struct results_point *p = &r->points[i], *best;

		for (j = 0; j < i; j++)
			if (r->points[j].size == p->size)
				break;
		if (j < i)
			continue; /* one line per size, in the order sizes first appear */
		best = results_best(r, p->size);
		if (best)
			snprintf(line, sizeof(line), "%.0f pps (%.2f Mbit/s)%s", best->offered_pps,
				 results_sink_mbps(best),
				 results_best_is_lower_bound(r, best)
				     ? "; a lower bound: no faster point lost frames"
				     : "");
		else
			copy_str(line, sizeof(line), "none");
		rc = appendf(r->stats_fd, "# highest loss-free rate at %u B: %s\n", p->size, line);
		if (!rc) {
			knee_sentence(r, p->size, line, sizeof(line));
			rc = appendf(r->stats_fd, "# knee at %u B: %s\n", p->size, line);
		}
	}
	if (!rc) {
		unsigned failed = 0, first = 0;

		for (i = 0; i < r->n; i++)
			if (r->points[i].flags & RESULTS_GEN_FAILED && !failed++)
				first = r->points[i].index;
		if (failed)
			rc =
			    appendf(r->stats_fd,
				    "# the generator failed at %u point%s (first: point %u): their "
				    "loss is not computed and no summary counts them\n",
				    failed, failed == 1 ? "" : "s", first);
	}
	return rc;
}

int results_finish(struct results *r, const char *status, uint64_t end_ns)
{
	int rc, rc2;

	copy_str(r->meta.status, sizeof(r->meta.status), status);
	r->meta.end_ns = end_ns;
	rc = stats_summary(r);
	rc2 = json_rewrite(r);
	return rc ? rc : rc2;
}

void results_close(struct results *r)
{
	if (!r)
		return;
	if (r->dirfd >= 3)
		close(r->dirfd);
	if (r->stats_fd >= 0)
		close(r->stats_fd);
	if (r->csv_fd >= 0)
		close(r->csv_fd);
	if (r->samples)
		fclose(r->samples);
	free(r->points);
	free(r);
}

unsigned results_count(const struct results *r)
{
	return r->n;
}

const struct results_point *results_point_at(const struct results *r, unsigned i)
{
	return i < r->n ? &r->points[i] : NULL;
}

const struct results_meta *results_get_meta(const struct results *r)
{
	return &r->meta;
}

const char *results_dir(const struct results *r)
{
	return r->dir;
}

int results_dirfd(const struct results *r)
{
	return r->dirfd;
}

const struct results_point *results_best(const struct results *r, uint32_t size)
{
	const struct results_point *best = NULL;
	unsigned i;

	for (i = 0; i < r->n; i++) {
		const struct results_point *p = &r->points[i];

		if (p->size != size || !results_loss_free(p) || p->flags & RESULTS_GEN_FAILED)
			continue;
		if (!best || p->offered_pps > best->offered_pps)
			best = p;
	}
	return best;
}

int results_best_is_lower_bound(const struct results *r, const struct results_point *best)
{
	unsigned i;

	for (i = 0; i < r->n; i++) {
		const struct results_point *p = &r->points[i];

		/* a point the generator failed says nothing of the DUT */
		if (p->size == best->size && !results_loss_free(p) &&
		    !(p->flags & RESULTS_GEN_FAILED) && p->offered_pps > best->offered_pps)
			return 0;
	}
	return 1;
}
