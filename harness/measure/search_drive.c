/* The search on a real platform; see search_drive.h. */
#include "harness/measure/search_drive.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/output/search_out.h"
#include "harness/config/search_plan.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"

struct drive {
	const struct point_deps *d;
	struct point *point;
	struct search_out *out;
	unsigned last; /* the last point written to the results */
	uint64_t t0;
};

/* The search's measure(duration, load): one point of the asked length. */
static int drive_trial(void *ctx, unsigned size, uint64_t rate, uint64_t duration_ns,
		       struct search_trial *out)
{
	struct drive *dr = ctx;
	struct point_req req = {
	    .size = size, .rate = rate, .trial = 1, .duration_ns = duration_ns, .probe = 1};
	struct results_point pt;
	int rc;

	rc = point_run(dr->point, &req, results_count(dr->d->res) + 1, &pt);
	if (rc)
		return rc; /* said by the point runner, or -EINTR */
	rc = point_keep(dr->point, &pt, "trial");
	if (rc)
		return rc;
	dr->last = pt.index;
	if (point_stops_run(dr->point, &pt)) {
		log_err("trial %u: the DUT stopped transmitting; stopping the search (on_dut_stop "
			"= stop; --on-dut-stop continue keeps searching)",
			pt.index);
		return -EPIPE;
	}
	if (!pt.sent || !(pt.offered_pps > 0)) {
		log_err("trial %u: the generator sent no frame of %u B at %llu pps; nothing to "
			"search on",
			pt.index, size, (unsigned long long)rate);
		return -EIO;
	}
	out->offered_pps = pt.offered_pps;
	out->sent = pt.sent;
	out->received = pt.received;
	out->duration_ns = pt.window_ns;
	return 0;
}

static void drive_on_trial(void *ctx, const struct search_rec *r)
{
	struct drive *dr = ctx;
	char off[32], asked[32], el[16];
	int rc;

	rc = search_out_trial(dr->out, r, dr->last);
	if (rc)
		log_warn("trials.csv: %s; the trial is still in stats.csv", strerror(-rc));
	if (dr->d->cfg->quiet)
		return;
	units_fmt_pps(off, sizeof(off), r->t.offered_pps);
	if (r->rate == UNITS_RATE_MAX)
		snprintf(asked, sizeof(asked), "max");
	else
		units_fmt_pps(asked, sizeof(asked), (double)r->rate);
	mtime_fmt_elapsed(el, sizeof(el), (mtime_now_ns() - dr->t0) / NSEC_PER_SEC);
	fprintf(stderr,
		"  trial %-3u %5u B  %-9s %5.1f s  asked %-12s offered %-12s loss %.4f %%"
		"  elapsed %s\n",
		r->index, r->size, search_purpose_name(r->purpose), (double)r->duration_ns / 1e9,
		asked, off, r->loss_ratio * 100, el);
}

static void drive_report(const struct point_deps *d, const struct search_result *r)
{
	char b[96], el[16];
	int t;

	if (d->cfg->quiet)
		return;
	mtime_fmt_elapsed(el, sizeof(el), r->elapsed_ns / NSEC_PER_SEC);
	for (t = 0; t < SEARCH_T_COUNT; t++) {
		if (!(d->cfg->search & (1u << t)))
			continue;
		search_fmt_bound(b, sizeof(b), &r->b[t]);
		fprintf(stderr, "  %u B %s: %s  (%u trials, %s)\n", r->size,
			search_target_name((enum search_target)t), b, r->trials, el);
	}
}

int search_drive(const struct point_deps *d)
{
	const struct run_cfg *cfg = d->cfg;
	struct search_params p;
	struct drive dr;
	char why[128];
	unsigned i;
	int rc, plots;

	memset(&dr, 0, sizeof(dr));
	dr.d = d;
	dr.t0 = mtime_now_ns();
	search_plan_params(cfg, &p);
	p.trial = drive_trial;
	p.on_trial = drive_on_trial;
	p.ctx = &dr;
	if (search_params_check(&p, why, sizeof(why))) {
		log_err("search: %s", why);
		return -EINVAL;
	}
	rc = point_new(d, &dr.point);
	if (rc)
		return rc;
	rc = search_out_open(results_dirfd(d->res), results_dir(d->res), results_get_meta(d->res), &p, &dr.out);
	if (rc) {
		log_err("creating the search files in %s: %s", results_dir(d->res), strerror(-rc));
		goto out;
	}
	for (i = 0; i < cfg->sizes.n; i++) {
		uint32_t size = (uint32_t)cfg->sizes.v[i];
		struct search_result r;
		int wrc;

		if (!cfg->quiet)
			fprintf(stderr, "search %u/%u: %u B\n", i + 1, cfg->sizes.n, size);
		rc = point_prepare(dr.point, size);
		if (rc)
			break;
		rc = search_run(&p, size, &r);
		if (r.trials) {
			wrc = search_out_result(dr.out, &r);
			if (wrc)
				log_warn("writing the search result of %u B: %s", size,
					 strerror(-wrc));
			drive_report(d, &r);
		}
		if (rc == -ENOMEM)
			log_err("search of %u B: out of memory", size);
		if (rc)
			break;
	}
	search_out_finish(dr.out,
			  !rc		 ? "complete"
			  : rc == -EINTR ? "interrupted"
					 : "error",
			  mtime_realtime_ns());
	if (d->templates) {
		plots = search_out_plots(dr.out, d->templates);
		if (plots < 0 && plots != -ENOENT)
			log_warn("search plots: %s", strerror(-plots));
	}
	search_out_close(dr.out);
out:
	point_free(dr.point);
	return rc;
}
