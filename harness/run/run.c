/* One mir-perf run; see run.h. Everything here is platform-neutral: the
 * platform is only reached through its platform_ops. */
#include "harness/run/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/run/lock.h"
#include "harness/run/run_dir.h"
#include "harness/platform/platform.h"
#include "harness/measure/goodput.h"
#include "harness/output/goodput_out.h"
#include "harness/output/goodput_report.h"
#include "harness/measure/rr.h"
#include "harness/output/rr_out.h"
#include "harness/output/rr_report.h"
#include "harness/output/knee.h"
#include "harness/output/plots.h"
#include "harness/output/report.h"
#include "harness/output/results.h"
#include "harness/measure/search_drive.h"
#include "harness/run/state.h"
#include "harness/run/stop.h"
#include "harness/measure/sweep.h"
#include "harness/output/trials_summary.h"
#include "lib/atomic_file.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/path.h"
#include "monitor/monitor.h"
#include "trafgen/agent_client.h"

#define RUN_MAX_HOPS	     16
/* Each request to the generator's agent: generous, since a traff-gen VM under
 * a loaded emulator took over 10 s to answer (xen-check, 2 December 2026);
 * an agent that is really gone still fails the run within it. */
#define RUN_AGENT_TIMEOUT_NS (30 * NSEC_PER_SEC)

/* Everything one run owns, released in reverse order by run_teardown. */
struct run {
	const struct run_cfg *cfg;
	const struct platform_ops *ops;
	struct run_lock *lock;
	struct run_state *st;
	struct platform *plat;
	struct monitor *mon;
	int mon_started;
	struct agent_client *agent;
	struct results *res;
	struct table_out *gout;	 /* the goodput mode's files */
	struct table_out *rrout; /* the rr mode's files */
	struct sweep *sweep;
	struct run_dir dir_h; /* the run directory, held open */
	struct mon_hop hops[RUN_MAX_HOPS];
	enum hop_dir dir[RUN_MAX_HOPS];
	unsigned nhops;
	const char *dir_path; /* dir_h.path */
	char templates[PATH_MAX]; /* "" = none found */
	uint64_t start_mono;
};

static const struct platform_ops *run_platform_ops(enum run_platform p)
{
	const struct platform_ops *ops = platform_ops_of(p);

	if (!ops)
		log_err("no platform chosen (expected local or xen)");
	return ops;
}

static int run_open_monitor(struct run *r)
{
	unsigned bad = 0;
	int rc;

	memset(r->hops, 0, sizeof(r->hops));
	r->nhops = r->ops->hops(r->plat, r->hops, r->dir, RUN_MAX_HOPS);
	if (r->nhops < HOP_COUNT || r->nhops > RUN_MAX_HOPS) {
		log_err("the %s platform reported %u hops, at least %u expected", r->ops->name,
			r->nhops, HOP_COUNT);
		return -EPROTO;
	}
	rc = monitor_open(r->hops, r->nhops, r->cfg->interval_ns, &r->mon, &bad);
	if (rc) {
		if (bad < r->nhops)
			log_err("cannot sample hop %s (%s%s%s): %s", r->hops[bad].label,
				r->hops[bad].netns ? r->hops[bad].netns : "",
				r->hops[bad].netns ? " " : "", r->hops[bad].ifname, strerror(-rc));
		else
			log_err("cannot start sampling every %.1f ms: %s",
				(double)r->cfg->interval_ns / 1e6, strerror(-rc));
		return rc;
	}
	monitor_set_csv(r->mon, results_samples(r->res));
	monitor_set_tag(r->mon, "setup");
	rc = monitor_start(r->mon);
	if (rc) {
		log_err("cannot start the sampling thread: %s", strerror(-rc));
		return rc;
	}
	r->mon_started = 1;
	return 0;
}

static int run_connect_agent(struct run *r)
{
	const char *ep = r->ops->agent_endpoint(r->plat);
	int rc;

	rc =
	    agent_client_connect(ep, r->ops->agent_token(r->plat), RUN_AGENT_TIMEOUT_NS, &r->agent);
	if (rc == -EINTR)
		return rc;
	if (rc == -EACCES)
		log_err("the generator agent at %s refused this run's token", ep);
	else if (rc)
		log_err("cannot reach the generator agent at %s: %s", ep, strerror(-rc));
	return rc;
}

/* Release what the run holds, last made first; safe at any stage. */
static void run_teardown(struct run *r)
{
	sweep_free(r->sweep);
	r->sweep = NULL;
	if (r->agent)
		agent_client_close(r->agent);
	r->agent = NULL;
	if (r->mon_started)
		monitor_stop(r->mon);
	r->mon_started = 0;
	if (r->mon)
		monitor_close(r->mon);
	r->mon = NULL;
	if (r->plat)
		r->ops->destroy(r->plat);
	r->plat = NULL;
	if (r->st && run_state_close(r->st) == -EBUSY)
		log_err("some resources could not be removed; run 'mir-perf --cleanup'");
	r->st = NULL;
}

static const char *run_status(int rc)
{
	return !rc	      ? "complete"
	       : rc == -EINTR ? "interrupted"
	       : rc == -EPIPE ? "dut-stopped"
			      : "error";
}

/* After the points: the knee of each size in one line, as stats ends. */
static void run_print_knees(struct run *r)
{
	unsigned i, j, n = results_count(r->res);
	char line[320];

	for (i = 0; i < n; i++) {
		const struct results_point *p = results_point_at(r->res, i);

		for (j = 0; j < i && results_point_at(r->res, j)->size != p->size; j++)
			;
		if (j < i)
			continue;
		knee_sentence(r->res, p->size, line, sizeof(line));
		printf("  knee at %u B: %s\n", p->size, line);
	}
}

/* The run's last words, common to every mode: how it ended after how many
 * points. 0 when nothing more is to be said (quiet, or no point measured). */
static int run_print_end(const struct run *r, int rc, unsigned n)
{
	char el[24];

	if (r->cfg->quiet)
		return 0;
	if (!n) {
		printf("%s before any point was measured; run directory: %s\n",
		       rc == -EINTR ? "interrupted" : "stopped", r->dir_path);
		fflush(stdout);
		return 0;
	}
	mtime_fmt_elapsed(el, sizeof(el), (mtime_now_ns() - r->start_mono) / NSEC_PER_SEC);
	if (rc == -EINTR)
		printf("interrupted after %u points (%s); what was measured is kept:\n", n, el);
	else if (rc == -EPIPE)
		printf("stopped after %u points (%s): the DUT stopped transmitting; what was "
		       "measured is kept:\n",
		       n, el);
	else if (rc)
		printf("stopped by an error after %u points (%s); what was measured is kept:\n", n,
		       el);
	else
		printf("%u points in %s\n", n, el);
	return 1;
}

/* The goodput mode's files and plot, and where they are. */
static void run_finish_goodput(struct run *r, int rc)
{
	const char *tpl = r->templates[0] ? r->templates : NULL;
	unsigned n = table_out_count(r->gout);
	int plots = 0, rrc;

	rrc = table_out_finish(r->gout, run_status(rc), mtime_realtime_ns());
	if (rrc)
		log_err("cannot complete %s/goodput.json: %s", r->dir_path, strerror(-rrc));
	if (n && tpl) {
		plots = goodput_out_plot(r->gout, tpl);
		if (plots == -ENOENT)
			log_err("cannot run gnuplot (install gnuplot-nox: make deps); no plot");
		else if (plots < 0)
			log_warn("gnuplot failed on the goodput plot (see %s/plots/gnuplot.log)",
				 r->dir_path);
	}
	rrc = goodput_report_write(r->gout);
	if (rrc)
		log_err("cannot write %s/report.html: %s", r->dir_path, strerror(-rrc));
	run_dir_give_to_user(&r->dir_h);
	if (!run_print_end(r, rc, n))
		return;
	printf("  goodput %s/goodput (.csv, .json), iperf3's own documents in iperf3/\n",
	       r->dir_path);
	if (plots > 0)
		printf("  plot    %s/plots/goodput_vs_bufsz (PNG and SVG)\n", r->dir_path);
	printf("  report  %s/report.html\n", r->dir_path);
	fflush(stdout);
}

/* The rr mode's files, plot and report, and where they are. */
static void run_finish_rr(struct run *r, int rc)
{
	const char *tpl = r->templates[0] ? r->templates : NULL;
	unsigned n = table_out_count(r->rrout);
	int plots = 0, rrc;

	rrc = table_out_finish(r->rrout, run_status(rc), mtime_realtime_ns());
	if (rrc)
		log_err("cannot complete %s/rr.json: %s", r->dir_path, strerror(-rrc));
	if (n && tpl) {
		plots = rr_out_plot(r->rrout, tpl);
		if (plots == -ENOENT)
			log_err("cannot run gnuplot (install gnuplot-nox: make deps); no plot");
		else if (plots < 0)
			log_warn("gnuplot failed on the rr plot (see %s/plots/gnuplot.log)",
				 r->dir_path);
	}
	rrc = rr_report_write(r->rrout);
	if (rrc)
		log_err("cannot write %s/report.html: %s", r->dir_path, strerror(-rrc));
	run_dir_give_to_user(&r->dir_h);
	if (!run_print_end(r, rc, n))
		return;
	printf("  rr      %s/rr (.csv, .json), the client's documents in rr/\n", r->dir_path);
	if (plots > 0)
		printf("  plot    %s/plots/rr_latency_vs_size (PNG and SVG)\n", r->dir_path);
	printf("  report  %s/report.html\n", r->dir_path);
	fflush(stdout);
}

/* Close the results and draw what exists, whatever happened. */
static void run_finish_results(struct run *r, int rc)
{
	const char *tpl = r->templates[0] ? r->templates : NULL;
	unsigned n = results_count(r->res);
	int plots = 0, rrc;

	if (r->gout || r->rrout) {
		/* stats and samples.csv stay (the monitor's samples are in it) */
		rrc = results_finish(r->res, run_status(rc), mtime_realtime_ns());
		if (rrc)
			log_err("cannot complete the results in %s: %s", r->dir_path,
				strerror(-rrc));
		if (r->gout)
			run_finish_goodput(r, rc);
		else
			run_finish_rr(r, rc);
		return;
	}
	rrc = results_finish(r->res, run_status(rc), mtime_realtime_ns());
	if (rrc)
		log_err("cannot complete the results in %s: %s", r->dir_path, strerror(-rrc));
	if (n && tpl)
		plots = plots_render(r->res, tpl);
	if (n) {
		rrc = trials_summary_write(r->res, tpl);
		if (rrc)
			log_err("cannot summarise the trials in %s: %s", r->dir_path,
				strerror(-rrc));
	}
	rrc = report_write(r->res);
	if (rrc)
		log_err("cannot write %s/report.html: %s", r->dir_path, strerror(-rrc));
	run_dir_give_to_user(&r->dir_h);
	if (!run_print_end(r, rc, n))
		return;
	if (!r->cfg->search)
		run_print_knees(r);
	printf("  stats   %s/stats (.csv, .json)\n", r->dir_path);
	if (r->cfg->search)
		printf("  search  %s/search (.csv, .json), trials.csv\n", r->dir_path);
	if (plots > 0)
		printf("  plots   %s/plots/ (%d plots, PNG and SVG)\n", r->dir_path, plots);
	printf("  report  %s/report.html\n", r->dir_path);
	fflush(stdout);
}

static int run_cleanup_platforms(void)
{
	static const struct platform_ops *const all[] = {&platform_local_ops, &platform_xen_ops};
	unsigned i;
	int rc = 0;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		int r = all[i]->cleanup_stale();

		if (r && !rc)
			rc = r;
	}
	return rc;
}

static int run_take_lock(struct run_lock **lock)
{
	pid_t holder = 0;
	int rc;

	rc = run_lock_take(0, lock, &holder);
	if (rc == -EBUSY) {
		if (holder)
			log_err("another mir-perf run is in progress (pid %d); wait for it or "
				"stop it first",
				(int)holder);
		else
			log_err("another mir-perf run is in progress; wait for it or stop it "
				"first");
	} else if (rc) {
		log_err("cannot take the lock under %s: %s", state_dir(), strerror(-rc));
	}
	return rc;
}

int run_cleanup_stale(void)
{
	struct run_lock *lock = NULL;
	int rc;

	rc = run_take_lock(&lock);
	if (rc)
		return rc;
	rc = run_cleanup_platforms();
	if (rc)
		log_err("some leftovers of killed runs could not be removed: %s", strerror(-rc));
	run_lock_release(lock);
	return rc;
}

static int run_goodput(struct run *r, const struct point_deps *pd,
		       const struct results_meta *meta)
{
	unsigned done;
	int rc;

	rc = goodput_out_open(results_dirfd(r->res), r->dir_path, meta, &r->gout);
	if (rc) {
		log_err("cannot create goodput.csv/.json in %s: %s", r->dir_path, strerror(-rc));
		return rc;
	}
	return goodput_run(pd, r->gout, &done);
}

/* The frames sweep: every planned point. Measured to the end, but not what
 * was asked: said, and *gen_rc = -EIO (exit 1). */
static int run_sweep(struct run *r, const struct point_deps *pd, int *gen_rc)
{
	unsigned first_failed = 0;
	int rc;

	rc = sweep_new(pd, &r->sweep);
	if (rc) {
		log_err("cannot plan the sweep: %s", strerror(-rc));
		return rc;
	}
	rc = sweep_run(r->sweep);
	if (!rc && sweep_gen_failed(r->sweep, &first_failed)) {
		log_err("the generator failed at %u of %u points (first: point %u; see "
			"'# !' in %s/stats): their loss is not the DUT's and is not computed",
			sweep_gen_failed(r->sweep, NULL), sweep_done(r->sweep), first_failed,
			r->dir_path);
		*gen_rc = -EIO;
	}
	return rc;
}

static int run_rr(struct run *r, const struct point_deps *pd, const struct results_meta *meta)
{
	unsigned done;
	int rc;

	rc = rr_out_open(results_dirfd(r->res), r->dir_path, meta, &r->rrout);
	if (rc) {
		log_err("cannot create rr.csv/.json in %s: %s", r->dir_path, strerror(-rc));
		return rc;
	}
	return rr_run(pd, r->rrout, &done);
}

/* DIR/run-id: the run id (its namespaces are mp-ID...), for a script that
 * needs it while the run goes on, without parsing stderr. Written through
 * the run directory's fd (temp file + rename, lib/atomic_file), so that a
 * reader never sees half of it and no path is followed again. */
static int run_write_id(int dirfd, const char *dir, const char *id)
{
	char buf[128];
	int n, rc;

	n = snprintf(buf, sizeof(buf), "%s\n", id);
	if (n < 0 || (size_t)n >= sizeof(buf))
		rc = -ENAMETOOLONG;
	else
		rc = afile_write_all(dirfd, "run-id", 0644, buf, (size_t)n);
	if (rc)
		log_err("cannot write %s/run-id: %s", dir, strerror(-rc));
	return rc;
}

int run_execute(const struct run_cfg *cfg)
{
	struct run r = {.cfg = cfg};
	struct results_meta meta;
	struct point_deps pd;
	uint64_t start_real = mtime_realtime_ns();
	char name[160];
	int rc, gen_rc = 0;

	run_dir_init(&r.dir_h);
	r.dir_path = r.dir_h.path;
	r.start_mono = mtime_now_ns();
	r.ops = run_platform_ops(cfg->platform);
	if (!r.ops)
		return -ENXIO;
	if (r.ops->available) {
		rc = r.ops->available(); /* says why not */
		if (rc)
			return rc;
	}
	rc = stop_install();
	if (rc) {
		log_err("cannot install the signal handlers: %s", strerror(-rc));
		return rc;
	}
	rc = run_take_lock(&r.lock);
	if (rc)
		return rc == -EINVAL ? -EIO : rc;
	/* What a killed run left would collide with this one. */
	rc = run_cleanup_platforms();
	if (rc)
		log_warn("leftovers of a killed run could not all be removed: %s", strerror(-rc));

	if (plots_find_templates(r.templates, sizeof(r.templates))) {
		log_warn("no plot templates found (install mir-perf, or set MP_PLOTS_DIR); "
			 "the run goes on without plots");
		r.templates[0] = '\0';
	}
	run_dir_name(name, sizeof(name), cfg, start_real);
	rc = run_dir_make(&r.dir_h, cfg, name); /* says what it refused */
	if (rc)
		goto out_lock;
	results_meta_collect(&meta, cfg, r.ops->name, start_real);
	rc = results_open_at(r.dir_h.fd, r.dir_path, &meta, cfg, &r.res);
	if (rc) {
		log_err("cannot create the result files in %s: %s", r.dir_path, strerror(-rc));
		goto out_lock;
	}
	rc = run_state_create(NULL, &r.st);
	if (rc) {
		log_err("cannot create the state file under %s: %s", state_dir(), strerror(-rc));
		goto out;
	}
	rc = run_write_id(results_dirfd(r.res), r.dir_path, run_state_id(r.st));
	if (rc)
		goto out;
	if (!cfg->quiet)
		fprintf(stderr, "%s: run %s on the %s platform, results in %s\n", log_prog(),
			run_state_id(r.st), r.ops->name, r.dir_path);
	rc = r.ops->create(cfg, r.dir_path, r.st, &r.plat); /* reports its own errors */
	if (rc)
		goto out;
	rc = run_open_monitor(&r);
	if (rc)
		goto out;
	/* Only the frames mode drives the generator agent: goodput and rr run
	 * their ends (iperf3, mir-trafgen rr) as the platform's, and on Xen
	 * those take the agent's one session. */
	rc = cfg->mode == MODE_FRAMES ? run_connect_agent(&r) : 0;
	if (rc)
		goto out;

	/* What every point of every mode needs, filled once. */
	pd = (struct point_deps){
	    .cfg = cfg,
	    .ops = r.ops,
	    .plat = r.plat,
	    .agent = r.agent,
	    .mon = r.mon,
	    .res = r.res,
	    .run_dir = r.dir_path,
	    .templates = r.templates[0] ? r.templates : NULL,
	    .stopped = stop_requested,
	};
	memcpy(pd.dir, r.dir, sizeof(pd.dir));
	if (cfg->mode == MODE_GOODPUT)
		rc = run_goodput(&r, &pd, &meta);
	else if (cfg->mode == MODE_RR)
		rc = run_rr(&r, &pd, &meta);
	else if (cfg->search)
		rc = search_drive(&pd);
	else
		rc = run_sweep(&r, &pd, &gen_rc);
out:
	if (stop_requested() && rc)
		rc = -EINTR; /* whatever failed, it failed because we were stopping */
	run_teardown(&r);
	run_finish_results(&r, rc);
	results_close(r.res);
	table_out_close(r.gout);
	table_out_close(r.rrout);
	if (!rc)
		rc = gen_rc;
out_lock:
	run_dir_close(&r.dir_h);
	run_lock_release(r.lock);
	/* Bad input was the CLI's to catch: anything failing now is a run-time error. */
	return rc == -EINVAL ? -EIO : rc;
}
