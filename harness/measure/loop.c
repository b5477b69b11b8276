/* The measure loop; see loop.h. */
#include "harness/measure/loop.h"

#include <errno.h>
#include <stdio.h>

#include "lib/mtime.h"

uint64_t measure_loop_eta_ns(unsigned done, unsigned total, uint64_t elapsed_ns,
			     uint64_t planned_point_ns)
{
	if (done >= total)
		return 0;
	if (!done)
		return planned_point_ns * total;
	return elapsed_ns / done * (total - done) + elapsed_ns % done * (total - done) / done;
}

void measure_loop_progress(char *buf, size_t len, unsigned index, unsigned total,
			   const char *what, uint64_t elapsed_ns, uint64_t eta_ns)
{
	char el[24], eta[24];

	/* Round to the nearest second so that 59.9 s does not print as 0:59. */
	mtime_fmt_elapsed(el, sizeof(el), (elapsed_ns + NSEC_PER_SEC / 2) / NSEC_PER_SEC);
	mtime_fmt_elapsed(eta, sizeof(eta), (eta_ns + NSEC_PER_SEC / 2) / NSEC_PER_SEC);
	snprintf(buf, len, "point %u/%u  %s  elapsed %s  ETA %s", index, total, what, el, eta);
}

int measure_loop_run(const struct measure_loop *l)
{
	unsigned i;
	int rc;

	for (i = 0; i < l->n; i++) {
		uint64_t elapsed = mtime_now_ns() - l->start_ns;

		if (l->stopped && l->stopped())
			return -EINTR;
		if (!l->quiet) {
			char what[96] = "", line[200];

			l->describe(l->ctx, i, what, sizeof(what));
			measure_loop_progress(line, sizeof(line), i + 1, l->n, what, elapsed,
					      measure_loop_eta_ns(i, l->n, elapsed,
								  l->planned_point_ns));
			fprintf(stderr, "%s\n", line);
		}
		rc = l->point(l->ctx, i);
		if (rc)
			return rc;
	}
	return 0;
}
