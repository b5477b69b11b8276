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

#endif
