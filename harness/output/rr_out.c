/* rr.csv, rr.json and the rr plot; see rr_out.h. */
#include "harness/output/rr_out.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/config/rr_opts.h"
#include "harness/output/plots.h"
#include "lib/atomic_file.h"
#include "lib/json.h"
#include "lib/mtime.h"
#include "lib/vec.h"

static const char *const hop_names[HOP_COUNT] = {"gen_tx", "dut_in", "dut_out", "sink_rx"};

struct rr_out {
	int dirfd; /* the run directory, owned (a dup) */
	char dir[PATH_MAX];
	struct results_meta meta;
	FILE *csv;
	struct rr_row *rows;
	unsigned n, cap;
};

int rr_result_parse(char *text, struct rr_result *r, char *err, size_t len)
{
	static const struct {
		const char *path;
		size_t off;
		int u64;
	} f[] = {
#define D(p, m) {p, offsetof(struct rr_result, m), 0}
#define U(p, m) {p, offsetof(struct rr_result, m), 1}
	    D("seconds", seconds),
	    D("tps", tps),
	    U("started", started),
	    U("completed", completed),
	    U("timed_out", timed_out),
	    U("failed", failed),
	    U("unfinished", unfinished),
	    U("warmup_transactions", warmup_transactions),
	    U("connects", connects),
	    D("latency_ns.min", lat_min),
	    D("latency_ns.mean", lat_mean),
	    D("latency_ns.p50", lat_p50),
	    D("latency_ns.p90", lat_p90),
	    D("latency_ns.p99", lat_p99),
	    D("latency_ns.p999", lat_p999),
	    D("latency_ns.max", lat_max),
	    D("cpu_client_pct", cpu_client_pct),
	    D("cpu_server_pct", cpu_server_pct),
#undef D
#undef U
	};
	struct json_val *root = NULL;
	char *start = text;
	double v;
	size_t i;
	int rc;

	/* the document is the client's last line; anything before it was said
	 * on stderr into the same file */
	while (start && *start && *start != '{') {
		start = strchr(start, '\n');
		start = start ? start + 1 : NULL;
	}
	if (!start || !*start) {
		snprintf(err, len, "no JSON document in the client's output");
		return -EPROTO;
	}
	rc = json_tree_parse(start, &root, err, len);
	if (rc)
		return -EPROTO;
	memset(r, 0, sizeof(*r));
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (json_path_num(root, f[i].path, &v) || v < -1) {
			snprintf(err, len, "the client's document has no number '%s'", f[i].path);
			json_tree_free(root);
			return -EPROTO;
		}
		if (f[i].u64)
			*(uint64_t *)((char *)r + f[i].off) = (uint64_t)v;
		else
			*(double *)((char *)r + f[i].off) = v;
	}
	r->server_transactions =
	    json_path_num(root, "server_transactions", &v) ? -1 : (int64_t)v;
	json_tree_free(root);
	if (r->started != r->completed + r->timed_out + r->failed + r->unfinished) {
		snprintf(err, len,
			 "the client's counts do not add up: %llu started, %llu completed, %llu "
			 "timed out, %llu failed, %llu unfinished",
			 (unsigned long long)r->started, (unsigned long long)r->completed,
			 (unsigned long long)r->timed_out, (unsigned long long)r->failed,
			 (unsigned long long)r->unfinished);
		return -EPROTO;
	}
	return 0;
}

static int flush_sync(FILE *f)
{
	if (fflush(f) || ferror(f))
		return -EIO;
	return fsync(fileno(f)) ? -errno : 0;
}

static void csv_header(FILE *f)
{
	unsigned h;

	fputs("index,trial,req_bytes,resp_bytes,conns,seconds,tps,started,completed,timed_out,"
	      "failed,unfinished,warmup_transactions,lat_min_us,lat_mean_us,lat_p50_us,"
	      "lat_p90_us,lat_p99_us,lat_p999_us,lat_max_us,connects,server_transactions,"
	      "cpu_client_pct,cpu_server_pct",
	      f);
	for (h = 0; h < HOP_COUNT; h++)
		fprintf(f, ",%s_packets,%s_bytes,%s_back_packets,%s_back_bytes", hop_names[h],
			hop_names[h], hop_names[h], hop_names[h]);
	fputc('\n', f);
}

static void csv_row(FILE *f, const struct rr_row *w)
{
	const struct rr_result *r = &w->r;
	unsigned h;

	fprintf(f,
		"%u,%u,%u,%u,%u,%.6f,%.3f,%llu,%llu,%llu,%llu,%llu,%llu,%.3f,%.3f,%.3f,%.3f,%.3f,"
		"%.3f,%.3f,%llu,%lld,%.2f,%.2f",
		w->index, w->pt.trial, w->pt.req, w->pt.resp, w->pt.conns, r->seconds, r->tps,
		(unsigned long long)r->started, (unsigned long long)r->completed,
		(unsigned long long)r->timed_out, (unsigned long long)r->failed,
		(unsigned long long)r->unfinished, (unsigned long long)r->warmup_transactions,
		r->lat_min / 1e3, r->lat_mean / 1e3, r->lat_p50 / 1e3, r->lat_p90 / 1e3,
		r->lat_p99 / 1e3, r->lat_p999 / 1e3, r->lat_max / 1e3,
		(unsigned long long)r->connects, (long long)r->server_transactions,
		r->cpu_client_pct, r->cpu_server_pct);
	for (h = 0; h < HOP_COUNT; h++)
		fprintf(f, ",%llu,%llu,%llu,%llu", (unsigned long long)w->hop[h].packets,
			(unsigned long long)w->hop[h].bytes,
			(unsigned long long)w->hop[h].back_packets,
			(unsigned long long)w->hop[h].back_bytes);
	fputc('\n', f);
}

static void json_row(struct json_writer *j, const struct rr_row *w)
{
	const struct rr_result *r = &w->r;
	unsigned h;

	json_obj_begin(j);
	json_kv_u64(j, "index", w->index);
	json_kv_u64(j, "trial", w->pt.trial);
	json_kv_u64(j, "req_bytes", w->pt.req);
	json_kv_u64(j, "resp_bytes", w->pt.resp);
	json_kv_u64(j, "conns", w->pt.conns);
	json_kv_fixed(j, "seconds", r->seconds, 6);
	json_kv_fixed(j, "tps", r->tps, 3);
	json_kv_u64(j, "started", r->started);
	json_kv_u64(j, "completed", r->completed);
	json_kv_u64(j, "timed_out", r->timed_out);
	json_kv_u64(j, "failed", r->failed);
	json_kv_u64(j, "unfinished", r->unfinished);
	json_kv_u64(j, "warmup_transactions", r->warmup_transactions);
	json_key(j, "latency_us");
	json_obj_begin(j);
	json_kv_fixed(j, "min", r->lat_min / 1e3, 3);
	json_kv_fixed(j, "mean", r->lat_mean / 1e3, 3);
	json_kv_fixed(j, "p50", r->lat_p50 / 1e3, 3);
	json_kv_fixed(j, "p90", r->lat_p90 / 1e3, 3);
	json_kv_fixed(j, "p99", r->lat_p99 / 1e3, 3);
	json_kv_fixed(j, "p999", r->lat_p999 / 1e3, 3);
	json_kv_fixed(j, "max", r->lat_max / 1e3, 3);
	json_obj_end(j);
	json_kv_u64(j, "connects", r->connects);
	json_key(j, "server_transactions");
	json_i64(j, r->server_transactions);
	json_kv_fixed(j, "cpu_client_pct", r->cpu_client_pct, 2);
	json_kv_fixed(j, "cpu_server_pct", r->cpu_server_pct, 2);
	json_key(j, "hops");
	json_obj_begin(j);
	for (h = 0; h < HOP_COUNT; h++) {
		json_key(j, hop_names[h]);
		json_obj_begin(j);
		json_kv_u64(j, "packets", w->hop[h].packets);
		json_kv_u64(j, "bytes", w->hop[h].bytes);
		json_kv_u64(j, "back_packets", w->hop[h].back_packets);
		json_kv_u64(j, "back_bytes", w->hop[h].back_bytes);
		json_obj_end(j);
	}
	json_obj_end(j);
	json_obj_end(j);
}

/* A temp through the run directory's fd, fsync, rename. */
static int write_json(struct rr_out *o)
{
	struct json_writer j;
	struct afile a;
	char ts[40];
	unsigned i;
	FILE *f;
	int rc;

	rc = afile_open(&a, o->dirfd, "rr.json", 0644, &f);
	if (rc)
		return rc;
	json_init(&j, f, 1);
	json_obj_begin(&j);
	json_kv_str(&j, "mode", "rr");
	json_key(&j, "meta");
	json_obj_begin(&j);
	json_kv_str(&j, "version", o->meta.version);
	json_kv_str(&j, "library", o->meta.library);
	json_kv_str(&j, "commit", o->meta.commit);
	json_kv_str(&j, "dut", o->meta.dut);
	json_kv_str(&j, "platform", o->meta.platform);
	json_kv_str(&j, "kernel", o->meta.kernel);
	json_kv_str(&j, "cpu", o->meta.cpu);
	mtime_fmt_utc(ts, sizeof(ts), o->meta.start_ns, 1);
	json_kv_str(&j, "start", ts);
	if (o->meta.end_ns) {
		mtime_fmt_utc(ts, sizeof(ts), o->meta.end_ns, 1);
		json_kv_str(&j, "end", ts);
	}
	json_kv_str(&j, "status", o->meta.status);
	json_obj_end(&j);
	json_key(&j, "points");
	json_arr_begin(&j);
	for (i = 0; i < o->n; i++)
		json_row(&j, &o->rows[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	return afile_commit(&a, 1);
}

int rr_out_open(int dirfd, const char *dir, const struct results_meta *meta,
		struct rr_out **out)
{
	struct rr_out *o;
	int fd, rc;

	*out = NULL;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	snprintf(o->dir, sizeof(o->dir), "%s", dir);
	o->meta = *meta;
	snprintf(o->meta.status, sizeof(o->meta.status), "running");
	o->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (o->dirfd < 0) {
		rc = -errno;
		goto fail;
	}
	fd = afile_create(o->dirfd, "rr.csv", O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = fd;
		goto fail;
	}
	o->csv = fdopen(fd, "w");
	if (!o->csv) {
		rc = -errno;
		close(fd);
		goto fail;
	}
	csv_header(o->csv);
	rc = flush_sync(o->csv);
	if (!rc)
		rc = write_json(o);
	if (rc)
		goto fail;
	*out = o;
	return 0;
fail:
	rr_out_close(o);
	return rc;
}

int rr_out_add(struct rr_out *o, const struct rr_row *row)
{
	int rc = VEC_ROOM(o->rows, o->n, o->cap, 16);

	if (rc)
		return rc;
	o->rows[o->n++] = *row;
	csv_row(o->csv, row);
	rc = flush_sync(o->csv);
	return rc ? rc : write_json(o);
}

int rr_out_finish(struct rr_out *o, const char *status, uint64_t end_ns)
{
	snprintf(o->meta.status, sizeof(o->meta.status), "%s", status);
	o->meta.end_ns = end_ns;
	return write_json(o);
}

unsigned rr_out_count(const struct rr_out *o)
{
	return o ? o->n : 0;
}

const struct rr_row *rr_out_row_at(const struct rr_out *o, unsigned i)
{
	return i < o->n ? &o->rows[i] : NULL;
}

const struct results_meta *rr_out_meta(const struct rr_out *o)
{
	return &o->meta;
}

int rr_out_dirfd(const struct rr_out *o)
{
	return o->dirfd;
}

void rr_out_close(struct rr_out *o)
{
	if (!o)
		return;
	if (o->csv)
		fclose(o->csv);
	if (o->dirfd > 0)
		close(o->dirfd);
	free(o->rows);
	free(o);
}

static int same_size(const struct rr_row *a, const struct rr_row *b)
{
	return a->pt.conns == b->pt.conns && a->pt.req == b->pt.req && a->pt.resp == b->pt.resp;
}

/* rr.dat: a block per connection count (two blank lines apart), a row per
 * size in run order: its ordinal, its label and the mean of its trials'
 * p50 p90 p99 p99.9 max in us. Returns the number of blocks; their titles go
 * into titles. */
static int write_dat(struct rr_out *o, int plotsfd, char *titles, size_t tlen)
{
	unsigned i, j, k, blocks = 0;
	size_t off = 0;
	struct afile af;
	FILE *f;
	int rc;

	rc = afile_open(&af, plotsfd, "rr.dat", 0644, &f);
	if (rc)
		return rc;
	fputs("# ordinal size p50_us p90_us p99_us p999_us max_us (means of trials); a block "
	      "per connection count\n",
	      f);
	titles[0] = '\0';
	for (i = 0; i < o->n; i++) {
		unsigned ord = 0;
		int seen = 0;

		for (j = 0; j < i && !seen; j++)
			seen = o->rows[j].pt.conns == o->rows[i].pt.conns;
		if (seen)
			continue;
		fprintf(f, "%s", blocks ? "\n\n" : "");
		for (j = i; j < o->n; j++) {
			const struct rr_row *b = &o->rows[j];
			double s[5] = {0};
			unsigned cnt = 0, dup = 0;
			char label[32];

			if (b->pt.conns != o->rows[i].pt.conns)
				continue;
			for (k = i; k < j && !dup; k++)
				dup = same_size(&o->rows[k], b);
			if (dup)
				continue;
			for (k = j; k < o->n; k++) {
				const struct rr_result *r = &o->rows[k].r;

				if (!same_size(&o->rows[k], b))
					continue;
				s[0] += r->lat_p50;
				s[1] += r->lat_p90;
				s[2] += r->lat_p99;
				s[3] += r->lat_p999;
				s[4] += r->lat_max;
				cnt++;
			}
			rr_size_text(label, sizeof(label), RR_SIZE_PACK(b->pt.req, b->pt.resp));
			fprintf(f, "%u %s %.3f %.3f %.3f %.3f %.3f\n", ord++, label,
				s[0] / cnt / 1e3, s[1] / cnt / 1e3, s[2] / cnt / 1e3,
				s[3] / cnt / 1e3, s[4] / cnt / 1e3);
		}
		off += (size_t)snprintf(titles + off, off < tlen ? tlen - off : 0, "%s%u-conn%s",
					blocks ? " " : "", o->rows[i].pt.conns,
					o->rows[i].pt.conns == 1 ? "" : "s");
		blocks++;
	}
	rc = afile_commit(&af, 0);
	return rc ? rc : (int)blocks;
}

int rr_out_plot(struct rr_out *o, const char *templates)
{
	char tpl[PATH_MAX + 32], title[256], titles[1024], vars[2048];
	int blocks, plotsfd, rc;

	if (!o->n || !templates)
		return 0;
	plotsfd = afile_subdir(o->dirfd, "plots", 0755);
	if (plotsfd < 0)
		return plotsfd;
	blocks = write_dat(o, plotsfd, titles, sizeof(titles));
	if (blocks <= 0) {
		close(plotsfd);
		return blocks;
	}
	plots_title(title, sizeof(title), &o->meta);
	snprintf(vars, sizeof(vars), "title='%s'; blocks=%d; titles='%s'", title, blocks, titles);
	snprintf(tpl, sizeof(tpl), "%s/rr_latency_vs_size.gp", templates);
	rc = plots_gnuplot(plotsfd, tpl, vars);
	close(plotsfd);
	return rc ? rc : 1;
}
