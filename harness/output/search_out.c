/* Options and files of the search; see search_out.h. */
#include "harness/output/search_out.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/output/plots.h"
#include "harness/output/search_cols.h"
#include "lib/atomic_file.h"
#include "lib/json.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "lib/vec.h"

struct search_out {
	char dir[PATH_MAX]; /* for messages; files go through dirfd */
	int dirfd;
	struct results_meta meta;
	struct search_params p;
	FILE *trials, *table, *csv;
	struct search_result *res;
	unsigned n, cap;
	struct search_rec *rec; /* every trial, for the scatter plot */
	unsigned nrec, reccap;
};

void search_fmt_bound(char *buf, size_t len, const struct search_bound *b)
{
	char lo[32], hi[32];

	units_fmt_pps(lo, sizeof(lo), b->lower_pps);
	units_fmt_pps(hi, sizeof(hi), b->upper_pps);
	if (!b->found && b->upper_pps > 0)
		snprintf(buf, len, "none (loss down to %s)", hi);
	else if (!b->found)
		snprintf(buf, len, "none");
	else if (b->limit == SEARCH_LIMIT_GENERATOR)
		snprintf(buf, len, ">= %s, generator-limited", lo);
	else if (b->limit == SEARCH_LIMIT_MAX_RATE)
		snprintf(buf, len, ">= %s, --max-rate", lo);
	else
		snprintf(buf, len, "%s .. %s%s", lo, hi, b->converged ? "" : " (not converged)");
}

/* Flush a row to the disk: what was measured survives a crash. */
static int out_sync(FILE *f)
{
	if (fflush(f) || fsync(fileno(f)))
		return -errno;
	return 0;
}

/* A new file of the run directory: a name already there is refused. */
static FILE *out_create(int dirfd, const char *name)
{
	FILE *f;
	int fd;

	fd = afile_create(dirfd, name, 0, 0644);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

/* A CSV header (row NULL) or row of table t, written whole. */
static int put_line(FILE *f, const struct col_table *t, const void *row)
{
	char line[2048];
	int n = row ? columns_csv_row(t, row, line, sizeof(line))
		    : columns_csv_header(t, line, sizeof(line));

	if (n < 0)
		return n;
	fputs(line, f);
	return 0;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

int search_out_open(int dirfd, const char *dir, const struct results_meta *meta,
		    const struct search_params *p, struct search_out **out)
{
	struct search_out *o;
	char date[32];
	int rc = 0;

	if (strlen(dir) >= PATH_MAX)
		return -ENAMETOOLONG;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->dirfd = -1;
	strcpy(o->dir, dir);
	o->meta = *meta;
	o->p = *p;
	o->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (o->dirfd < 0) {
		rc = -errno;
		goto out;
	}
	o->trials = out_create(o->dirfd, "trials.csv");
	o->table = out_create(o->dirfd, "search");
	o->csv = out_create(o->dirfd, "search.csv");
	if (!o->trials || !o->table || !o->csv) {
		rc = -errno;
		goto out;
	}
	rc = put_line(o->trials, &search_trial_columns, NULL);
	if (!rc)
		rc = put_line(o->csv, &search_columns, NULL);
	if (rc)
		goto out;
	mtime_fmt_utc(date, sizeof(date), meta->start_ns, 1);
	fprintf(o->table,
		"# mir-perf %s throughput search   library %s  commit %s  dut %s  platform %s  %s\n"
		"# NDR: loss <= %g %%   PDR: loss <= %g %%   precision %g %%   trials of %.3g s "
		"(bracketing %.3g s)   top rate %s\n"
		"# bounds: the highest rate with loss within the tolerance below every lossy "
		"one, and the lowest lossy one; rates are what the generator really sent\n"
		"# %% of max: of the highest rate the generator offered; L1 adds 20 bytes of "
		"preamble and gap per frame\n"
		"#%5s %4s %-36s %10s %10s %8s %6s %7s %s\n",
		meta->version, or_dash(meta->library), or_dash(meta->commit), meta->dut,
		meta->platform, date, p->ndr_loss * 100, p->pdr_loss * 100, p->precision * 100,
		(double)p->final_duration_ns / 1e9, (double)p->initial_duration_ns / 1e9,
		p->max_rate == UNITS_RATE_MAX ? "max" : "--max-rate", "size", "rate", "bounds",
		"L2 Mbit/s", "L1 Mbit/s", "% of max", "trials", "time", "repeats");
	rc = out_sync(o->trials);
	if (!rc)
		rc = out_sync(o->table);
	if (!rc)
		rc = out_sync(o->csv);
out:
	if (rc) {
		search_out_close(o);
		return rc;
	}
	*out = o;
	return 0;
}

int search_out_trial(struct search_out *o, const struct search_rec *r, unsigned stats_point)
{
	struct search_trial_row row = {*r, stats_point};
	int rc = VEC_ROOM(o->rec, o->nrec, o->reccap, 64);

	if (rc)
		return rc;
	o->rec[o->nrec++] = *r;
	rc = put_line(o->trials, &search_trial_columns, &row);
	return rc ? rc : out_sync(o->trials);
}

static double out_tolerance(const struct search_out *o, int t)
{
	return t == SEARCH_T_NDR ? o->p.ndr_loss : o->p.pdr_loss;
}

static int out_row(struct search_out *o, const struct search_result *r, int t)
{
	struct search_csv_row row = {r, t, out_tolerance(o, t), o->p.precision};
	const struct search_bound *b = &r->b[t];
	double lo = b->found ? b->lower_pps : NAN;
	double pct = b->found && r->top_pps > 0 ? 100 * b->lower_pps / r->top_pps : NAN;
	char bounds[96], elapsed[16], l2[24], l1[24], pcts[16], reps[48];
	int rc = put_line(o->csv, &search_columns, &row);

	if (rc)
		return rc;
	search_fmt_bound(bounds, sizeof(bounds), b);
	mtime_fmt_elapsed(elapsed, sizeof(elapsed), r->elapsed_ns / NSEC_PER_SEC);
	snprintf(l2, sizeof(l2), "-");
	snprintf(l1, sizeof(l1), "-");
	snprintf(pcts, sizeof(pcts), "-");
	if (b->found) {
		snprintf(l2, sizeof(l2), "%.1f", units_l2_bps(lo, r->size) / 1e6);
		snprintf(l1, sizeof(l1), "%.1f", units_l1_bps(lo, r->size) / 1e6);
		snprintf(pcts, sizeof(pcts), "%.1f %%", pct);
	}
	reps[0] = '\0';
	if (o->p.repeats > 1 && b->rx.n > 1)
		snprintf(reps, sizeof(reps), "rx %.0f +/- %.0f pps (95 %%), %u/%u within",
			 b->rx.mean, b->rx.ci_half, b->repeats_ok, b->rx.n);
	fprintf(o->table, " %5u %4s %-36s %10s %10s %8s %6u %7s %s\n", r->size,
		search_target_name((enum search_target)t), bounds, l2, l1, pcts, r->trials, elapsed,
		reps);
	return 0;
}

static void json_bound(struct json_writer *w, const struct search_out *o,
		       const struct search_result *r, int t)
{
	const struct search_bound *b = &r->b[t];

	json_key(w, t == SEARCH_T_NDR ? "ndr" : "pdr");
	json_obj_begin(w);
	json_kv_double(w, "loss_tolerance_pct", out_tolerance(o, t) * 100);
	json_kv_bool(w, "found", b->found);
	json_kv_str(w, "limit", search_limit_name(b->limit));
	json_kv_bool(w, "converged", b->converged);
	json_kv_double(w, "lower_pps", b->found ? b->lower_pps : NAN);
	json_kv_double(w, "upper_pps", b->upper_pps > 0 ? b->upper_pps : NAN);
	json_kv_double(w, "lower_l2_mbps",
		       b->found ? units_l2_bps(b->lower_pps, r->size) / 1e6 : NAN);
	json_kv_double(w, "lower_l1_mbps",
		       b->found ? units_l1_bps(b->lower_pps, r->size) / 1e6 : NAN);
	json_kv_double(w, "pct_of_max",
		       b->found && r->top_pps > 0 ? 100 * b->lower_pps / r->top_pps : NAN);
	json_key(w, "rx_pps_at_lower");
	json_obj_begin(w);
	json_kv_u64(w, "n", b->rx.n);
	json_kv_u64(w, "within_tolerance", b->repeats_ok);
	json_kv_double(w, "mean", b->rx.n ? b->rx.mean : NAN);
	json_kv_double(w, "stddev", b->rx.n > 1 ? b->rx.stddev : NAN);
	json_kv_double(w, "min", b->rx.n ? b->rx.min : NAN);
	json_kv_double(w, "max", b->rx.n ? b->rx.max : NAN);
	json_kv_double(w, "ci95_lo", b->rx.ci_lo);
	json_kv_double(w, "ci95_hi", b->rx.ci_hi);
	json_obj_end(w);
	json_obj_end(w);
}

static void json_doc(struct search_out *o, FILE *f)
{
	const struct results_meta *m = &o->meta;
	struct json_writer w;
	unsigned i;
	int t;

	json_init(&w, f, 1);
	json_obj_begin(&w);
	results_meta_json(&w, m, "search", RESULTS_META_TOP);
	json_key(&w, "search");
	json_obj_begin(&w);
	json_kv_str(&w, "mode", o->p.mode == SEARCH_MODE_BINARY ? "binary" : "mlr");
	json_kv_double(&w, "ndr_loss_pct", o->p.ndr_loss * 100);
	json_kv_double(&w, "pdr_loss_pct", o->p.pdr_loss * 100);
	json_kv_double(&w, "precision_pct", o->p.precision * 100);
	json_key(&w, "max_rate");
	if (o->p.max_rate == UNITS_RATE_MAX)
		json_str(&w, "max");
	else
		json_u64(&w, o->p.max_rate);
	json_kv_u64(&w, "min_rate", o->p.min_rate);
	json_kv_double(&w, "trial_s", (double)o->p.final_duration_ns / 1e9);
	json_kv_double(&w, "bracketing_trial_s", (double)o->p.initial_duration_ns / 1e9);
	json_kv_u64(&w, "phases", o->p.phases);
	json_kv_u64(&w, "trials", o->p.repeats);
	json_obj_end(&w);
	json_key(&w, "sizes");
	json_arr_begin(&w);
	for (i = 0; i < o->n; i++) {
		const struct search_result *r = &o->res[i];

		json_obj_begin(&w);
		json_kv_u64(&w, "size", r->size);
		json_kv_double(&w, "max_pps", r->top_pps);
		json_kv_u64(&w, "trials", r->trials);
		json_kv_double(&w, "time_s", (double)r->elapsed_ns / 1e9);
		for (t = 0; t < SEARCH_T_COUNT; t++)
			if (o->p.targets & (1u << t))
				json_bound(&w, o, r, t);
		json_obj_end(&w);
	}
	json_arr_end(&w);
	json_obj_end(&w);
}

/* search.json through a temp, fsync, rename: readers only ever see a complete document. */
static int json_rewrite(struct search_out *o)
{
	struct afile a;
	FILE *f;
	int rc;

	rc = afile_open(&a, o->dirfd, "search.json", 0644, &f);
	if (rc)
		return rc;
	json_doc(o, f);
	return afile_commit(&a, 1);
}

int search_out_result(struct search_out *o, const struct search_result *r)
{
	int t, rc;

	rc = VEC_ROOM(o->res, o->n, o->cap, 16);
	if (rc)
		return rc;
	o->res[o->n++] = *r;
	for (t = 0; t < SEARCH_T_COUNT && !rc; t++)
		if (o->p.targets & (1u << t))
			rc = out_row(o, r, t);
	if (!rc)
		rc = out_sync(o->csv);
	if (!rc)
		rc = out_sync(o->table);
	if (!rc)
		rc = json_rewrite(o);
	return rc;
}

int search_out_finish(struct search_out *o, const char *status, uint64_t end_ns)
{
	snprintf(o->meta.status, sizeof(o->meta.status), "%s", status);
	o->meta.end_ns = end_ns;
	return json_rewrite(o);
}

void search_out_close(struct search_out *o)
{
	if (!o)
		return;
	if (o->trials)
		fclose(o->trials);
	if (o->table)
		fclose(o->table);
	if (o->csv)
		fclose(o->csv);
	if (o->dirfd >= 0)
		close(o->dirfd);
	free(o->res);
	free(o->rec);
	free(o);
}

static void dat_num(FILE *f, double v)
{
	if (isnan(v) || v <= 0)
		fputs(" NaN", f);
	else
		fprintf(f, " %.6g", v);
}

/* search.dat: one row per size; search_trials.dat: one block per size. */
static int out_data(struct search_out *o, int dirfd)
{
	struct afile a;
	unsigned i, k;
	FILE *f;
	int t, rc;

	rc = afile_open(&a, dirfd, "search.dat", 0644, &f);
	if (rc)
		return rc;
	fputs("# size, then for NDR and PDR: lower upper l2_gbps l1_gbps ci_lo ci_hi\n", f);
	for (i = 0; i < o->n; i++) {
		const struct search_result *r = &o->res[i];

		fprintf(f, "%u", r->size);
		for (t = 0; t < SEARCH_T_COUNT; t++) {
			const struct search_bound *b = &r->b[t];
			double lo = b->found ? b->lower_pps : NAN;

			dat_num(f, lo);
			/* limited: no upper bound, draw the bar to the lower one */
			dat_num(f, b->upper_pps > 0 ? b->upper_pps : lo);
			dat_num(f, units_l2_bps(lo, r->size) / 1e9);
			dat_num(f, units_l1_bps(lo, r->size) / 1e9);
			dat_num(f, b->rx.n > 1 ? b->rx.ci_lo : lo);
			dat_num(f, b->rx.n > 1 ? b->rx.ci_hi : lo);
		}
		fputc('\n', f);
	}
	rc = afile_commit(&a, 0);
	if (rc)
		return rc;

	rc = afile_open(&a, dirfd, "search_trials.dat", 0644, &f);
	if (rc)
		return rc;
	fputs("# per size block: trial offered_pps loss_pct duration_s ndr_ok pdr_ok\n", f);
	for (i = 0; i < o->n; i++) {
		if (i)
			fputs("\n\n", f);
		for (k = 0; k < o->nrec; k++) {
			const struct search_rec *r = &o->rec[k];

			if (r->size != o->res[i].size)
				continue;
			fprintf(f, "%u %.1f %.6f %.3f %d %d\n", r->index, r->t.offered_pps,
				r->loss_ratio * 100, (double)r->duration_ns / 1e9,
				r->loss_ratio <= o->p.ndr_loss + 1e-12,
				r->loss_ratio <= o->p.pdr_loss + 1e-12);
		}
	}
	return afile_commit(&a, 0);
}

int search_out_plots(struct search_out *o, const char *templates)
{
	static const char *const names[] = {"search_rate", "search_gbps", "search_trials"};
	char tpl[PATH_MAX + 32], title[256], vars[4096];
	unsigned i, done = 0;
	size_t off;
	int rc, dfd;

	if (!o->n)
		return 0;
	dfd = afile_subdir(o->dirfd, "plots", 0755);
	if (dfd < 0)
		return dfd;
	rc = out_data(o, dfd);
	if (rc)
		goto out;
	plots_title(title, sizeof(title), &o->meta);
	off =
	    (size_t)snprintf(vars, sizeof(vars), "title='%s'; ndr_pct='%g'; pdr_pct='%g'; sizes='",
			     title, o->p.ndr_loss * 100, o->p.pdr_loss * 100);
	for (i = 0; i < o->n && off < sizeof(vars) - 16; i++)
		off += (size_t)snprintf(vars + off, sizeof(vars) - off, "%s%u", i ? " " : "",
					o->res[i].size);
	snprintf(vars + off, sizeof(vars) - off, "'");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(tpl, sizeof(tpl), "%s/%s.gp", templates, names[i]);
		rc = plots_gnuplot(dfd, tpl, vars);
		if (rc == -ENOENT)
			goto out;
		if (!rc)
			done++;
	}
	rc = (int)done;
out:
	close(dfd);
	return rc;
}
