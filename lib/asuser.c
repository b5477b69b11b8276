#include "lib/asuser.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/path.h"

#define TAIL_LINES 20

/* Print the last TAIL_LINES lines of the log (the failing command's output
 * is at its end). */
static void print_tail(const char *log)
{
	char *lines[TAIL_LINES] = {0}, *line = NULL;
	size_t cap = 0;
	unsigned n = 0, i;
	FILE *f = fopen(log, "re");

	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		free(lines[n % TAIL_LINES]);
		lines[n % TAIL_LINES] = strdup(line);
		n++;
	}
	for (i = n > TAIL_LINES ? n - TAIL_LINES : 0; i < n; i++) {
		fprintf(stderr, "    %s", lines[i % TAIL_LINES] ? lines[i % TAIL_LINES] : "\n");
		free(lines[i % TAIL_LINES]);
		lines[i % TAIL_LINES] = NULL;
	}
	free(line);
	fclose(f);
}

static void argv_str(char *buf, size_t len, char *const argv[])
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; argv[i] && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? " " : "", argv[i]);
}

/* Run argv in cwd with stdout and stderr appended to the log (or, with out,
 * stdout captured there). With report, a failure is reported and gives -EIO;
 * without, the exit status is returned (a signal: -EINTR). */
static int run(const struct asuser_log *log, const char *cwd, char *const argv[], char *out,
	       size_t outlen, int report)
{
	char cmd[1024];
	int pipefd[2] = {-1, -1}, status, rc = 0;
	size_t got = 0;
	pid_t pid;

	argv_str(cmd, sizeof(cmd), argv);
	dprintf(log->fd, "\n$ cd %s && %s\n", cwd, cmd);
	if (out && pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto out;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, 0);
		dup2(out ? pipefd[1] : log->fd, 1);
		dup2(log->fd, 2);
		if (chdir(cwd) == 0)
			execvp(argv[0], argv);
		dprintf(2, "cannot run %s in %s: %s\n", argv[0], cwd, strerror(errno));
		_exit(127);
	}
	if (out) {
		ssize_t n;

		close(pipefd[1]);
		pipefd[1] = -1;
		while ((n = read(pipefd[0], out + got, outlen - 1 - got)) > 0 &&
		       got + n < outlen - 1)
			got += n;
		if (n > 0)
			got += n;
		out[got] = '\0';
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!report) {
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		log_err("%s: `%s` failed (%s %d) in %s; last lines of its output:", log->what, cmd,
			WIFEXITED(status) ? "exit status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), cwd);
		print_tail(log->path);
		log_err("%s: the whole build log is %s", log->what, log->path);
		rc = -EIO;
	}
out:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return rc;
}

int asuser_run(const struct asuser_log *log, const char *cwd, char *const argv[], char *out,
	       size_t outlen)
{
	return run(log, cwd, argv, out, outlen, 1);
}

int asuser_try(const struct asuser_log *log, const char *cwd, char *const argv[], char *out,
	       size_t outlen)
{
	return run(log, cwd, argv, out, outlen, 0);
}

/* 1 when an executable of that name is on PATH. */
int asuser_on_path(const char *name)
{
	char path[PATH_MAX];
	const char *p = getenv("PATH");

	while (p && *p) {
		size_t n = strcspn(p, ":");

		if (n && !path_fmt(path, sizeof(path), "%.*s/%s", (int)n, p, name) &&
		    access(path, X_OK) == 0)
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

/* Become the user who asked: SUDO_USER under sudo, else ourselves, never root. */
int asuser_lookup(struct passwd *pw, char *buf, size_t len)
{
	struct passwd *res = NULL;
	const char *sudo_user = getenv("SUDO_USER");

	if (geteuid() != 0) {
		getpwuid_r(getuid(), pw, buf, len, &res);
	} else {
		if (!sudo_user || !*sudo_user || !strcmp(sudo_user, "root")) {
			log_err(
			    "the unikernel is never built as root: run `sudo mir-perf ...` from "
			    "your own account (SUDO_USER names who builds it)");
			return -EPERM;
		}
		getpwnam_r(sudo_user, pw, buf, len, &res);
	}
	if (!res || res->pw_uid == 0 || res->pw_dir[0] != '/') {
		log_err("no user to build the unikernel as (%s)",
			sudo_user ? sudo_user : "this process's user");
		return -EPERM;
	}
	return 0;
}

/* In the child: drop to the user for good, with a clean environment. */
int asuser_become(const struct passwd *pw, char *home, size_t homelen)
{
	char path[PATH_MAX * 2], opam_bin[PATH_MAX];
	const char *inherited = getenv("PATH");

	if (getuid() == 0 || geteuid() == 0) {
		if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) || setuid(pw->pw_uid))
			return -errno;
	}
	if (setuid(0) == 0 || getuid() == 0)
		return -EPERM; /* could get root back: refuse to go on */
	/* The user's opam switch first (what `eval $(opam env)` would add). */
	if (path_fmt(home, homelen, "%s", pw->pw_dir) ||
	    path_fmt(opam_bin, sizeof(opam_bin), "%s/.opam/default/bin", home) ||
	    path_fmt(path, sizeof(path), "%s:%s/.local/bin:%s", opam_bin, home,
		     inherited && *inherited ? inherited : "/usr/local/bin:/usr/bin:/bin"))
		return -ENAMETOOLONG;
	clearenv();
	setenv("HOME", home, 1);
	setenv("USER", pw->pw_name, 1);
	setenv("LOGNAME", pw->pw_name, 1);
	setenv("PATH", path, 1);
	setenv("LANG", "C.UTF-8", 1);
	if (!path_fmt(opam_bin, sizeof(opam_bin), "%s/.opam/default", home) &&
	    access(opam_bin, X_OK) == 0)
		setenv("OPAM_SWITCH_PREFIX", opam_bin, 1);
	return 0;
}
