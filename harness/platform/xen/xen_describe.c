/* The xen platform's --dry-run topology; see xen_describe.h. */
#include "harness/platform/xen/xen_describe.h"

#include <string.h>

#include "harness/config/quote.h"
#include "harness/measure/iperf3.h"
#include "harness/platform/xen/xl_config.h"

/* server = dut (xl_config_dut): the library's iperf3 server on if1 alone. */
static void describe_server(FILE *f, const struct run_cfg *cfg)
{
	fprintf(f,
		"  DUT domain                   PVH, %u MiB, tsc_mode %s: the recipe's MirageOS\n"
		"                               iperf3 server (recipes/%s/iperf3),\n"
		"                               one vif: tap0 on if1 (devid 0); command line\n"
		"                               --ipv4=%s/%d --ipv4-only=true; console saved\n"
		"                               in the run directory, the first point waits\n"
		"                               for its 'listening on TCP port %u'\n",
		cfg->dut_memory_mb, cfg->tsc_mode, cfg->library, XL_SERVER_ADDR, XL_ENDS_PREFIX,
		IPERF3_PORT);
	fprintf(f, "  goodput ends                 client: iperf3 in the traff-gen VM (this "
		   "machine's,\n"
		   "                               with its libraries), started through the "
		   "agent,\n"
		   "                               on eth0 %s; server: the DUT itself at\n"
		   "                               %s, TCP and UDP from the client; nothing of\n"
		   "                               the DUT on if2\n",
		XL_CLIENT_ADDR, XL_SERVER_ADDR);
	fprintf(f, "\n  traff-gen eth0 (client) -> [if1] -> tap0 -> DUT (server), and back\n");
}

void xen_describe(FILE *f, const struct run_cfg *cfg)
{
	int server = run_cfg_dut_serves(cfg);
	char q[1024];

	fprintf(f, "topology (xen: domains through libxenlight)\n");
	fprintf(f, "  dom0 (this machine)\n");
	fprintf(f, "    bridge if1                 traff-gen vif (its eth0) -> tap0\n");
	if (server)
		fprintf(f, "    bridge if2                 traff-gen vif (its eth1) alone\n");
	else
		fprintf(f, "    bridge if2                 tap1 -> traff-gen vif (its eth1)\n");
	fprintf(f, "    control bridge             host-only, an address pair in "
		   "198.18.0.0/15\n"
		   "                               to the traff-gen's eth2\n");
	fprintf(f,
		"  traff-gen VM                 Linux (%s), %u MiB, %u vCPU%s,\n"
		"                               %u netfront queue%s (one per sending thread),\n"
		"                               initramfs with mir-trafgen agent, per-run "
		"token\n",
		cfg->gen_kernel[0]
		    ? quote_text(q, sizeof(q), cfg->gen_kernel, strlen(cfg->gen_kernel), 200)
		    : "dom0's kernel",
		cfg->gen_memory_mb, cfg->gen_vcpus, cfg->gen_vcpus == 1 ? "" : "s",
		cfg->gen_threads, cfg->gen_threads == 1 ? "" : "s");
	if (server) {
		describe_server(f, cfg);
		return;
	}
	fprintf(f,
		"  DUT domain                   %s, %u MiB, tsc_mode %s, vifs tap0 on if1 "
		"and\n"
		"                               tap1 on if2; console saved in the run "
		"directory\n",
		cfg->dut_kind == RUN_DUT_LINUX_FWD ? "PV" : "PVH", /* xl_config.c */
		cfg->dut_memory_mb, cfg->tsc_mode);
	if (cfg->mode == MODE_GOODPUT || cfg->mode == MODE_RR) {
		/* guest/guest_ends.h, harness/platform/xen/xen_ends.h */
		if (cfg->mode == MODE_GOODPUT)
			fprintf(f, "  goodput ends                 iperf3 in the traff-gen VM (this "
				   "machine's, with\n"
				   "                               its libraries), started through the "
				   "agent:\n");
		else
			fprintf(f, "  rr ends                      mir-trafgen rr in the traff-gen VM, "
				   "started through\n"
				   "                               the agent:\n");
		fprintf(f, "                               client on eth0 198.18.0.1, server in the "
			   "guest's\n"
			   "                               namespace srv on eth1 198.19.0.1; the DUT\n"
			   "                               %s\n",
			cfg->dut_kind == RUN_DUT_LIBRARY
			    ? "(the recipe's forwarder) forwards both ways\n"
			      "                               (--bidir on its command line)"
			    : "(mir-trafgen fwd) forwards both ways (--bidir)");
		fprintf(f, "\n  traff-gen eth0 (client) -> [if1] -> tap0 -> DUT -> tap1 -> [if2] -> "
			   "eth1 (server), and back\n");
		return;
	}
	fprintf(f, "\n  traff-gen eth0 -> [if1] -> tap0 -> DUT -> tap1 -> [if2] -> traff-gen "
		   "eth1 (sink)\n");
}
