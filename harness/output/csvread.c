/* CSV files by column name; see csvread.h. */
#include "harness/output/csvread.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/units.h"

/* Split in place at commas; our files never quote. */
static int csv_split(char *s, char **f, int max)
{
	int n = 0;

	s[strcspn(s, "\r\n")] = '\0';
	for (;;) {
		if (n == max)
			return -E2BIG;
		f[n++] = s;
		s = strchr(s, ',');
		if (!s)
			return n;
		*s++ = '\0';
	}
}

int csv_open(struct csv *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->f = fopen(path, "re");
	if (!c->f)
		return -errno;
	if (!fgets(c->hdr, sizeof(c->hdr), c->f)) {
		log_err("%s:1:1: expected a header line of column names, found an empty file",
			path);
		return -EINVAL;
	}
	c->line = 1;
	c->ncol = csv_split(c->hdr, c->col, CSV_MAX_COLS);
	if (c->ncol < 0) {
		log_err("%s:1:1: more than %d columns", path, CSV_MAX_COLS);
		return -EINVAL;
	}
	return 0;
}

void csv_close(struct csv *c)
{
	if (c->f)
		fclose(c->f);
	c->f = NULL;
}

/* The column called name, or -1 after reporting it missing when required. */
int csv_col(const struct csv *c, const char *name, int required)
{
	int i;

	for (i = 0; i < c->ncol; i++)
		if (!strcmp(c->col[i], name))
			return i;
	if (required)
		log_err("%s:1:1: no column '%s' in the header (is this a mir-perf run?)", c->path,
			name);
	return -1;
}

int csv_col_of(const struct csv *c, const struct col_table *t, unsigned id, int required)
{
	return csv_col(c, columns_name(t, id), required);
}

/* The next row's fields (as many as the header has), 0 at the end. */
int csv_next(struct csv *c, char **f)
{
	int n;

	if (!fgets(c->buf, sizeof(c->buf), c->f))
		return 0;
	c->line++;
	if (!strchr(c->buf, '\n') && !feof(c->f)) {
		log_err("%s:%u:1: line longer than %d bytes", c->path, c->line, CSV_LINE_MAX);
		return -EINVAL;
	}
	n = csv_split(c->buf, f, CSV_MAX_COLS);
	if (n != c->ncol) {
		log_err("%s:%u:1: %d fields, expected %d as in the header (a row cut short by a "
			"crash?)",
			c->path, c->line, n < 0 ? CSV_MAX_COLS : n, c->ncol);
		return -EINVAL;
	}
	return n;
}

/* A number; "" and "-" are NaN (not measured: stats.csv writes "-", as
 * the table for people does, for a loss it could not compute). */
int csv_num(struct csv *c, char **f, int col, double *v)
{
	char *end;
	int k;

	if (!f[col][0] || !strcmp(f[col], "-")) {
		*v = NAN;
		return 0;
	}
	errno = 0;
	*v = strtod(f[col], &end);
	if (errno || *end || !isfinite(*v)) {
		unsigned pos = 1;

		for (k = 0; k < col; k++)
			pos += (unsigned)strlen(f[k]) + 1;
		log_err("%s:%u:%u: column '%s': expected a number, found '%.32s'", c->path, c->line,
			pos, c->col[col], f[col]);
		return -EINVAL;
	}
	return 0;
}

int csv_size(struct csv *c, char **f, int col, uint32_t *size)
{
	double v;
	int rc = csv_num(c, f, col, &v);

	if (rc)
		return rc;
	if (!(v >= UNITS_FRAME_MIN && v <= UNITS_FRAME_MAX) || v != floor(v)) {
		log_err("%s:%u: column '%s': expected a frame size %u..%u, found '%.32s'", c->path,
			c->line, c->col[col], UNITS_FRAME_MIN, UNITS_FRAME_MAX, f[col]);
		return -EINVAL;
	}
	*size = (uint32_t)v;
	return 0;
}

int csv_walk(const char *dir, const char *name, const struct col_table *t, const unsigned *ids,
	     unsigned n, csv_row_fn row, void *ctx)
{
	char path[PATH_MAX + 16], *f[CSV_MAX_COLS], *s[CSV_WALK_MAX];
	int col[CSV_WALK_MAX], rc;
	double v[CSV_WALK_MAX];
	unsigned k;
	struct csv c;

	if (n > CSV_WALK_MAX)
		return -E2BIG;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	rc = csv_open(&c, path);
	if (rc && rc != -EINVAL)
		log_err("%s: cannot open: %s", path, strerror(-rc));
	/* every missing column is said, not only the first */
	for (k = 0; !rc && k < n; k++)
		col[k] = csv_col_of(&c, t, ids[k], 1);
	for (k = 0; !rc && k < n; k++)
		if (col[k] < 0)
			rc = -EINVAL;
	while (!rc && (rc = csv_next(&c, f)) > 0) {
		rc = 0;
		for (k = 0; !rc && k < n; k++) {
			s[k] = f[col[k]];
			v[k] = NAN;
			if (t->col[ids[k]].kind != COL_STR)
				rc = csv_num(&c, f, col[k], &v[k]);
		}
		if (!rc)
			rc = row(ctx, &c, v, s);
	}
	csv_close(&c);
	return rc < 0 ? rc : 0;
}
