/* One cleanup policy for what killed runs left behind (their state files,
 * state.h), for every platform: `mir-perf --cleanup` and the start of every
 * run. A record is undone only after the checks every kind shares:
 *   - a name is the run's own: a namespace, a link's namespace or a domain
 *     is mp-<run id> or mp-<run id>-*, with the run id of its state file
 *     (so a forged or corrupted file cannot point cleanup at someone else's);
 *     a link in the root namespace only when the platform names it as one
 *     it makes there (xen: its bridges);
 *   - a file path is absolute, with no "." or ".." component;
 *   - a process is signalled only while its pid still has the recorded start
 *     time; a pid now used by another process is reported and left alone.
 * A refused record is reported once, naming the run and the record, and keeps
 * its state file (cleanup returns -EBUSY), so nothing is forgotten silently.
 *
 * Processes, files and links are undone here, the same for every platform;
 * a platform supplies only the kinds only it makes (local: namespaces; xen:
 * domains), as an iproute2 link_util supplies only its own kind. */
#ifndef MP_STALE_H
#define MP_STALE_H

#include "harness/run/state.h"

/* Undo one record of a kind only the platform makes, after the checks
 * passed; 0 (also when it is gone already) or a negative errno, logged. */
typedef int (*stale_undo_fn)(const struct state_rec *r, void *arg);

struct stale_kind {
	enum state_kind kind;
	stale_undo_fn undo;
};

struct stale_platform {
	const char *name; /* its state files (and untagged ones): "local", "xen" */
	const struct stale_kind *kinds;
	unsigned nkinds;
	/* links it makes in the root namespace, NULL-terminated (NULL: none) */
	const char *const *root_links;
	void *arg; /* passed to every undo */
};

/* 0 when r is a record the run `run_id` may have made, else -EPERM after
 * saying which record of which run was refused, and why. */
int stale_rec_check(const struct state_rec *r, const char *run_id, const struct stale_platform *pf);

/* For every state file of pf (and every untagged one) whose owner is dead:
 * check and undo its live records last first, then remove the file (kept,
 * and -EBUSY returned, if a record was refused or could not be undone; a
 * malformed file is left alone, -EINVAL). *runs counts the runs cleaned, and
 * a line says so when there were any. Call with the run lock held. */
int stale_cleanup(const struct stale_platform *pf, unsigned *runs);

#endif
