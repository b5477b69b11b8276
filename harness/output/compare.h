/* mir-perf compare RUN_DIR_A RUN_DIR_B: the same measurements of two runs side
 * by side, per frame size and per rate (sweeps) or per NDR/PDR (searches): A,
 * B, the difference in %, and whether it is beyond both runs' noise.
 *
 * Noise: for a sweep point repeated N > 1 times, the 95 % confidence interval
 * of the sink's rate over the trials; for a search, the interval between its
 * lower and upper bound, widened by the confidence interval of the repeated
 * final trials. B regressed when its best plausible value is still more than
 * PCT % below A's worst plausible one.
 *
 * Files are read by column name (stats.csv, search.csv), so added columns do
 * not break it; the platform comes from stats.json / search.json. */
#ifndef MP_COMPARE_H
#define MP_COMPARE_H

#include <stdio.h>

struct compare_opts {
	double fail_pct;       /* --fail-on-regression PCT; < 0 = not asked */
	const char *out_dir;   /* where compare.csv and plots go; NULL = B/compare-vs-<A> */
	const char *templates; /* plots/ directory; NULL = no plot */
	int quiet;
};

/* Exit status of `mir-perf compare`. */
#define COMPARE_EXIT_OK		0
#define COMPARE_EXIT_ERROR	1
#define COMPARE_EXIT_USAGE	2 /* and mismatched runs */
#define COMPARE_EXIT_REGRESSION 3

/* Print the comparison to out and write the files. Returns 0 when nothing
 * regressed beyond fail_pct (or it was not asked), 1 when something did,
 * -EINVAL for runs that cannot be compared (reported here, with why), or
 * another negative errno (reported here too). */
int compare_runs(const char *dir_a, const char *dir_b, const struct compare_opts *o, FILE *out);

/* The comparison's directory dir (B/compare-vs-A or -o DIR), made when
 * missing, through its trusted parent's fd: the fd, or a negative errno
 * (-EPERM reported). Shared by the frames and the goodput comparisons. */
int compare_open_out_dir(const char *dir);

struct afile;

/* The goodput and rr comparisons' file name (compare-goodput.csv, ...): the
 * comparison's directory (o->out_dir, or B/compare-vs-<A's last name>) made
 * through compare_open_out_dir, and name begun in it through its fd
 * (atomic_file.h): *csv is the stream to write, path its name for messages.
 * 0, or a negative errno (reported here). The caller commits or aborts ac
 * and closes *dfd (>= 0) on every path, this one's failures included. */
int compare_mode_csv(const char *dir_a, const char *dir_b, const struct compare_opts *o,
		     const char *name, char *path, size_t plen, int *dfd, struct afile *ac,
		     FILE **csv);

/* The goodput and rr comparisons' last lines (the counts; the file when not
 * quiet): 1 when something regressed, else 0. */
int compare_mode_summary(const struct compare_opts *o, FILE *out, const char *path, unsigned rows,
			 unsigned beyond, unsigned regressed);
/* The end of compare_mode_csv's file: committed when it was begun and rc is
 * not an error, else dropped; dfd closed. rc, or the commit's error
 * (reported here). */
int compare_mode_close(struct afile *ac, FILE *csv, int dfd, const char *path, int rc);

/* Map compare_runs' return value to the exit status above. */
int compare_exit_status(int rc);

#endif
