/* The local platform's processes (the generator agent, the DUT, the goodput
 * mode's ends): each started into its namespace and recorded in the run's
 * state file at once, reported with the last line of its log when it ends
 * early, and stopped with its whole process group. Errors are logged here,
 * with what the process was ("the DUT", "the generator agent"). */
#ifndef MP_LOCAL_PROC_H
#define MP_LOCAL_PROC_H

#include <stddef.h>
#include <sys/types.h>

#include "lib/proc.h"

struct run_state;

/* mir-trafgen next to our own binary (bin/mir-perf -> bin/mir-trafgen), or
 * in the directory platform_local_set_bindir() gave. */
int local_trafgen_path(char *buf, size_t len);
void local_proc_set_bindir(const char *dir);

/* proc_spawn(), then the pid into the state file; a process that cannot be
 * recorded is stopped again. user: who it runs as, for the message ("nobody
 * (uid 65534)"), when s->as_user. */
int local_proc_start(struct run_state *st, const struct proc_spawn *s, const char *what,
		     const char *user, pid_t *pid);
/* The process *pid ended (status from proc_poll): stop what is left of its
 * group, release its record, say how it ended with its log's last line; *pid
 * becomes -1. Returns -ECHILD. */
int local_proc_ended(struct run_state *st, pid_t *pid, int status, const char *what,
		     const char *log);
/* Stop *pid's group (reaped: proc_poll already saw the leader end) and
 * release its record; *pid becomes -1. Nothing when *pid <= 0. */
void local_proc_stop(struct run_state *st, pid_t *pid, int reaped);

#endif
