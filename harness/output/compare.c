/* Two runs side by side; see compare.h. */
#include "harness/output/compare.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/output/compare_load.h"
#include "harness/output/plots.h"
#include "lib/atomic_file.h"
#include "lib/trust.h"
#include "lib/log.h"
#include "lib/units.h"

static const struct cmp_val *find_value(const struct cmp_run *r, const struct cmp_val *like)
{
	unsigned i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].size == like->size && !strcmp(r->v[i].key, like->key))
			return &r->v[i];
	return NULL;
}

static void list_sizes(const struct cmp_run *r, char *buf, size_t len)
{
	size_t off = 0;
	unsigned i, j;

	buf[0] = '\0';
	for (i = 0; i < r->n && off + 12 < len; i++) {
		for (j = 0; j < i && r->v[j].size != r->v[i].size; j++)
			;
		if (j == i)
			off += (size_t)snprintf(buf + off, len - off, "%s%u", off ? " " : "",
						r->v[i].size);
	}
}

/* Why A and B cannot be compared, reported; 0 when they can. */
static int check_match(const struct cmp_run *a, const struct cmp_run *b)
{
	char sa[256], sb[256];
	unsigned i, common = 0;

	if (a->search != b->search) {
		log_err(
		    "cannot compare %s (%s) with %s (%s): one is a throughput search, the other "
		    "a sweep",
		    a->dir, a->search ? "search" : "sweep", b->dir, b->search ? "search" : "sweep");
		return -EINVAL;
	}
	if (a->platform[0] && b->platform[0] && strcmp(a->platform, b->platform)) {
		log_err("cannot compare %s with %s: measured on different platforms (%s, %s)",
			a->dir, b->dir, a->platform, b->platform);
		return -EINVAL;
	}
	for (i = 0; i < a->n; i++) {
		const struct cmp_val *vb = find_value(b, &a->v[i]);

		if (!vb)
			continue;
		if (a->search && fabs(vb->tolerance - a->v[i].tolerance) > 1e-9) {
			log_err("cannot compare %s with %s: %s searched with different loss "
				"tolerances (%g %%, %g %%)",
				a->dir, b->dir, a->v[i].key, a->v[i].tolerance, vb->tolerance);
			return -EINVAL;
		}
		common++;
	}
	if (!common) {
		list_sizes(a, sa, sizeof(sa));
		list_sizes(b, sb, sizeof(sb));
		log_err("cannot compare %s with %s: no frame size%s in common (A: %s; B: %s)",
			a->dir, b->dir, a->search ? " and target" : " and rate", sa, sb);
		return -EINVAL;
	}
	return 0;
}

static void fmt_value(char *buf, size_t len, const struct cmp_val *v, int search)
{
	char r[32];

	units_fmt_pps(r, sizeof(r), v->value);
	if (search && v->value == 0)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%s%s", v->limited ? ">= " : "", r);
}

static void fmt_key(char *buf, size_t len, const struct cmp_val *v, int search)
{
	uint64_t rate;

	if (search) {
		snprintf(buf, len, "%s", !strcmp(v->key, "ndr") ? "NDR" : "PDR");
		return;
	}
	if (!strcmp(v->key, "max") || units_parse_uint(v->key, 1, UINT64_MAX, &rate)) {
		snprintf(buf, len, "%s", v->key);
		return;
	}
	units_fmt_pps(buf, len, (double)rate);
}

static void sanitise_name(char *dst, size_t len, const char *dir)
{
	const char *base = strrchr(dir, '/');
	size_t i;

	/* a trailing slash: the name before it */
	while (base && !base[1] && base > dir) {
		const char *p = base - 1;

		while (p > dir && *p != '/')
			p--;
		if (*p == '/') {
			base = p;
			break;
		}
		base = NULL;
	}
	base = base ? base + 1 : dir;
	for (i = 0; i + 1 < len && base[i] && base[i] != '/'; i++)
		dst[i] = (base[i] >= 'a' && base[i] <= 'z') || (base[i] >= 'A' && base[i] <= 'Z') ||
				 (base[i] >= '0' && base[i] <= '9') || base[i] == '-' ||
				 base[i] == '.' || base[i] == '_'
			     ? base[i]
			     : '_';
	dst[i] = '\0';
	if (!i || !strcmp(dst, ".") || !strcmp(dst, ".."))
		snprintf(dst, len, "run");
}

static void dat_num(FILE *f, double v)
{
	if (isnan(v))
		fputs(" NaN", f);
	else if (isinf(v))
		fputs(" NaN", f);
	else
		fprintf(f, " %.6g", v);
}

static int run_label(char *buf, size_t len, const struct cmp_run *r)
{
	return snprintf(buf, len, "%.60s %.12s (%.16s)", r->library[0] ? r->library : r->dut,
			r->commit[0] ? r->commit : "local", r->platform[0] ? r->platform : "?");
}

/* The comparison's directory dir, made when missing, through its parent's
 * fd: under sudo the parent must be one root may write into (see trust.h),
 * so a directory of another user's run is not a way to make root write
 * where they choose. The fd, or a negative errno (-EPERM reported). */
int compare_open_out_dir(const char *dir)
{
	char parent[PATH_MAX], why[PATH_MAX + 128];
	const char *base, *slash = strrchr(dir, '/');
	int pfd, fd, rc;

	if (slash && !slash[1]) {
		log_err("%s: expected a directory name without a trailing '/'", dir);
		return -EINVAL;
	}
	base = slash ? slash + 1 : dir;
	if (snprintf(parent, sizeof(parent), "%.*s", slash ? (int)(slash - dir) : 1,
		     slash ? (slash == dir ? "/" : dir) : ".") >= (int)sizeof(parent))
		return -ENAMETOOLONG;
	rc = trust_parent_path(parent, why, sizeof(why));
	if (rc) {
		log_err("not writing the comparison into %s: %s", dir, why);
		return rc;
	}
	pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -errno;
	fd = afile_subdir(pfd, base, 0755);
	close(pfd);
	return fd;
}

int compare_mode_csv(const char *dir_a, const char *dir_b, const struct compare_opts *o,
		     const char *name, char *path, size_t plen, int *dfd, struct afile *ac,
		     FILE **csv)
{
	char out_dir[PATH_MAX];
	int rc;

	*csv = NULL;
	if (o->out_dir) {
		snprintf(out_dir, sizeof(out_dir), "%s", o->out_dir);
	} else {
		const char *base = strrchr(dir_a, '/');

		base = base && base[1] ? base + 1 : dir_a;
		snprintf(out_dir, sizeof(out_dir), "%s/compare-vs-%.100s", dir_b, base);
	}
	*dfd = compare_open_out_dir(out_dir);
	if (*dfd < 0) {
		rc = *dfd;
		if (rc != -EPERM)
			log_err("cannot create %s: %s", out_dir, strerror(-rc));
		return rc;
	}
	snprintf(path, plen, "%s/%s", out_dir, name);
	/* through the directory's fd, a temp renamed over the name (atomic_file.h) */
	rc = afile_begin(ac, *dfd, name, 0644);
	if (!rc && !(*csv = afile_stream(ac)))
		rc = -errno;
	if (rc)
		log_err("cannot create %s: %s", path, strerror(-rc));
	return rc;
}

int compare_mode_summary(const struct compare_opts *o, FILE *out, const char *path, unsigned rows,
			 unsigned beyond, unsigned regressed)
{
	fprintf(out, "\n%u compared, %u beyond noise", rows, beyond);
	if (o->fail_pct >= 0)
		fprintf(out, ", %u regressed by more than %g %% beyond noise", regressed,
			o->fail_pct);
	fputc('\n', out);
	if (!o->quiet)
		fprintf(out, "comparison: %s\n", path);
	return regressed ? 1 : 0;
}

int compare_mode_close(struct afile *ac, FILE *csv, int dfd, const char *path, int rc)
{
	if (csv && rc >= 0) {
		int crc = afile_commit(ac, 0);

		if (crc) {
			rc = crc;
			log_err("writing %s: %s", path, strerror(-rc));
		}
	} else {
		afile_abort(ac);
	}
	if (dfd >= 0)
		close(dfd);
	return rc;
}

/* compare.csv and compare.dat in dir, and the plot when templates are known. */
static int write_files(const char *dir, const struct cmp_run *a, const struct cmp_run *b,
		       const struct compare_opts *o)
{
	char key[32], la[192], lb[192], vars[512], tpl[PATH_MAX + 32];
	struct afile ac = {.fd = -1}, ad = {.fd = -1};
	FILE *csv = NULL, *dat = NULL;
	unsigned i, row = 0;
	int rc, dfd;

	dfd = compare_open_out_dir(dir);
	if (dfd < 0)
		return dfd;
	rc = afile_begin(&ac, dfd, "compare.csv", 0644);
	if (!rc)
		rc = afile_begin(&ad, dfd, "compare.dat", 0644);
	if (rc)
		goto out;
	csv = afile_stream(&ac);
	dat = afile_stream(&ad);
	if (!csv || !dat) {
		rc = -errno;
		goto out;
	}
	fprintf(csv,
		"size,%s,a_pps,a_lo_pps,a_hi_pps,b_pps,b_lo_pps,b_hi_pps,diff_pct,"
		"beyond_noise\n",
		a->search ? "target" : "target_pps");
	fputs("# row label a a_lo a_hi b b_lo b_hi\n", dat);
	for (i = 0; i < a->n; i++) {
		const struct cmp_val *va = &a->v[i], *vb = find_value(b, va);
		double diff;

		if (!vb)
			continue;
		diff = va->value > 0 ? 100 * (vb->value - va->value) / va->value : NAN;
		fprintf(csv, "%u,%s,%.1f,%.1f,", va->size, va->key, va->value, va->lo);
		if (isinf(va->hi))
			fputs(",", csv);
		else
			fprintf(csv, "%.1f,", va->hi);
		fprintf(csv, "%.1f,%.1f,", vb->value, vb->lo);
		if (isinf(vb->hi))
			fputs(",", csv);
		else
			fprintf(csv, "%.1f,", vb->hi);
		if (isnan(diff))
			fputs(",", csv);
		else
			fprintf(csv, "%.3f,", diff);
		fprintf(csv, "%d\n", vb->hi < va->lo || va->hi < vb->lo);
		fmt_key(key, sizeof(key), va, a->search);
		fprintf(dat, "%u \"%u B %s\"", row++, va->size, key);
		dat_num(dat, va->value);
		dat_num(dat, va->lo);
		dat_num(dat, isinf(va->hi) ? va->value : va->hi);
		dat_num(dat, vb->value);
		dat_num(dat, vb->lo);
		dat_num(dat, isinf(vb->hi) ? vb->value : vb->hi);
		fputc('\n', dat);
	}
	rc = afile_commit(&ac, 0);
	if (!rc)
		rc = afile_commit(&ad, 0);
	if (rc || !o->templates)
		goto out;
	run_label(la, sizeof(la), a);
	run_label(lb, sizeof(lb), b);
	/* labels go into gnuplot strings: only plain characters */
	for (i = 0; la[i]; i++)
		if (la[i] == '\'' || la[i] == '\\' || (unsigned char)la[i] < 0x20)
			la[i] = '_';
	for (i = 0; lb[i]; i++)
		if (lb[i] == '\'' || lb[i] == '\\' || (unsigned char)lb[i] < 0x20)
			lb[i] = '_';
	snprintf(vars, sizeof(vars), "label_a='A: %s'; label_b='B: %s'; what='%s'", la, lb,
		 a->search ? "NDR/PDR lower bound" : "received at the sink");
	snprintf(tpl, sizeof(tpl), "%s/compare.gp", o->templates);
	rc = plots_gnuplot(dfd, tpl, vars);
	if (rc == -ENOENT)
		log_warn("no gnuplot: no comparison plot (install gnuplot-nox: make deps)");
	else if (rc)
		log_warn("gnuplot failed on %s (see %s/gnuplot.log)", tpl, dir);
	rc = 0; /* the table and CSV stand without the plot */
out:
	afile_abort(&ac);
	afile_abort(&ad);
	close(dfd);
	return rc;
}

int compare_runs(const char *dir_a, const char *dir_b, const struct compare_opts *o, FILE *out)
{
	struct cmp_run a, b;
	char out_dir[PATH_MAX], name[128], key[32], va_s[40], vb_s[40], la[192], lb[192];
	unsigned i, rows = 0, beyond = 0, regressed = 0;
	int rc;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	rc = compare_load_run(&a, dir_a);
	if (!rc)
		rc = compare_load_run(&b, dir_b);
	if (!rc)
		rc = check_match(&a, &b);
	if (rc)
		goto out;

	run_label(la, sizeof(la), &a);
	run_label(lb, sizeof(lb), &b);
	fprintf(out, "A: %s  %s\nB: %s  %s\n", dir_a, la, dir_b, lb);
	fprintf(out, "%s; beyond noise: %s\n\n",
		a.search ? "lower bounds of NDR and PDR"
			 : "frames received at the sink per second, mean over the trials",
		a.search ? "outside both runs' lower..upper bounds (and 95 % CIs of repeats)"
			 : "outside both runs' 95 % confidence intervals (trials > 1)");
	fprintf(out, "%5s  %-10s %22s %22s %9s  %s\n", "size", a.search ? "target" : "rate", "A",
		"B", "diff", "beyond noise");
	for (i = 0; i < a.n; i++) {
		const struct cmp_val *va = &a.v[i], *vb = find_value(&b, va);
		int disjoint, worse = 0;
		char diff[16];

		if (!vb)
			continue;
		rows++;
		disjoint = vb->hi < va->lo || va->hi < vb->lo;
		beyond += disjoint;
		if (o->fail_pct >= 0 && vb->hi < va->lo * (1 - o->fail_pct / 100)) {
			worse = 1;
			regressed++;
		}
		fmt_key(key, sizeof(key), va, a.search);
		fmt_value(va_s, sizeof(va_s), va, a.search);
		fmt_value(vb_s, sizeof(vb_s), vb, b.search);
		if (va->value > 0)
			snprintf(diff, sizeof(diff), "%+.1f %%",
				 100 * (vb->value - va->value) / va->value);
		else
			snprintf(diff, sizeof(diff), "-");
		fprintf(out, "%5u  %-10s %22s %22s %9s  %s%s\n", va->size, key, va_s, vb_s, diff,
			!disjoint		? "no"
			: vb->value < va->value ? "yes, B lower"
						: "yes, B higher",
			worse ? "  REGRESSION" : "");
	}
	fprintf(out, "\n%u compared, %u beyond noise", rows, beyond);
	if (o->fail_pct >= 0)
		fprintf(out, ", %u regressed by more than %g %% beyond noise", regressed,
			o->fail_pct);
	fputc('\n', out);

	if (o->out_dir) {
		snprintf(out_dir, sizeof(out_dir), "%s", o->out_dir);
	} else {
		sanitise_name(name, sizeof(name), dir_a);
		if ((size_t)snprintf(out_dir, sizeof(out_dir), "%s/compare-vs-%s", dir_b, name) >=
		    sizeof(out_dir)) {
			rc = -ENAMETOOLONG;
			log_err("%s: path too long for the comparison files", dir_b);
			goto out;
		}
	}
	rc = write_files(out_dir, &a, &b, o);
	if (rc) {
		if (rc != -EPERM)
			log_err("writing the comparison into %s: %s", out_dir, strerror(-rc));
		goto out;
	}
	if (!o->quiet)
		fprintf(out, "comparison: %s/compare.csv%s\n", out_dir,
			o->templates ? " and compare.png, compare.svg" : "");
	rc = regressed ? 1 : 0;
out:
	free(a.v);
	free(b.v);
	return rc;
}

int compare_exit_status(int rc)
{
	if (rc == 0)
		return COMPARE_EXIT_OK;
	if (rc == 1)
		return COMPARE_EXIT_REGRESSION;
	if (rc == -EINVAL)
		return COMPARE_EXIT_USAGE;
	return COMPARE_EXIT_ERROR;
}
