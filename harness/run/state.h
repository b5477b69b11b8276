/* The state file of a run: every resource the run creates (namespace, link,
 * process, file, Xen domain) is recorded under /run/mir-perf/ before or the
 * moment it exists, each line written whole and fsync'd, so that after the
 * run is killed (kill -9 included) `mir-perf --cleanup`, or the start of the
 * next run, finds and removes what it left.
 *
 * Records are appended; a released resource gets a "-" line, so the live
 * set is what was added and not released. The file goes when the run ends
 * cleanly. Format (one record per line, fields %XX-escaped):
 *   mir-perf-state 1
 *   run ID PID STARTTIME            the owner; a file whose owner is alive is
 *                                   never touched
 *   platform NAME                   the platform that made the records ("local",
 *                                   "xen"), written by its create() first thing
 *   +netns NAME | +link NETNS IFNAME | +proc PID STARTTIME | +file PATH |
 *   +domain NAME                    and the same with '-' when released
 *
 * Callers record a name before creating it (a crash in between then only
 * leaves a record of nothing, which cleanup skips), and a process just after
 * fork (it dies with us through PDEATHSIG until then). Cleanup (stale.h)
 * undoes live records last first. */
#ifndef MP_STATE_H
#define MP_STATE_H

#include <limits.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define STATE_DIR  "/run/mir-perf"
#define RUN_ID_MAX 24

struct run_state;

enum state_kind { STATE_NETNS, STATE_LINK, STATE_PROC, STATE_FILE, STATE_DOMAIN, STATE_KINDS };

struct state_rec {
	enum state_kind kind;
	char name[PATH_MAX];   /* netns/domain name, file path, link's netns ("" = root) */
	char ifname[IFNAMSIZ]; /* link */
	pid_t pid;	       /* proc: leader of its own process group */
	uint64_t starttime;    /* proc: /proc/PID/stat start time */
};

/* Run ids: [a-z0-9], 1..RUN_ID_MAX; namespaces are mp-ID, mp-ID-gen, ... */
int run_id_valid(const char *id);

/* Where state files and the lock live; tests point it at a temporary directory. */
const char *state_dir(void);
void state_set_dir(const char *dir);

/* Start the state file of a new run. id NULL = a random one. -EEXIST when a
 * state file of that id exists. */
int run_state_create(const char *id, struct run_state **out);
const char *run_state_id(const struct run_state *st);
/* Tag the file with the platform that makes its resources: each platform's
 * cleanup_stale (stale.h) then undoes only its own runs (and untagged ones). */
int run_state_set_platform(struct run_state *st, const char *name);
/* Add/release one record: 0 or -errno (the caller must then not create it). */
int run_state_add(struct run_state *st, const struct state_rec *r);
int run_state_release(struct run_state *st, const struct state_rec *r);
/* Shorthands filling a state_rec. */
int run_state_add_netns(struct run_state *st, const char *name);
int run_state_add_link(struct run_state *st, const char *netns, const char *ifname);
int run_state_add_proc(struct run_state *st, pid_t pid); /* reads the start time */
int run_state_add_file(struct run_state *st, const char *path);
int run_state_release_netns(struct run_state *st, const char *name);
int run_state_release_proc(struct run_state *st, pid_t pid);
int run_state_release_file(struct run_state *st, const char *path);
/* Release every link record of netns (its links went with it). */
int run_state_release_links(struct run_state *st, const char *netns);
/* How many records are live. */
unsigned run_state_live(const struct run_state *st);
/* End of the run: the file is removed when nothing is live any more (0), else
 * kept for `mir-perf --cleanup` (-EBUSY). */
int run_state_close(struct run_state *st);

/* A parsed state file: owner and live records in creation order. */
struct state_file {
	char id[RUN_ID_MAX + 1];
	char platform[16]; /* "" when the run died before create() tagged it */
	pid_t owner;
	uint64_t owner_start;
	struct state_rec *recs;
	unsigned n, alloc;
};
/* Parse; -EINVAL with "LINE: what" in err for a malformed file (a torn last
 * line, from a kill in mid-write, is ignored). */
int state_parse(FILE *f, struct state_file *out, char *err, size_t errlen);
void state_file_free(struct state_file *sf);

#endif
