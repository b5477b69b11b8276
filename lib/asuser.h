/* A build's commands, run as the user who invoked mir-perf, never as root:
 * who that is (SUDO_USER under sudo, else ourselves), becoming them for good
 * in a child process (groups, gid, uid, HOME, a PATH with their opam switch
 * first), and each command with its output in a build log and, when it
 * fails, one report naming it, with its last 20 lines and the log's path. */
#ifndef MP_ASUSER_H
#define MP_ASUSER_H

#include <pwd.h>
#include <stddef.h>

struct asuser_log {
	const char *what; /* prefix of messages: "recipe mirage-net-xen" */
	const char *path;
	int fd; /* appended to */
};

/* The invoking user: -EPERM (reported) when there is none but root. */
int asuser_lookup(struct passwd *pw, char *buf, size_t len);
/* Become pw for good (call in a child); home gets their HOME. */
int asuser_become(const struct passwd *pw, char *home, size_t homelen);
/* 1 when an executable of that name is on PATH. */
int asuser_on_path(const char *name);
/* Run argv in cwd, stdout (or, with out, captured there) and stderr into the
 * log. 0, or -EIO after reporting the failure. */
int asuser_run(const struct asuser_log *log, const char *cwd, char *const argv[], char *out,
	       size_t outlen);
/* The same for a command whose failure is an answer (git grep, rev-parse
 * --verify): its exit status (>= 0), nothing reported; -EINTR for a signal. */
int asuser_try(const struct asuser_log *log, const char *cwd, char *const argv[], char *out,
	       size_t outlen);

#endif
