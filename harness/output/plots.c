/* gnuplot plots of a run; see plots.h. */
#include "harness/output/plots.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/output/columns.h"
#include "lib/atomic_file.h"
#include "lib/log.h"
#include "lib/mtime.h"

/* gnuplot on a few hundred points takes well under a second; a stuck one is killed. */
#define PLOTS_TIMEOUT_NS (30 * NSEC_PER_SEC)
#define PLOTS_MAX_SIZES	 256

static const char *const plot_names[PLOT_COUNT] = {
    "rx_vs_offered",
    "loss_vs_offered",
    "mbps_vs_size",
    "latency_vs_offered",
};

static const char *const plot_captions[PLOT_COUNT] = {
    "Frames received at the sink vs frames offered, per second, one line per frame size",
    "Loss (% of frames sent) vs offered rate, one line per frame size",
    "Throughput (Mbit/s at the sink) vs frame size, at each size's highest loss-free rate",
    "One-way latency percentiles (p50, p99, p99.9) vs offered rate",
};

const char *plots_name(enum plot_kind k)
{
	return k < PLOT_COUNT ? plot_names[k] : "?";
}

const char *plots_caption(enum plot_kind k)
{
	return k < PLOT_COUNT ? plot_captions[k] : "?";
}

/* dir holds the templates: make it absolute in place (gnuplot runs elsewhere). */
static int is_template_dir(char *dir, size_t len)
{
	char path[PATH_MAX + 32], abs[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s.gp", dir, plot_names[0]);
	if (access(path, R_OK) || !realpath(dir, abs) || strlen(abs) >= len)
		return 0;
	memcpy(dir, abs, strlen(abs) + 1);
	return 1;
}

int plots_find_templates(char *buf, size_t len)
{
	const char *env = getenv("MP_PLOTS_DIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return is_template_dir(buf, len) ? 0 : -ENOENT;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0'; /* .../bin */
			snprintf(buf, len, "%s/../plots", exe);
			if (is_template_dir(buf, len))
				return 0;
		}
	}
	snprintf(buf, len, "%s/plots", MP_DATADIR);
	return is_template_dir(buf, len) ? 0 : -ENOENT;
}

/* Keep only characters with no meaning inside a single-quoted gnuplot string
 * or to gnuplot's text rendering: the title can come from an exec: command. */
static void sanitise(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(" .,:/+=()-", *s)))
			*s = '_';
}

void plots_title(char *buf, size_t len, const struct results_meta *m)
{
	char date[32];

	mtime_fmt_utc(date, sizeof(date), m->start_ns, 1);
	if (m->library[0])
		snprintf(buf, len, "%s %.12s  (%s platform)  %s", m->library,
			 m->commit[0] ? m->commit : "head", m->platform, date);
	else
		snprintf(buf, len, "DUT %.80s  (%s platform)  %s", m->dut, m->platform, date);
	sanitise(buf);
}

/* The sizes in the order they first appear. */
static unsigned distinct_sizes(const struct results *r, uint32_t *sizes, unsigned max)
{
	unsigned i, j, n = 0;

	for (i = 0; i < results_count(r); i++) {
		uint32_t s = results_point_at(r, i)->size;

		for (j = 0; j < n && sizes[j] != s; j++)
			;
		if (j == n && n < max)
			sizes[n++] = s;
	}
	return n;
}

static int cmp_offered(const void *a, const void *b)
{
	const struct results_point *x = *(const struct results_point *const *)a;
	const struct results_point *y = *(const struct results_point *const *)b;

	return (x->offered_pps > y->offered_pps) - (x->offered_pps < y->offered_pps);
}

/* points.dat: one block per size (separated by two blank lines, so gnuplot's
 * `index` picks it), sorted by offered rate. */
static int write_points(const struct results *r, int dirfd, const uint32_t *sizes, unsigned nsizes)
{
	const struct results_point **sel = NULL;
	char line[512];
	struct afile a;
	FILE *f = NULL;
	unsigned s, i, n;
	int rc;

	rc = afile_begin(&a, dirfd, "points.dat", 0644);
	if (rc)
		return rc;
	sel = calloc(results_count(r) + 1, sizeof(*sel));
	f = afile_stream(&a);
	if (!sel || !f) {
		rc = sel ? -errno : -ENOMEM;
		goto out;
	}
	/* points.dat's columns (COL_DAT of the column table) */
	rc = columns_dat_header(&columns_point, line, sizeof(line));
	if (rc < 0)
		goto out;
	fputs(line, f);
	rc = 0;
	for (s = 0; s < nsizes && !rc; s++) {
		/* A point whose generator failed says nothing of the DUT at the
		 * rate asked: the curves leave it out, as the summaries do. */
		for (i = n = 0; i < results_count(r); i++)
			if (results_point_at(r, i)->size == sizes[s] &&
			    !(results_point_at(r, i)->flags & RESULTS_GEN_FAILED))
				sel[n++] = results_point_at(r, i);
		qsort(sel, n, sizeof(*sel), cmp_offered);
		if (s)
			fputs("\n\n", f);
		/* an empty block would shift gnuplot's index of the next sizes */
		if (!n &&
		    (rc = columns_dat_empty(&columns_point, sizes[s], line, sizeof(line))) >= 0)
			fputs(line, f);
		for (i = 0; i < n && rc >= 0; i++)
			if ((rc = columns_dat_row(&columns_point, sel[i], line, sizeof(line))) >= 0)
				fputs(line, f);
		rc = rc < 0 ? rc : 0;
	}
out:
	if (rc)
		afile_abort(&a);
	else
		rc = afile_commit(&a, 0);
	free(sel);
	return rc;
}

/* loss_free.dat: size, offered pps, Mbit/s of each size's best loss-free point. */
static int write_loss_free(const struct results *r, int dirfd, const uint32_t *sizes,
			   unsigned nsizes, unsigned *rows)
{
	struct afile a;
	unsigned s;
	FILE *f;
	int rc;

	rc = afile_open(&a, dirfd, "loss_free.dat", 0644, &f);
	if (rc)
		return rc;
	fputs("# size offered_pps sink_mbps\n", f);
	*rows = 0;
	for (s = 0; s < nsizes; s++) {
		const struct results_point *b = results_best(r, sizes[s]);

		if (!b)
			continue;
		fprintf(f, "%u %.3f %.3f\n", b->size, b->offered_pps, results_sink_mbps(b));
		(*rows)++;
	}
	return afile_commit(&a, 0);
}

int plots_gnuplot(int dirfd, const char *tpl, const char *vars)
{
	char *const argv[] = {"gnuplot", "-e", (char *)vars, (char *)tpl, NULL};
	uint64_t deadline = mtime_now_ns() + PLOTS_TIMEOUT_NS;
	int status, log_fd;
	pid_t pid, w;

	log_fd = afile_append(dirfd, "gnuplot.log", 0644);
	pid = fork();
	if (pid < 0) {
		if (log_fd >= 0)
			close(log_fd);
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* Its own process group: a second Ctrl-C while an interrupted
		 * run draws what it measured does not kill the drawing. */
		setpgid(0, 0);
		/* the directory we hold, not whatever its path names now */
		if (fchdir(dirfd) || null < 0)
			_exit(126);
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(log_fd >= 0 ? log_fd : null, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (log_fd >= 0)
		close(log_fd);
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return -errno;
		if (mtime_now_ns() >= deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -ETIMEDOUT;
		}
		mtime_sleep_until(mtime_now_ns() + 20 * NSEC_PER_MSEC);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT; /* no gnuplot */
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

int plots_blocks(int dirfd, const struct results_meta *m, const char *templates, const char *name,
		 plots_dat_fn write_dat, const void *ctx)
{
	char tpl[PATH_MAX + 32], title[256], titles[1024], vars[2048];
	int blocks, plotsfd, rc;

	plotsfd = afile_subdir(dirfd, "plots", 0755);
	if (plotsfd < 0)
		return plotsfd;
	blocks = write_dat(ctx, plotsfd, titles, sizeof(titles));
	if (blocks <= 0) {
		close(plotsfd);
		return blocks;
	}
	plots_title(title, sizeof(title), m);
	snprintf(vars, sizeof(vars), "title='%s'; blocks=%d; titles='%s'", title, blocks, titles);
	snprintf(tpl, sizeof(tpl), "%s/%s.gp", templates, name);
	rc = plots_gnuplot(plotsfd, tpl, vars);
	close(plotsfd);
	return rc ? rc : 1;
}

int plots_render(const struct results *r, const char *templates)
{
	char dir[PATH_MAX + 16], tpl[PATH_MAX + 32], title[256], vars[4096];
	uint32_t sizes[PLOTS_MAX_SIZES];
	unsigned nsizes, loss_free_rows = 0, k, done = 0;
	size_t off;
	int rc, dfd;

	if (!results_count(r))
		return 0;
	snprintf(dir, sizeof(dir), "%s/plots", results_dir(r));
	dfd = afile_subdir(results_dirfd(r), "plots", 0755);
	if (dfd < 0)
		return dfd;
	nsizes = distinct_sizes(r, sizes, PLOTS_MAX_SIZES);
	rc = write_points(r, dfd, sizes, nsizes);
	if (!rc)
		rc = write_loss_free(r, dfd, sizes, nsizes, &loss_free_rows);
	if (rc)
		goto out;

	plots_title(title, sizeof(title), results_get_meta(r));
	off = (size_t)snprintf(vars, sizeof(vars), "title='%s'; sizes='", title);
	for (k = 0; k < nsizes && off < sizeof(vars) - 16; k++)
		off += (size_t)snprintf(vars + off, sizeof(vars) - off, "%s%u", k ? " " : "",
					sizes[k]);
	snprintf(vars + off, sizeof(vars) - off, "'");

	for (k = 0; k < PLOT_COUNT; k++) {
		if (k == PLOT_MBPS_VS_SIZE && !loss_free_rows)
			continue; /* no loss-free point: nothing to show */
		snprintf(tpl, sizeof(tpl), "%s/%s.gp", templates, plot_names[k]);
		rc = plots_gnuplot(dfd, tpl, vars);
		if (rc == -ENOENT) {
			log_err("cannot run gnuplot (install gnuplot-nox: make deps); no plots");
			goto out;
		}
		if (rc) {
			log_warn("gnuplot failed on %s: %s (see %s/gnuplot.log)", tpl,
				 rc == -ETIMEDOUT ? "timed out" : "error", dir);
			continue;
		}
		done++;
	}
	rc = (int)done;
out:
	close(dfd);
	return rc;
}
