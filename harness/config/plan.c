#include "harness/config/plan.h"

#include <string.h>

#include "harness/config/conf.h"
#include "harness/config/dut_form.h"
#include "harness/config/gen_threads.h"
#include "harness/config/goodput_plan.h"
#include "harness/config/quote.h"
#include "harness/config/search_plan.h"
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

uint64_t plan_estimate_ns(const struct run_cfg *cfg)
{
	uint64_t n = (uint64_t)plan_points(cfg) * cfg->trials;

	if (!n)
		return 0;
	return n * (cfg->warmup_ns + cfg->duration_ns) + (n - 1) * cfg->settle_ns;
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
			"linux-fwd: the traff-gen Linux image in forwarder mode, a PVH domain\n");
		break;
	case RUN_DUT_LIBRARY:
		fprintf(f,
			"%s at %s, built into a PVH unikernel as the invoking user (cached per "
			"commit)\n",
			cfg->library,
			cfg->commit[0] ? cfg->commit : "the newest commit of its default branch that builds");
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

/* The start of the run directory's name, as run_dir_name() (harness/run/run.h)
 * makes it: "<library or dut>-<commit or local>". A DUT with a command or
 * options gets a name made from them, which only the run knows. */
static const char *plan_run_name(char *buf, size_t len, const struct run_cfg *cfg)
{
	if (cfg->dut_kind == RUN_DUT_LIBRARY)
		snprintf(buf, len, "%s-%.12s", cfg->library, cfg->commit[0] ? cfg->commit : "head");
	else if (!*dut_form_arg(cfg->dut))
		snprintf(buf, len, "%s-local", dut_form_name(cfg->dut_kind));
	else
		snprintf(buf, len, "<name from the DUT>-local");
	return buf;
}

static void plan_local(FILE *f, const struct run_cfg *cfg)
{
	/* fwd and bridge: tap0/tap1 are veths into a DUT namespace; tap-fwd and
	 * exec: TAP devices in the harness namespace, as a unikernel's would be. */
	int veth = cfg->dut_kind == RUN_DUT_FWD || cfg->dut_kind == RUN_DUT_BRIDGE;

	fprintf(f, "topology (local: network namespaces stand in for dom0 and the VMs)\n");
	fprintf(f, "  namespace mp-<run id>        the harness side, as dom0 on Xen\n");
	fprintf(f, "    bridge if1                 gen0 (veth to generator eth0), tap0 (%s)\n",
		veth ? "veth" : "TAP device");
	fprintf(f, "    bridge if2                 tap1 (%s), gen1 (veth to generator eth1)\n",
		veth ? "veth" : "TAP device");
	fprintf(f, "    STP off, br_netfilter calls off on both bridges\n");
	if (cfg->mode == MODE_FRAMES && cfg->gen_threads > 1)
		fprintf(f, "    every veth with %u TX and RX queues, one per sending thread\n",
			cfg->gen_threads);
	if (cfg->mode == MODE_GOODPUT) {
		/* the generator's namespace split in two (goodput_plan.h) */
		fprintf(f, "  namespace mp-<run id>-gen    the client, as the traff-gen VM on Xen\n"
			   "    eth0 198.18.0.1/15         iperf3 -c: data towards the DUT\n"
			   "  namespace mp-<run id>-srv    the server\n"
			   "    eth1 198.19.0.1/15         iperf3 -s: data from the DUT, ACKs back\n");
	} else {
		fprintf(f, "  namespace mp-<run id>-gen    the generator, as the traff-gen VM on "
			   "Xen\n");
		fprintf(f, "    eth0                       mir-trafgen tx: frames towards the DUT\n");
		fprintf(f, "    eth1                       mir-trafgen rx: the sink, on the "
			   "generator's clock\n");
		fprintf(f, "    control                    the mir-trafgen agent on a unix socket "
			   "in a root-only\n"
			   "                               runtime directory, with a per-run "
			   "token\n");
	}
	switch (cfg->dut_kind) {
	case RUN_DUT_FWD:
		fprintf(f, "  namespace mp-<run id>-dut    the DUT\n"
			   "    tap0, tap1                 the far ends of the veths; mir-trafgen "
			   "fwd copies\n"
			   "                               tap0 -> tap1%s\n",
			cfg->mode == MODE_GOODPUT ? " and back (--bidir)" : "");
		break;
	case RUN_DUT_BRIDGE:
		fprintf(f,
			"  namespace mp-<run id>-dut    the DUT\n"
			"    bridge br0                 the far ends of the veths tap0 and tap1; "
			"no program\n");
		if (gen_threads_ncpu() >= 2)
			fprintf(f, "    RPS on tap0, tap1          the bridge forwards on the last "
				   "core, its own\n");
		break;
	case RUN_DUT_TAP_FWD:
	case RUN_DUT_EXEC:
		fprintf(f, "  DUT process                  in mp-<run id>, opens tap0 and tap1 "
			   "through\n"
			   "                               /dev/net/tun; its process group is "
			   "stopped at the end\n");
		break;
	default:
		break;
	}
	if (cfg->mode == MODE_GOODPUT)
		fprintf(f, "\n  client eth0 -> [if1] -> tap0 -> DUT -> tap1 -> [if2] -> server eth1, "
			   "and back\n");
	else
		fprintf(f, "\n  generator eth0 -> [if1] -> tap0 -> DUT -> tap1 -> [if2] -> "
			   "generator eth1 (sink)\n");
}

static void plan_xen(FILE *f, const struct run_cfg *cfg)
{
	char q[1024];

	fprintf(f, "topology (xen: domains through libxenlight)\n");
	fprintf(f, "  dom0 (this machine)\n");
	fprintf(f, "    bridge if1                 traff-gen vif (its eth0) -> tap0\n");
	fprintf(f, "    bridge if2                 tap1 -> traff-gen vif (its eth1)\n");
	fprintf(f, "    control bridge             host-only, an address pair in "
		   "198.18.0.0/15\n"
		   "                               to the traff-gen's eth2\n");
	fprintf(f,
		"  traff-gen VM                 Linux (%s), %u MiB, %u vCPU%s,\n"
		"                               %u netfront queue%s (one per sending thread),\n"
		"                               initramfs with mir-trafgen agent, per-run "
		"token\n",
		cfg->gen_kernel[0] ? plan_q(q, sizeof(q), cfg->gen_kernel) : "dom0's kernel",
		cfg->gen_memory_mb, cfg->gen_vcpus, cfg->gen_vcpus == 1 ? "" : "s",
		cfg->gen_threads, cfg->gen_threads == 1 ? "" : "s");
	fprintf(f,
		"  DUT domain                   PVH, %u MiB, tsc_mode %s, vifs tap0 on if1 "
		"and\n"
		"                               tap1 on if2; console saved in the run "
		"directory\n",
		cfg->dut_memory_mb, cfg->tsc_mode);
	fprintf(f, "\n  traff-gen eth0 -> [if1] -> tap0 -> DUT -> tap1 -> [if2] -> traff-gen "
		   "eth1 (sink)\n");
}

void plan_print(FILE *f, const struct run_cfg *cfg)
{
	char q[1024], a[128], b[64], c[64];
	unsigned n = plan_points(cfg), i;
	uint64_t est = plan_estimate_ns(cfg), per;

	fprintf(f, "mir-perf dry run: nothing is created, nothing is sent.\n\n");
	fprintf(f, "platform   %s: %s\n", conf_platform_name(cfg->platform),
		plan_q(q, sizeof(q), cfg->platform_why));
	fprintf(f, "cfg        %s", plan_q(q, sizeof(q), cfg->conf_file));
	if (cfg->mode == MODE_GOODPUT) {
		fprintf(f, ", %s\n", plan_q(q, sizeof(q), cfg->bufsz.origin));
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
	else
		fprintf(f, "results    %s/%s-<UTC time>/ (and %s/latest)\n",
			plan_q(q, sizeof(q), cfg->results_dir), plan_run_name(a, sizeof(a), cfg),
			plan_q(q + 512, sizeof(q) - 512, cfg->results_dir));
	fprintf(f, "\n");
	if (cfg->platform == PLATFORM_XEN)
		plan_xen(f, cfg);
	else
		plan_local(f, cfg);

	units_fmt_duration(a, sizeof(a), cfg->interval_ns);
	fprintf(f, "\nsampled every %s: generator eth0 tx, tap0, tap1, sink eth1 rx\n", a);
	if (cfg->mode == MODE_GOODPUT) {
		goodput_plan_print(f, cfg);
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
