/* One mir-perf run, from a complete run_cfg to a run directory of results:
 * the lock, the platform, the monitor on the platform's hops, the agent, one
 * point_deps (harness/measure/point.h) for the mode's loop (sweep, search or
 * goodput), the stats files, plots and report.html, and teardown on every
 * path (success, error, SIGINT/SIGTERM). Called by harness/cmd_run.c. */
#ifndef MP_RUN_H
#define MP_RUN_H

#include "harness/config/run_cfg.h"

/* 0 when every point was measured; -EINTR when a signal stopped the run (exit
 * 130); another negative errno after the error was reported (exit 1). Never
 * -EINVAL: bad input is the CLI's business, before anything runs. Every point
 * measured is in the run directory whatever the outcome. */
int run_execute(const struct run_cfg *cfg);

/* mir-perf --cleanup: under the lock, remove what killed runs left on every
 * platform this build has. 0 or a negative errno (reported). */
int run_cleanup_stale(void);

#endif
