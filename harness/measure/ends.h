/* What the two-ended modes (goodput.c, rr.c) share: a server end started
 * through the platform and its readiness (LISTEN on its port), a client end
 * run to its end or stopped, the waits between (the stop flag and the DUT,
 * point.h), the document an end wrote, and the hop counters of a point both
 * ways. A mode builds its ends' command lines and reads their documents; the
 * messages name the ends by `what` ("iperf3", "rr"). */
#ifndef MP_ENDS_H
#define MP_ENDS_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "harness/measure/loop.h"
#include "harness/measure/point.h"
#include "monitor/monitor.h"

struct ends {
	const struct point_deps *d;
	const char *what;   /* names the ends in messages: "the <what> server" */
	char dir[PATH_MAX]; /* RUN_DIR/<sub>: the ends' logs and documents */
	char server_log[PATH_MAX + 16];
	pid_t server;	     /* -1: none */
	struct point *point; /* its waits watch the stop flag and the DUT */
};

/* Can the platform run a mode's ends? 0, or -EOPNOTSUPP after saying so
 * ("the <platform> platform cannot run the <mode> mode's ends"). */
int ends_supported(const struct point_deps *d, const char *mode);
/* Create RUN_DIR/sub and the waits' point runner; 0 or a negative errno,
 * said. ends_close() after it, whatever it returned. */
int ends_open(struct ends *e, const struct point_deps *d, const char *what, const char *sub);
/* Stop the server if it runs; free what ends_open made. */
void ends_close(struct ends *e);

/* A planned mode's points: RUN_DIR/sub and the waits (ends_open), the
 * server (server_start(l->ctx), which calls ends_server_start), then the
 * measure loop over l's n points with the run's timing, quiet flag and stop
 * flag from d; the ends are closed (the server stopped) whatever happened.
 * The mode fills l's n, ctx, describe and point. 0, -EINTR when stopped, or
 * the first error, said. */
int ends_run(struct ends *e, const struct point_deps *d, const char *what, const char *sub,
	     int (*server_start)(void *ctx), struct measure_loop *l);

/* Start the server end (its output in dir/server.log) and wait until it
 * listens on `port` of the server's address; an end that died or did not
 * listen within 10 s is said with its log. */
int ends_server_start(struct ends *e, char **argv, unsigned port);
/* Point `index` (1-based, the monitor's tag): run the client end to its end,
 * its output in doc, *status its exit, and the hops' counters read around it
 * in hop (platform.h), every one of them on success. It may take planned_ns and 20 s more, then it
 * is stopped and said, `doc_name` naming doc ("its document"); a failed counter read is said. */
int ends_client_run(struct ends *e, unsigned index, char **argv, const char *doc,
		    uint64_t planned_ns, const char *doc_name, int *status,
		    struct hop_delta hop[HOP_COUNT]);

/* After a failed client: "; none of the N frames sent towards the DUT came
 * out of it (it took M in); the DUT is idle: ..." (or of the frames the
 * server sent back) when the hops say the DUT stopped
 * (verdict_ends_dut_stopped), else "". */
void ends_dut_words(struct ends *e, const struct hop_delta hop[HOP_COUNT], char *buf,
		    size_t len);

/* The first line of the file at path (at most 200 characters), "" if none. */
void ends_first_line(const char *path, char *out, size_t len);

#endif
