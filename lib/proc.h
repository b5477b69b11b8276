/* Child processes of the harness (the generator agent, the DUT): started in
 * a network namespace in their own process group, watched, and stopped with
 * their whole group; and processes of a killed run, found again by pid and
 * start time (a pid alone may have been reused). */
#ifndef MP_PROC_H
#define MP_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Start time of pid in clock ticks since boot (/proc/PID/stat field 22) and
 * its process group; -ESRCH when it does not exist (or is a zombie). */
int proc_stat(pid_t pid, uint64_t *starttime, pid_t *pgrp);
/* The start time of a process that may have ended but not been reaped yet
 * (our own child, just after fork). */
int proc_starttime(pid_t pid, uint64_t *starttime);
/* The processes of group pgid (a DUT and whatever it started): R when one
 * of them is running or runnable, else the leader's state letter
 * (/proc/PID/stat field 3: S sleeping, D uninterruptible, T stopped), and the
 * CPU time all their threads used so far, in ns (to the clock tick; a member
 * that ended takes its share with it). -ESRCH when none exists. */
int proc_group_cpu(pid_t pgid, char *state, uint64_t *cpu_ns);

/* Split a command line on blanks into argv, as a shell would for plain
 * words: '...' keeps everything literally, "..." keeps blanks and honours
 * \" \\ \$ \`, a backslash outside quotes escapes the next character. No
 * expansion of any kind. -EINVAL and a message in err for an empty command
 * or an unterminated quote. argv is NULL-terminated; free with proc_argv_free. */
int proc_argv_split(const char *cmd, char ***argv, char *err, size_t errlen);
void proc_argv_free(char **argv);

struct proc_spawn {
	const char *netns; /* namespace to run in; NULL = ours */
	char *const *argv; /* argv[0]: a path, or a name looked up in PATH */
	const char *log;   /* stdout and stderr go here (truncated); NULL = inherit */
	int as_user;	   /* 1: run as uid:gid (after entering the namespace) */
	int own_tun;	   /* as_user: /dev/net/tun of its own, in a private mount namespace */
	uid_t uid;
	gid_t gid;
};

/* fork, enter the namespace, make a new process group, exec. The child dies
 * with us (PR_SET_PDEATHSIG SIGKILL, should we be killed before stopping it;
 * the kernel sends it when the forking *thread* ends, so call this from the
 * thread that runs the whole run, as the sweep does from main)
 * and has default signal dispositions and an empty signal mask. A failing
 * exec (no such file, not executable) is returned here as its -errno. */
int proc_spawn(const struct proc_spawn *s, pid_t *pid);

/* Non-blocking: 0 while our child pid runs, 1 once it ended (*status as
 * from waitpid, reaped). */
int proc_poll(pid_t pid, int *status);
/* Stop our child pid and its whole process group: SIGTERM, up to grace_ns
 * for the group to end, then SIGKILL; the child is reaped. reaped=1 when
 * proc_poll already saw it end: then only what is left of its group. */
void proc_stop_group(pid_t pid, int reaped, uint64_t grace_ns);
/* Stop the group led by pid when pid (not our child: a killed run's) still
 * is the process started at starttime (/proc/PID/stat field 22), and the
 * members of that group started since. When the leader is gone or its pid
 * now names another process, nothing is signalled: the group id may be an
 * unrelated job's. 0, or -ETIMEDOUT when something survived SIGKILL. */
int proc_stop_stale(pid_t pid, uint64_t starttime, uint64_t grace_ns);

/* "exited with status 3", "killed by signal 9 (Killed)" */
void proc_status_str(int status, char *buf, size_t len);

#endif
