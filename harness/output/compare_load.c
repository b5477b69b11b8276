/* A run directory read for compare; see compare_load.h. */
#include "harness/output/compare_load.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/output/columns.h"
#include "harness/output/csvread.h"
#include "harness/output/search_cols.h"
#include "lib/log.h"
#include "lib/vec.h"

#define CMP_MAX_VALUES 100000

static struct cmp_val *run_value(struct cmp_run *r, uint32_t size, const char *key)
{
	unsigned i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].size == size && !strcmp(r->v[i].key, key))
			return &r->v[i];
	if (r->n == CMP_MAX_VALUES)
		return NULL;
	if (VEC_ROOM(r->v, r->n, r->cap, 64))
		return NULL;
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	r->v[r->n].size = size;
	snprintf(r->v[r->n].key, sizeof(r->v[0].key), "%s", key);
	ci_acc_init(&r->v[r->n].acc);
	return &r->v[r->n++];
}

/* The value of this row's size and key (field col, when ok says it is one
 * the file may hold), made when new: 0, -EINVAL (reported), -ENOMEM. */
static int row_value(struct cmp_run *r, const struct csv *c, char **f, int col, uint32_t size,
		     int ok, const char *expected, struct cmp_val **v)
{
	if (!ok) {
		log_err("%s:%u: column '%s': expected %s, found '%.32s'", c->path, c->line,
			c->col[col], expected, f[col]);
		return -EINVAL;
	}
	*v = run_value(r, size, f[col]);
	return *v ? 0 : -ENOMEM;
}

static int load_sweep(struct cmp_run *r, const char *path)
{
	const struct col_table *t = &columns_point;
	int c_size, c_target, c_rx, n, rc = 0;
	char *f[CSV_MAX_COLS];
	struct csv c;
	unsigned i;

	rc = csv_open(&c, path);
	if (rc)
		goto out;
	/* || stops at the first missing column: one error, not a list */
	if ((c_size = csv_col_of(&c, t, CP_SIZE, 1)) < 0 ||
	    (c_target = csv_col_of(&c, t, CP_TARGET_PPS, 1)) < 0 ||
	    (c_rx = csv_col_of(&c, t, CP_SINK_RX_PPS, 1)) < 0) {
		rc = -EINVAL;
		goto out;
	}
	/* The rate as the list wrote it, when the file has it: an N% point's
	 * target differs between runs, its N does not. */
	if (csv_col_of(&c, t, CP_RATE, 0) >= 0)
		c_target = csv_col_of(&c, t, CP_RATE, 0);
	while ((n = csv_next(&c, f)) > 0) {
		struct cmp_val *v;
		uint32_t size;
		double rx;

		rc = csv_size(&c, f, c_size, &size);
		if (!rc)
			rc = csv_num(&c, f, c_rx, &rx);
		if (!rc)
			rc = row_value(r, &c, f, c_target, size,
				       f[c_target][0] && strlen(f[c_target]) < sizeof(v->key),
				       "a rate", &v);
		if (rc)
			goto out;
		if (!isnan(rx))
			ci_acc_add(&v->acc, rx);
	}
	if (n < 0) {
		rc = n;
		goto out;
	}
	for (i = 0; i < r->n; i++) {
		struct cmp_val *v = &r->v[i];
		struct ci_stats s;

		ci_acc_finish(&v->acc, &s);
		v->value = s.n ? s.mean : NAN;
		v->lo = s.n > 1 ? s.ci_lo : v->value;
		v->hi = s.n > 1 ? s.ci_hi : v->value;
	}
out:
	csv_close(&c);
	return rc;
}

static int load_search(struct cmp_run *r, const char *path)
{
	const struct col_table *t = &search_columns;
	int c_size, c_target, c_found, c_limit, c_lo, c_hi, c_tol, c_cilo, c_cihi, n, rc;
	char *f[CSV_MAX_COLS];
	struct csv c;

	rc = csv_open(&c, path);
	if (rc)
		goto out;
	c_cilo = csv_col_of(&c, t, SR_RX_CI_LO_PPS, 0);
	c_cihi = csv_col_of(&c, t, SR_RX_CI_HI_PPS, 0);
	/* || stops at the first missing column: one error, not a list */
	if ((c_size = csv_col_of(&c, t, SR_SIZE, 1)) < 0 ||
	    (c_target = csv_col_of(&c, t, SR_TARGET, 1)) < 0 ||
	    (c_found = csv_col_of(&c, t, SR_FOUND, 1)) < 0 ||
	    (c_limit = csv_col_of(&c, t, SR_LIMIT, 1)) < 0 ||
	    (c_lo = csv_col_of(&c, t, SR_LOWER_PPS, 1)) < 0 ||
	    (c_hi = csv_col_of(&c, t, SR_UPPER_PPS, 1)) < 0 ||
	    (c_tol = csv_col_of(&c, t, SR_LOSS_TOLERANCE_PCT, 1)) < 0) {
		rc = -EINVAL;
		goto out;
	}
	while ((n = csv_next(&c, f)) > 0) {
		double lo, hi, tol, cilo = NAN, cihi = NAN;
		struct cmp_val *v;
		uint32_t size;

		rc = csv_size(&c, f, c_size, &size);
		if (!rc)
			rc = csv_num(&c, f, c_lo, &lo);
		if (!rc)
			rc = csv_num(&c, f, c_hi, &hi);
		if (!rc)
			rc = csv_num(&c, f, c_tol, &tol);
		if (!rc && c_cilo >= 0)
			rc = csv_num(&c, f, c_cilo, &cilo);
		if (!rc && c_cihi >= 0)
			rc = csv_num(&c, f, c_cihi, &cihi);
		if (!rc)
			rc = row_value(r, &c, f, c_target, size,
				       !strcmp(f[c_target], "ndr") || !strcmp(f[c_target], "pdr"),
				       "ndr or pdr", &v);
		if (rc)
			goto out;
		v->tolerance = tol;
		v->limited = strcmp(f[c_limit], "none") != 0;
		if (strcmp(f[c_found], "1") || isnan(lo)) {
			/* no rate within the tolerance: 0, up to the lowest lossy rate */
			v->value = 0;
			v->lo = 0;
			v->hi = isnan(hi) ? 0 : hi;
			continue;
		}
		v->value = lo;
		v->lo = isnan(cilo) ? lo : fmin(lo, cilo);
		v->hi = v->limited ? INFINITY : isnan(hi) ? lo : hi;
		if (!isnan(cihi) && cihi > v->hi)
			v->hi = cihi;
	}
	rc = n < 0 ? n : 0;
out:
	csv_close(&c);
	return rc;
}

/* The string value of a top-level "key": "value" in a JSON file we wrote
 * (the first occurrence: metadata comes before nested objects there). */
static void json_string_of(const char *path, const char *key, char *out, size_t len)
{
	char buf[16384], pat[64], *p;
	size_t n, i = 0;
	FILE *f;

	out[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(buf, pat);
	if (!p)
		return;
	p += strlen(pat);
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p++ != ':')
		return;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p++ != '"')
		return;
	while (*p && *p != '"' && *p != '\\' && i + 1 < len)
		out[i++] = *p++;
	out[i] = '\0';
}

int compare_load_run(struct cmp_run *r, const char *dir)
{
	char csv[PATH_MAX + 32], json[PATH_MAX + 32];
	struct stat st;
	int rc;

	r->dir = dir;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		log_err("%s: not a run directory (%s)", dir,
			errno == ENOENT ? "no such directory" : "not a directory");
		return -EINVAL;
	}
	snprintf(csv, sizeof(csv), "%s/search.csv", dir);
	snprintf(json, sizeof(json), "%s/search.json", dir);
	r->search = access(csv, R_OK) == 0;
	if (!r->search) {
		snprintf(csv, sizeof(csv), "%s/stats.csv", dir);
		snprintf(json, sizeof(json), "%s/stats.json", dir);
		if (access(csv, R_OK)) {
			log_err("%s: not a run directory: neither search.csv nor stats.csv in it",
				dir);
			return -EINVAL;
		}
	}
	json_string_of(json, "platform", r->platform, sizeof(r->platform));
	json_string_of(json, "library", r->library, sizeof(r->library));
	json_string_of(json, "commit", r->commit, sizeof(r->commit));
	json_string_of(json, "dut", r->dut, sizeof(r->dut));
	rc = r->search ? load_search(r, csv) : load_sweep(r, csv);
	if (rc == -ENOMEM)
		log_err("%s: out of memory", csv);
	else if (rc && rc != -EINVAL)
		log_err("%s: %s", csv, strerror(-rc));
	if (!rc && !r->n) {
		log_err("%s: no measurement in it (the run stopped before its first result)", csv);
		rc = -EINVAL;
	}
	return rc;
}
