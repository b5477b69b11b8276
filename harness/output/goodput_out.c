/* goodput.csv, goodput.json and the goodput plot; see goodput_out.h. */
#include "harness/output/goodput_out.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/output/plots.h"
#include "lib/atomic_file.h"
#include "lib/json.h"
#include "lib/mtime.h"
#include "lib/vec.h"

static const char *const hop_names[HOP_COUNT] = {"gen_tx", "dut_in", "dut_out", "sink_rx"};

struct goodput_out {
	int dirfd; /* the run directory, owned (a dup): every file through it */
	char dir[PATH_MAX];
	struct results_meta meta;
	FILE *csv;
	struct goodput_row *rows;
	unsigned n, cap;
};

static int flush_sync(FILE *f)
{
	if (fflush(f) || ferror(f))
		return -EIO;
	return fsync(fileno(f)) ? -errno : 0;
}

static void csv_header(FILE *f)
{
	unsigned h;

	fputs("index,trial,protocol,streams,bufsz,target_bps,seconds,goodput_mbps,"
	      "interval_mean_mbps,interval_min_mbps,interval_max_mbps,interval_stddev_mbps,"
	      "intervals,sent_mbps,bytes_sent,bytes_received,retransmits,udp_packets,udp_lost,"
	      "udp_loss_pct,jitter_ms,cpu_client_pct,cpu_server_pct",
	      f);
	for (h = 0; h < HOP_COUNT; h++)
		fprintf(f, ",%s_packets,%s_bytes,%s_back_packets,%s_back_bytes", hop_names[h],
			hop_names[h], hop_names[h], hop_names[h]);
	fputc('\n', f);
}

static void csv_row(FILE *f, const struct goodput_row *w)
{
	const struct iperf3_result *r = &w->r;
	unsigned h;

	fprintf(f,
		"%u,%u,%s,%u,%u,%llu,%.3f,%.4f,%.4f,%.4f,%.4f,%.4f,%u,%.4f,%llu,%llu,%llu,%llu,"
		"%llu,%.4f,%.4f,%.2f,%.2f",
		w->index, w->pt.trial, w->pt.udp ? "udp" : "tcp", w->pt.streams, w->pt.bufsz,
		(unsigned long long)w->pt.bitrate, r->seconds, r->goodput_bps / 1e6,
		r->interval.mean / 1e6, r->interval.min / 1e6, r->interval.max / 1e6,
		r->interval.stddev / 1e6, r->interval.n, r->sent_bps / 1e6,
		(unsigned long long)r->bytes_sent, (unsigned long long)r->bytes_received,
		(unsigned long long)r->retransmits, (unsigned long long)r->packets,
		(unsigned long long)r->lost_packets, r->lost_pct, r->jitter_ms, r->cpu_client_pct,
		r->cpu_server_pct);
	for (h = 0; h < HOP_COUNT; h++)
		fprintf(f, ",%llu,%llu,%llu,%llu", (unsigned long long)w->hop[h].packets,
			(unsigned long long)w->hop[h].bytes,
			(unsigned long long)w->hop[h].back_packets,
			(unsigned long long)w->hop[h].back_bytes);
	fputc('\n', f);
}

static void json_row(struct json_writer *j, const struct goodput_row *w)
{
	const struct iperf3_result *r = &w->r;
	unsigned h;

	json_obj_begin(j);
	json_kv_u64(j, "index", w->index);
	json_kv_u64(j, "trial", w->pt.trial);
	json_kv_str(j, "protocol", w->pt.udp ? "udp" : "tcp");
	json_kv_u64(j, "streams", w->pt.streams);
	json_kv_u64(j, "bufsz", w->pt.bufsz);
	json_kv_u64(j, "target_bps", w->pt.bitrate);
	json_kv_fixed(j, "seconds", r->seconds, 3);
	json_kv_fixed(j, "goodput_mbps", r->goodput_bps / 1e6, 4);
	json_key(j, "interval_mbps");
	json_obj_begin(j);
	json_kv_fixed(j, "mean", r->interval.mean / 1e6, 4);
	json_kv_fixed(j, "min", r->interval.min / 1e6, 4);
	json_kv_fixed(j, "max", r->interval.max / 1e6, 4);
	json_kv_fixed(j, "stddev", r->interval.stddev / 1e6, 4);
	json_kv_u64(j, "n", r->interval.n);
	json_obj_end(j);
	json_kv_fixed(j, "sent_mbps", r->sent_bps / 1e6, 4);
	json_kv_u64(j, "bytes_sent", r->bytes_sent);
	json_kv_u64(j, "bytes_received", r->bytes_received);
	if (w->pt.udp) {
		json_kv_u64(j, "udp_packets", r->packets);
		json_kv_u64(j, "udp_lost", r->lost_packets);
		json_kv_fixed(j, "udp_loss_pct", r->lost_pct, 4);
		json_kv_fixed(j, "jitter_ms", r->jitter_ms, 4);
	} else {
		json_kv_u64(j, "retransmits", r->retransmits);
	}
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

/* A temp through the run directory's fd, fsync, rename: readers only ever
 * see a whole document, and a planted goodput.json is replaced, not followed. */
static int write_json(struct goodput_out *o)
{
	struct json_writer j;
	struct afile a;
	unsigned i;
	FILE *f;
	int rc;

	rc = afile_open(&a, o->dirfd, "goodput.json", 0644, &f);
	if (rc)
		return rc;
	json_init(&j, f, 1);
	json_obj_begin(&j);
	json_kv_str(&j, "mode", "goodput");
	results_meta_json(&j, &o->meta, NULL, RESULTS_META_NESTED);
	json_key(&j, "points");
	json_arr_begin(&j);
	for (i = 0; i < o->n; i++)
		json_row(&j, &o->rows[i]);
	json_arr_end(&j);
	json_obj_end(&j);
	return afile_commit(&a, 1);
}

int goodput_out_open(int dirfd, const char *dir, const struct results_meta *meta,
		     struct goodput_out **out)
{
	struct goodput_out *o;
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
	/* appended point by point: created new, never through a planted name */
	fd = afile_create(o->dirfd, "goodput.csv", O_WRONLY | O_CLOEXEC, 0644);
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
	goodput_out_close(o);
	return rc;
}

int goodput_out_add(struct goodput_out *o, const struct goodput_row *row)
{
	int rc = VEC_ROOM(o->rows, o->n, o->cap, 16);

	if (rc)
		return rc;
	o->rows[o->n++] = *row;
	csv_row(o->csv, row);
	rc = flush_sync(o->csv);
	return rc ? rc : write_json(o);
}

int goodput_out_finish(struct goodput_out *o, const char *status, uint64_t end_ns)
{
	snprintf(o->meta.status, sizeof(o->meta.status), "%s", status);
	o->meta.end_ns = end_ns;
	return write_json(o);
}

unsigned goodput_out_count(const struct goodput_out *o)
{
	return o ? o->n : 0;
}

const struct goodput_row *goodput_out_row_at(const struct goodput_out *o, unsigned i)
{
	return i < o->n ? &o->rows[i] : NULL;
}

const struct results_meta *goodput_out_meta(const struct goodput_out *o)
{
	return &o->meta;
}

const char *goodput_out_dir(const struct goodput_out *o)
{
	return o->dir;
}

int goodput_out_dirfd(const struct goodput_out *o)
{
	return o->dirfd;
}

void goodput_out_close(struct goodput_out *o)
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

/* goodput.dat: one block per protocol and stream count (two blank lines
 * apart, gnuplot's `index`), a row per write size: the mean goodput of its
 * trials, their lowest and highest. Returns the number of blocks; their
 * titles, one word each ("tcp-1-stream udp-4-streams"), go into titles. */
static int write_dat(struct goodput_out *o, int plotsfd, char *titles, size_t tlen)
{
	unsigned i, j, blocks = 0;
	size_t off = 0;
	struct afile af;
	FILE *f;
	int rc;

	rc = afile_open(&af, plotsfd, "goodput.dat", 0644, &f);
	if (rc)
		return rc;
	fputs("# bufsz goodput_mbps(mean of trials) min max; a block per protocol and streams\n",
	      f);
	titles[0] = '\0';
	for (i = 0; i < o->n; i++) {
		const struct goodput_row *a = &o->rows[i];
		int seen = 0;

		for (j = 0; j < i && !seen; j++)
			seen = o->rows[j].pt.udp == a->pt.udp &&
			       o->rows[j].pt.streams == a->pt.streams;
		if (seen)
			continue;
		/* a new block: every write size of this protocol and stream count */
		fprintf(f, "%s", blocks ? "\n\n" : "");
		for (j = i; j < o->n; j++) {
			const struct goodput_row *b = &o->rows[j];
			double sum = 0, lo = 0, hi = 0;
			unsigned k, cnt = 0, dup = 0;

			if (b->pt.udp != a->pt.udp || b->pt.streams != a->pt.streams)
				continue;
			for (k = i; k < j && !dup; k++)
				dup = o->rows[k].pt.udp == b->pt.udp &&
				      o->rows[k].pt.streams == b->pt.streams &&
				      o->rows[k].pt.bufsz == b->pt.bufsz;
			if (dup)
				continue;
			for (k = j; k < o->n; k++) {
				const struct goodput_row *c = &o->rows[k];
				double v = c->r.goodput_bps / 1e6;

				if (c->pt.udp != b->pt.udp || c->pt.streams != b->pt.streams ||
				    c->pt.bufsz != b->pt.bufsz)
					continue;
				lo = cnt && lo < v ? lo : v;
				hi = cnt && hi > v ? hi : v;
				sum += v;
				cnt++;
			}
			fprintf(f, "%u %.4f %.4f %.4f\n", b->pt.bufsz, sum / cnt, lo, hi);
		}
		off += (size_t)snprintf(titles + off, off < tlen ? tlen - off : 0, "%s%s-%u-stream%s",
					blocks ? " " : "", a->pt.udp ? "udp" : "tcp", a->pt.streams,
					a->pt.streams == 1 ? "" : "s");
		blocks++;
	}
	rc = afile_commit(&af, 0);
	return rc ? rc : (int)blocks;
}

int goodput_out_plot(struct goodput_out *o, const char *templates)
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
	snprintf(tpl, sizeof(tpl), "%s/goodput_vs_bufsz.gp", templates);
	rc = plots_gnuplot(plotsfd, tpl, vars);
	close(plotsfd);
	return rc ? rc : 1;
}
