/* A mode's CSV and JSON from its column table; see table_out.h. */
#include "harness/output/table_out.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/atomic_file.h"
#include "lib/json.h"
#include "lib/vec.h"

struct table_out {
	struct table_out_spec spec;
	int dirfd; /* the run directory, owned (a dup): every file through it */
	char dir[PATH_MAX];
	struct results_meta meta;
	FILE *csv;
	unsigned char *rows; /* n rows of spec.row_size */
	unsigned n, cap;
};

static int flush_sync(FILE *f)
{
	if (fflush(f) || ferror(f))
		return -EIO;
	return fsync(fileno(f)) ? -errno : 0;
}

/* One line (the header when row is NULL), made durable. */
static int csv_line(struct table_out *o, const void *row)
{
	char line[2048];
	int n = row ? columns_csv_row(o->spec.cols, row, line, sizeof(line))
		    : columns_csv_header(o->spec.cols, line, sizeof(line));

	if (n < 0)
		return n;
	fputs(line, o->csv);
	return flush_sync(o->csv);
}

/* A temp through the run directory's fd, fsync, rename: readers only ever
 * see a whole document, and a planted file is replaced, not followed. */
static int write_json(struct table_out *o)
{
	struct json_writer j;
	struct afile a;
	unsigned i;
	FILE *f;
	int rc;

	rc = afile_open(&a, o->dirfd, o->spec.json, 0644, &f);
	if (rc)
		return rc;
	json_init(&j, f, 1);
	json_obj_begin(&j);
	json_kv_str(&j, "mode", o->spec.mode);
	results_meta_json(&j, &o->meta, NULL, RESULTS_META_NESTED);
	json_key(&j, "points");
	json_arr_begin(&j);
	for (i = 0; i < o->n; i++)
		columns_json(o->spec.cols, o->rows + (size_t)i * o->spec.row_size, &j);
	json_arr_end(&j);
	json_obj_end(&j);
	return afile_commit(&a, 1);
}

int table_out_open(int dirfd, const char *dir, const struct results_meta *meta,
		   const struct table_out_spec *spec, struct table_out **out)
{
	struct table_out *o;
	int fd, rc;

	*out = NULL;
	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->spec = *spec;
	snprintf(o->dir, sizeof(o->dir), "%s", dir);
	o->meta = *meta;
	snprintf(o->meta.status, sizeof(o->meta.status), "running");
	o->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (o->dirfd < 0) {
		rc = -errno;
		goto fail;
	}
	/* appended point by point: created new, never through a planted name */
	fd = afile_create(o->dirfd, spec->csv, O_WRONLY | O_CLOEXEC, 0644);
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
	rc = csv_line(o, NULL);
	if (!rc)
		rc = write_json(o);
	if (rc)
		goto fail;
	*out = o;
	return 0;
fail:
	table_out_close(o);
	return rc;
}

int table_out_add(struct table_out *o, const void *row)
{
	int rc = vec_room(&o->rows, o->n, &o->cap, o->spec.row_size, 16);

	if (rc)
		return rc;
	memcpy(o->rows + (size_t)o->n++ * o->spec.row_size, row, o->spec.row_size);
	rc = csv_line(o, row);
	return rc ? rc : write_json(o);
}

int table_out_finish(struct table_out *o, const char *status, uint64_t end_ns)
{
	snprintf(o->meta.status, sizeof(o->meta.status), "%s", status);
	o->meta.end_ns = end_ns;
	return write_json(o);
}

unsigned table_out_count(const struct table_out *o)
{
	return o ? o->n : 0;
}

const void *table_out_rows(const struct table_out *o)
{
	return o->rows;
}

const struct results_meta *table_out_meta(const struct table_out *o)
{
	return &o->meta;
}

const char *table_out_dir(const struct table_out *o)
{
	return o->dir;
}

int table_out_dirfd(const struct table_out *o)
{
	return o->dirfd;
}

void table_out_close(struct table_out *o)
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
