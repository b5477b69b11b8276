#include "harness/config/gen_threads.h"

#include <sched.h>
#include <stdio.h>
#include <unistd.h>


unsigned gen_threads_ncpu(void)
{
	cpu_set_t set;
	long n;

	/* The affinity mask, not the machine: a run under taskset or in a
	 * cgroup-limited container has only the cores it may use. */
	if (!sched_getaffinity(0, sizeof(set), &set) && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

unsigned gen_threads_default(unsigned ncpu, enum run_dut_kind dut, char *why, size_t len)
{
	/* The bridge has no process, but its receive processing gets the last
	 * core (RPS, local_topo_dut_cpu) when there are two. */
	unsigned dut_cores = dut == RUN_DUT_BRIDGE && ncpu < 2 ? 0 : 1;
	unsigned sink_cores = ncpu >= 4 ? 1 : 0;
	unsigned spare = ncpu > dut_cores + sink_cores ? ncpu - dut_cores - sink_cores : 0;
	unsigned n = spare < 1 ? 1 : spare > GEN_THREADS_MAX ? GEN_THREADS_MAX : spare;

	if (why)
		snprintf(why, len,
			 "auto: %u core%s, %u for the DUT%s, %s the sink -> %u thread%s%s", ncpu,
			 ncpu == 1 ? "" : "s", dut_cores,
			 dut != RUN_DUT_BRIDGE ? ""
			 : dut_cores	       ? " (the bridge's receive processing, RPS)"
					       : " (the bridge forwards in the senders' softirq)",
			 sink_cores ? "1 for" : "shared with", n, n == 1 ? "" : "s",
			 spare > GEN_THREADS_MAX ? " (at most 8)" : "");
	return n;
}

void gen_threads_resolve(struct run_cfg *cfg)
{
	if (!cfg->gen_threads)
		cfg->gen_threads = gen_threads_default(gen_threads_ncpu(), cfg->dut_kind,
						       cfg->gen_threads_why,
						       sizeof(cfg->gen_threads_why));
	else
		snprintf(cfg->gen_threads_why, sizeof(cfg->gen_threads_why), "gen_threads = %u",
			 cfg->gen_threads);
	if (!cfg->gen_vcpus)
		cfg->gen_vcpus = cfg->gen_threads + 1;
}
