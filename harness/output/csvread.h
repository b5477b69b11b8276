/* Reading the CSV files mir-perf writes (stats.csv, search.csv, trials.csv)
 * by column NAME, so columns added later, or reordered, break no reader.
 * Errors are reported here with file:line:column and the bad token, since
 * this is the layer that knows where it is in the file. Our files never quote
 * fields; a row with a different number of fields than the header is an error
 * (a row cut short by a crash). */
#ifndef MP_CSVREAD_H
#define MP_CSVREAD_H

#include <stdint.h>
#include <stdio.h>

#include "harness/output/columns.h"

#define CSV_MAX_COLS 128
#define CSV_LINE_MAX 8192

struct csv {
	const char *path;
	FILE *f;
	unsigned line;
	char hdr[CSV_LINE_MAX], buf[CSV_LINE_MAX];
	char *col[CSV_MAX_COLS];
	int ncol;
};

/* Open and read the header; 0, -errno (not reported) or -EINVAL (reported). */
int csv_open(struct csv *c, const char *path);
void csv_close(struct csv *c);
/* The index of the column called name; -1 (reported when required) if none. */
int csv_col(const struct csv *c, const char *name, int required);
/* The same for column id of the table that writes the file (columns.h):
 * readers name a column by the writer's table, never by a second spelling. */
int csv_col_of(const struct csv *c, const struct col_table *t, unsigned id, int required);
/* The next row split into f[0..ncol-1]; 0 at the end, -EINVAL (reported). */
int csv_next(struct csv *c, char **f);
/* Field col as a finite number; an empty field or "-" is NaN. -EINVAL (reported). */
int csv_num(struct csv *c, char **f, int col, double *v);
/* Field col as a frame size 64..9018. -EINVAL (reported). */
int csv_size(struct csv *c, char **f, int col, uint32_t *size);

/* The most columns csv_walk reads. */
#define CSV_WALK_MAX 16
/* One row for csv_walk's caller: the wanted columns in the order of its
 * ids, v[k] as a number (NaN for a text column) and s[k] as written; c
 * names the file and line for a message. 0 to go on, or a negative errno
 * (said). */
typedef int (*csv_row_fn)(void *ctx, struct csv *c, const double *v, char *const *s);
/* Read dir/name, a mode's file written from the column table t (goodput.csv,
 * rr.csv): the n (<= CSV_WALK_MAX) columns ids[] found by their names (every
 * missing one said), then, row by row, each of them converted (csv_num; a
 * COL_STR column is left as written) and row() called. 0; -EINVAL, said
 * (not what mir-perf writes); or another negative errno, said (a file that
 * cannot be opened) or row()'s. */
int csv_walk(const char *dir, const char *name, const struct col_table *t, const unsigned *ids,
	     unsigned n, csv_row_fn row, void *ctx);

#endif
