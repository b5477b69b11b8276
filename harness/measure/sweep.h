/* The pkt-size x pps sweep, shared by every platform: the planned points in
 * order through the measure loop (loop.h), each made ready for its size,
 * measured by the point runner (point.h) and appended to the results at
 * once; N% rates resolved against what max carried (ladder.h). */
#ifndef MP_SWEEP_H
#define MP_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "harness/config/run_cfg.h"
#include "harness/measure/point.h"

/* The points in sweep order: size-major (every rate of the first size, then
 * the next size) or rate-major, each point repeated cfg->trials times in a
 * row. *pts is malloc'd. -E2BIG beyond RUN_MAX_POINTS, -EINVAL when empty. */
int sweep_plan(const struct run_cfg *cfg, struct point_req **pts, unsigned *n);

/* Estimated time left before point done+1 starts: the mean time of the points
 * done so far, or planned_point_ns before the first one, times what is left. */
uint64_t sweep_eta_ns(unsigned done, unsigned total, uint64_t elapsed_ns,
		      uint64_t planned_point_ns);
/* "point 7/12  512 B  200 kpps  elapsed 1:10  ETA 0:50" */
void sweep_progress_line(char *buf, size_t len, unsigned index, unsigned total, uint32_t size,
			 uint64_t rate, uint64_t elapsed_ns, uint64_t eta_ns);

struct sweep;

/* Plans cfg's points (see sweep_plan; its errors) for a run of deps, which
 * outlives the sweep. */
int sweep_new(const struct point_deps *deps, struct sweep **out);
/* Every point, each appended to the results as soon as it is complete.
 * 0, -EINTR when stopped by a signal, -EPIPE after a point at which the DUT
 * stopped transmitting when cfg->on_dut_stop says stop (said in words), or a
 * negative errno after logging why. */
int sweep_run(struct sweep *s);
/* Points completed and written by sweep_run. */
unsigned sweep_done(const struct sweep *s);
/* Points of sweep_run whose generator failed (RESULTS_GEN_FAILED); *first
 * (when not NULL) is the first one's index. */
unsigned sweep_gen_failed(const struct sweep *s, unsigned *first);
/* Points of sweep_run at which the DUT had stopped transmitting. */
unsigned sweep_dut_stopped(const struct sweep *s);
void sweep_free(struct sweep *s);

#endif
