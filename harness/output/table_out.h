/* A mode's result files written point by point from its column table
 * (columns.h), as the goodput and rr modes do:
 *   <csv>   one row per point, appended, flushed and fsync'd
 *   <json>  {"mode", "meta", "points"}, rewritten atomically after each
 * Rows are kept (copied) for the mode's plot and report. */
#ifndef MP_TABLE_OUT_H
#define MP_TABLE_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "harness/output/columns.h"
#include "harness/output/results.h"

struct table_out_spec {
	const char *mode;	/* rr.json's "mode" */
	const char *csv, *json; /* file names in the run directory */
	const struct col_table *cols;
	size_t row_size; /* the table's row struct */
};

struct table_out;

/* Create csv (header) and json in the run directory dirfd (dir: its path,
 * for messages and the report), every file through the fd
 * (lib/atomic_file.h); meta's status becomes "running". */
int table_out_open(int dirfd, const char *dir, const struct results_meta *meta,
		   const struct table_out_spec *spec, struct table_out **out);
int table_out_add(struct table_out *o, const void *row);
int table_out_finish(struct table_out *o, const char *status, uint64_t end_ns);
unsigned table_out_count(const struct table_out *o);
/* The rows in order, row_size apart (valid until the next add). */
const void *table_out_rows(const struct table_out *o);
const struct results_meta *table_out_meta(const struct table_out *o);
const char *table_out_dir(const struct table_out *o);
int table_out_dirfd(const struct table_out *o);
void table_out_close(struct table_out *o);

#endif
