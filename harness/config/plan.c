#include "harness/config/plan.h"

#include <string.h>

#include "harness/config/conf.h"
#include "harness/config/dut_form.h"
#include "harness/config/gen_threads.h"
#include "harness/config/goodput_plan.h"
#include "harness/config/rr_plan.h"
#include "harness/config/quote.h"
#include "harness/config/search_plan.h"
#include "harness/run/run_dir.h"
#include "lib/units.h"

unsigned plan_points(const struct run_cfg *cfg)
{
	return cfg->sizes.n * cfg->rates.n;
}

void plan_point(const struct run_cfg *cfg, unsigned i, uint32_t *size, uint64_t *rate)
{
	if (cfg->order == ORDER_RATE_MAJOR) {
		*rate = cfg->rates.v[i / cfg->sizes.n];
		*size = (uint32_t)cfg->sizes.v[i % cfg->sizes.n];
	} else {
		*size = (uint32_t)cfg->sizes.v[i / cfg->rates.n];
		*rate = cfg->rates.v[i % cfg->rates.n];
	}
}

uint64_t plan_runs_ns(const struct run_cfg *cfg, uint64_t n)
{
	if (!n)
		return 0;
	return n * (cfg->warmup_ns + cfg->duration_ns) + (n - 1) * cfg->settle_ns;
}

uint64_t plan_estimate_ns(const struct run_cfg *cfg)
{
	return plan_runs_ns(cfg, (uint64_t)plan_points(cfg) * cfg->trials);
}

void plan_mode_print(FILE *f, const char *mode, const struct run_cfg *cfg, unsigned n,
		     void (*describe)(void *ctx, unsigned i, char *buf, size_t len), void *ctx,
		     const char *each)
{
	char est[64];
	unsigned i;

	fprintf(f, "\n%s: %u point%s (%u trial%s each, in a row)\n", mode, n / cfg->trials,
		n / cfg->trials == 1 ? "" : "s", cfg->trials, cfg->trials == 1 ? "" : "s");
	for (i = 0; i < n; i += cfg->trials) {
		char pt[32], what[96];

		snprintf(pt, sizeof(pt), "%u/%u", i / cfg->trials + 1, n / cfg->trials);
		describe(ctx, i, what, sizeof(what));
		fprintf(f, "  %11s  %s\n", pt, what);
	}
	fputs(each, f);
	units_fmt_duration(est, sizeof(est), plan_runs_ns(cfg, n));
	fprintf(f, "estimated time: %s, plus a few seconds to build and remove the topology\n",
		est);
}

static const char *plan_q(char *buf, size_t len, const char *s)
{
	return quote_text(buf, len, s, strlen(s), 200);
}

/* What forwards between tap0 and tap1, in one line. */
static void plan_dut_line(FILE *f, const struct run_cfg *cfg)
{
	char q[1024];

	switch (cfg->dut_kind) {
	case RUN_DUT_FWD:
		fprintf(f,
			"fwd: mir-trafgen fwd%s%s, the reference forwarder, in a DUT namespace\n",
			*dut_form_arg(cfg->dut) ? " " : "",
			plan_q(q, sizeof(q), dut_form_arg(cfg->dut)));
		break;
	case RUN_DUT_TAP_FWD:
		fprintf(f,
			"tap-fwd: mir-trafgen fwd --tap%s%s on the TAP devices tap0 and tap1, as "
			"a MirageOS unix unikernel attaches\n",
			*dut_form_arg(cfg->dut) ? " " : "",
			plan_q(q, sizeof(q), dut_form_arg(cfg->dut)));
		break;
	case RUN_DUT_BRIDGE:
		fprintf(f, "bridge: the kernel bridging tap0 to tap1, the baseline\n");
		break;
	case RUN_DUT_EXEC:
		fprintf(f, "exec: '%s' on the TAP devices tap0 and tap1 (run without a shell)\n",
			plan_q(q, sizeof(q), dut_form_arg(cfg->dut)));
		break;
	case RUN_DUT_IMAGE:
		fprintf(f, "image: the unikernel '%s', a PVH domain\n",
			plan_q(q, sizeof(q), dut_form_arg(cfg->dut)));
		break;
	case RUN_DUT_LINUX_FWD:
		fprintf(f,
			"linux-fwd: the traff-gen Linux image in forwarder mode, a PV domain\n");
		break;
	case RUN_DUT_LIBRARY:
		fprintf(f,
			"%s at %s, built into a PVH unikernel as the invoking user (cached per "
			"commit)\n",
			cfg->library,
			cfg->commit[0] ? cfg->commit : "the newest commit of its default branch that builds");
		if (run_cfg_dut_serves(cfg))
			fprintf(f, "           server = dut: the recipe's iperf3 server (recipes/%s/"
				   "iperf3), not its forwarder\n",
				cfg->library);
		if (cfg->mirage_repo[0])
			fprintf(f, "           from %s\n", plan_q(q, sizeof(q), cfg->mirage_repo));
		if (cfg->mirage_sources[0])
			fprintf(f, "           offline: toolchain and libraries from %s\n",
				plan_q(q, sizeof(q), cfg->mirage_sources));
		break;
	default:
		fprintf(f, "none\n");
	}
}

void plan_print(FILE *f, const struct run_cfg *cfg, plan_describe_fn describe)
{
	char q[1024], a[128], b[64], c[64];
	unsigned n = plan_points(cfg), i;
	uint64_t est = plan_estimate_ns(cfg), per;

	fprintf(f, "mir-perf dry run: nothing is created, nothing is sent.\n\n");
	fprintf(f, "platform   %s: %s\n", conf_platform_name(cfg->platform),
		plan_q(q, sizeof(q), cfg->platform_why));
	fprintf(f, "cfg        %s", plan_q(q, sizeof(q), cfg->conf_file));
	if (cfg->mode != MODE_FRAMES) {
		fprintf(f, ", %s\n",
			plan_q(q, sizeof(q),
			       cfg->mode == MODE_RR ? cfg->rrsz.origin : cfg->bufsz.origin));
	} else {
		fprintf(f, ", %s", plan_q(q, sizeof(q), cfg->sizes.origin));
		fprintf(f, ", %s\n", plan_q(q, sizeof(q), cfg->rates.origin));
	}
	fprintf(f, "DUT        ");
	plan_dut_line(f, cfg);
	/* goodput: iperf3's client and server are the ends, not mir-trafgen */
	if (cfg->mode == MODE_FRAMES) {
		fprintf(f, "generator  %u sending thread%s (%s)\n", cfg->gen_threads,
			cfg->gen_threads == 1 ? "" : "s, one TX queue each",
			plan_q(q, sizeof(q), cfg->gen_threads_why));
		fprintf(f, "           backend %s\n", GEN_BACKEND);
	}
	if (cfg->out_dir[0])
		fprintf(f, "results    %s/\n", plan_q(q, sizeof(q), cfg->out_dir));
	else {
		/* the name the run will give it, but for the time */
		run_dir_stem(a, sizeof(a), cfg);
		fprintf(f, "results    %s/%s-<UTC time>/ (and %s/latest)\n",
			plan_q(q, sizeof(q), cfg->results_dir), a,
			plan_q(q + 512, sizeof(q) - 512, cfg->results_dir));
	}
	fprintf(f, "\n");
	describe(f, cfg); /* the platform's topology, beside the code that builds it */

	units_fmt_duration(a, sizeof(a), cfg->interval_ns);
	if (run_cfg_dut_serves(cfg))
		fprintf(f, "\nsampled every %s: generator eth0 tx, tap0 (the path ends at the DUT)\n",
			a);
	else
		fprintf(f, "\nsampled every %s: generator eth0 tx, tap0, tap1, sink eth1 rx\n", a);
	if (cfg->mode == MODE_GOODPUT) {
		goodput_plan_print(f, cfg);
		return;
	}
	if (cfg->mode == MODE_RR) {
		rr_plan_print(f, cfg);
		return;
	}
	if (cfg->search) {
		search_plan_print(f, cfg);
		return;
	}

	fprintf(f,
		"\nsweep: %u size%s x %u rate%s = %u point%s, %s, %u trial%s per point%s, "
		"%u UDP flow%s\n",
		cfg->sizes.n, cfg->sizes.n == 1 ? "" : "s", cfg->rates.n,
		cfg->rates.n == 1 ? "" : "s", n, n == 1 ? "" : "s", conf_order_name(cfg->order),
		cfg->trials, cfg->trials == 1 ? "" : "s", cfg->trials == 1 ? "" : " in a row",
		cfg->flows, cfg->flows == 1 ? "" : "s");
	fprintf(f, "  %11s  %8s  %12s  %14s\n", "point", "size", "rate", "L1 rate");
	for (i = 0; i < n; i++) {
		uint32_t size;
		uint64_t rate;
		char pt[32];

		plan_point(cfg, i, &size, &rate);
		snprintf(pt, sizeof(pt), "%u/%u", i + 1, n);
		if (rate == UNITS_RATE_MAX) {
			snprintf(b, sizeof(b), "max");
			snprintf(c, sizeof(c), "line rate");
		} else if (run_rate_pct(rate)) {
			snprintf(b, sizeof(b), "%u%% of max's", run_rate_pct(rate));
			snprintf(c, sizeof(c), "-");
		} else {
			units_fmt_pps(b, sizeof(b), (double)rate);
			units_fmt_bps(c, sizeof(c), units_l1_bps((double)rate, size));
		}
		fprintf(f, "  %11s  %6u B  %12s  %14s\n", pt, size, b, c);
	}

	per = cfg->warmup_ns + cfg->duration_ns;
	units_fmt_duration(a, sizeof(a), cfg->warmup_ns);
	units_fmt_duration(b, sizeof(b), cfg->duration_ns);
	units_fmt_duration(c, sizeof(c), cfg->settle_ns);
	fprintf(f, "\neach point: %s warm-up, %s measured, %s settle before the next\n", a, b, c);
	units_fmt_duration(a, sizeof(a), est);
	units_fmt_duration(b, sizeof(b), per);
	fprintf(f, "estimated time: %s (%u x %s, plus %u settle gap%s), plus %s\n", a,
		n * cfg->trials, b, n * cfg->trials - 1, n * cfg->trials - 1 == 1 ? "" : "s",
		cfg->platform == PLATFORM_XEN
		    ? "building the unikernel (cached per commit) and booting two domains"
		    : "a few seconds to build and remove the topology");
}
