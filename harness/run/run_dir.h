/* The run directory, made by root so that nothing another local user planted
 * is ever written through (see lib/trust.h):
 *   -o DIR      a new directory, or an existing empty one owned by root or
 *               the invoking user and writable by no one else;
 *   otherwise   RESULTS/NAME made now, in a RESULTS directory held the same
 *               way, and RESULTS/latest replaced (renameat) to point at it.
 * Every file of the run is then made through d->fd (lib/atomic_file.h), and
 * under sudo the tree is given to the invoking user through fds at the end. */
#ifndef MP_RUN_DIR_H
#define MP_RUN_DIR_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/config/run_cfg.h"

struct run_dir {
	int fd;		  /* the run directory, O_DIRECTORY|O_NOFOLLOW; -1 when none */
	int resfd;	  /* RESULTS, without -o; else -1 */
	int made_results; /* RESULTS did not exist before this run */
	char path[PATH_MAX];
};

/* The run directory's name: "<library or dut>-<commit or local>-<UTC time>",
 * made only of [A-Za-z0-9._-] whatever the DUT command, and never starting
 * with '.' or '-'. The one place it is made: the run, run_pair's A and B,
 * and --dry-run (which knows no time yet: run_dir_stem, the part before it)
 * all call these. */
void run_dir_name(char *buf, size_t len, const struct run_cfg *cfg, uint64_t realtime_ns);
void run_dir_stem(char *buf, size_t len, const struct run_cfg *cfg);

/* Sentinel values, so that run_dir_close is safe whatever happened. */
void run_dir_init(struct run_dir *d);
/* Make the run directory for cfg (name: run_dir_name). 0, or a
 * negative errno after reporting what was refused and why. */
int run_dir_make(struct run_dir *d, const struct run_cfg *cfg, const char *name);
/* Under sudo: the run directory's tree (and RESULTS when this run made it,
 * and RESULTS/latest) to SUDO_UID:SUDO_GID, by fd, never following a link. */
void run_dir_give_to_user(const struct run_dir *d);
void run_dir_close(struct run_dir *d);

#endif
