/* The local platform's --dry-run picture (local_topo_describe.h). */
#include "harness/platform/local/local_topo_describe.h"

#include "harness/config/gen_threads.h"

/* --dry-run's picture of what local_topo_create() and the platform would
 * build for cfg (platform.h: describe). */
void local_topo_describe(FILE *f, const struct run_cfg *cfg)
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
	} else if (cfg->mode == MODE_RR) {
		fprintf(f, "  namespace mp-<run id>-gen    the client, as the traff-gen VM on Xen\n"
			   "    eth0 198.18.0.1/15         mir-trafgen rr client: requests towards "
			   "the DUT\n"
			   "  namespace mp-<run id>-srv    the server\n"
			   "    eth1 198.19.0.1/15         mir-trafgen rr server: responses back\n");
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
			cfg->mode != MODE_FRAMES ? " and back (--bidir)" : "");
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
	if (cfg->mode != MODE_FRAMES)
		fprintf(f, "\n  client eth0 -> [if1] -> tap0 -> DUT -> tap1 -> [if2] -> server eth1, "
			   "and back\n");
	else
		fprintf(f, "\n  generator eth0 -> [if1] -> tap0 -> DUT -> tap1 -> [if2] -> "
			   "generator eth1 (sink)\n");
}
