/* The measure loop every mode shares (the frames sweep, the goodput mode):
 * as in FD.io CSIT's MLRsearch, the loop sees the network only through a
 * point(i) callback of the mode, which measures point i through the platform
 * and writes it. The loop owns the order, the stop flag, the progress line
 * and the ETA. */
#ifndef MP_LOOP_H
#define MP_LOOP_H

#include <stddef.h>
#include <stdint.h>

struct measure_loop {
	unsigned n;		   /* points */
	uint64_t start_ns;	   /* mtime_now_ns() when the run's points began */
	uint64_t planned_point_ns; /* a point's planned time, for the ETA before the first */
	int quiet;		   /* no progress line */
	int (*stopped)(void);	   /* non-zero once a stop was asked; may be NULL */
	void *ctx;
	/* What point i is, for the progress line ("512 B  200 kpps"). */
	void (*describe)(void *ctx, unsigned i, char *buf, size_t len);
	/* Measure point i and write it: 0, -EINTR, or a negative errno after
	 * saying why. */
	int (*point)(void *ctx, unsigned i);
};

/* Every point in order; 0, -EINTR when stopped, or the first point's error. */
int measure_loop_run(const struct measure_loop *l);

/* "point 7/12  WHAT  elapsed 1:10  ETA 0:50" */
void measure_loop_progress(char *buf, size_t len, unsigned index, unsigned total,
			   const char *what, uint64_t elapsed_ns, uint64_t eta_ns);
/* Estimated time left before point done+1 starts: the mean time of the points
 * done so far, or planned_point_ns before the first one, times what is left. */
uint64_t measure_loop_eta_ns(unsigned done, unsigned total, uint64_t elapsed_ns,
			     uint64_t planned_point_ns);

#endif
