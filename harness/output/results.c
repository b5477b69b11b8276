/* stats, stats.csv, stats.json of a run directory; see results.h. */
#include "harness/output/results.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/measure/search.h"
#include "harness/output/columns.h"
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

void results_set_backend(struct results *r, const char *backend)
{
	results_meta_set_backend(&r->meta, backend);
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
	char date[32], cols[512];
	int rc;

	mtime_fmt_utc(date, sizeof(date), m->start_ns, 1);
	rc = columns_text_header(&columns_point, cols, sizeof(cols));
	if (rc < 0)
		return rc;
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
		       "%s",
		       m->version, or_dash(m->library), or_dash(m->commit), m->dut, m->platform,
		       date, m->kernel, m->cpu, cols);
}

/* One row of the people's table: the figures from the column table, then
 * a comment saying what is wrong with a flagged point, so that the row is
 * never read without it. */
static int stats_row(struct results *r, const struct results_point *p)
{
	char row[512], flags[512];
	int rc;

	rc = columns_text_row(&columns_point, p, row, sizeof(row));
	if (rc < 0)
		return rc;
	flags_text(p, flags, sizeof(flags));
	if (!flags[0])
		return appendf(r->stats_fd, "%s", row);
	return appendf(r->stats_fd, "%s# ! point %u: %.512s\n", row, p->index, flags);
}

/* A whole row in one write (an O_APPEND fd): never half a row in the file. */
static int csv_row(struct results *r, const struct results_point *p)
{
	char row[2048];
	int n = columns_csv_row(&columns_point, p, row, sizeof(row));

	return n < 0 ? n : write_durable(r->csv_fd, row, (size_t)n);
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

static void json_document(struct results *r, FILE *f)
{
	const struct results_meta *m = &r->meta;
	struct json_writer w;
	unsigned i;

	json_init(&w, f, 1);
	json_obj_begin(&w);
	results_meta_json(&w, m, NULL, RESULTS_META_TOP);
	json_kv_double(&w, "loss_free_max_pct", RESULTS_LOSS_FREE_PCT);
	if (r->cfg) {
		json_cfg(&w, r->cfg);
		json_kv_str(&w, "backend", m->backend);
	}
	json_key(&w, "points");
	json_arr_begin(&w);
	for (i = 0; i < r->n; i++)
		columns_json(&columns_point, &r->points[i], &w);
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
	if (!rc) {
		char hdr[1024];

		rc = columns_csv_header(&columns_point, hdr, sizeof(hdr));
		if (rc >= 0)
			rc = write_durable(r->csv_fd, hdr, (size_t)rc);
	}
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
