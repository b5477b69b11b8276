/* mir-perf LIBRARY COMMIT_A COMMIT_B, or --dut A --dut B: two runs with the
 * same cfg, one after the other, then B compared with A (harness/output/compare.h),
 * so "did this commit make it worse?" is one command. */
#ifndef MP_RUN_PAIR_H
#define MP_RUN_PAIR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

struct run_pair_ops {
	/* One run (run_execute): 0, -EINTR, or a negative errno already reported. */
	int (*execute)(const struct run_cfg *cfg);
	/* The run directory's name for a cfg (run_dir_name). */
	void (*dir_name)(char *buf, size_t len, const struct run_cfg *cfg, uint64_t realtime_ns);
	const char *templates; /* plots/ for the comparison plot, or NULL */
};

/* cfg is run A; B is the same with commit_b (a Xen library's second commit)
 * or dut_b (a second --dut) instead. The two run directories are OUT/a and
 * OUT/b with -o OUT, else RESULTS/<name of A> and RESULTS/<name of B>.
 * Returns the first run's failure, -EINVAL (reported) for a B that cannot run
 * on cfg's platform, or what compare_runs returned (0, or < 0 reported). The
 * comparison goes to out. */
int run_pair(const struct run_cfg *cfg, const char *commit_b, const char *dut_b,
	     const struct run_pair_ops *ops, FILE *out);

#endif
