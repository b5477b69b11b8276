#include "lib/proc.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/mtime.h"
#include "lib/netns.h"

/* The fields of /proc/PID/stat the harness reads. */
struct stat_fields {
	char state;			      /* field 3: R, S, D, T, Z, ... */
	long pgrp;			      /* field 5 */
	unsigned long long utime, stime;      /* fields 14, 15: clock ticks, all threads */
	unsigned long long starttime;	      /* field 22: clock ticks since boot */
};

static int stat_read(pid_t pid, struct stat_fields *f, int zombie_ok)
{
	char path[64], buf[1024], *p, *end;
	int fd, field;
	ssize_t n;

	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	memset(f, 0, sizeof(*f));
	/* comm may hold spaces and parentheses: fields restart after the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c", &f->state) != 1)
		return -EPROTO;
	if (!zombie_ok && (f->state == 'Z' || f->state == 'X'))
		return -ESRCH;
	p += 2; /* field 3, state */
	for (field = 3; field < 22; field++) {
		if (field == 5)
			f->pgrp = strtol(p, NULL, 10);
		else if (field == 14)
			f->utime = strtoull(p, NULL, 10);
		else if (field == 15)
			f->stime = strtoull(p, NULL, 10);
		p = strchr(p, ' ');
		if (!p)
			return -EPROTO;
		p++;
	}
	errno = 0;
	f->starttime = strtoull(p, &end, 10);
	if (errno || end == p)
		return -EPROTO;
	return 0;
}

int proc_stat(pid_t pid, uint64_t *starttime, pid_t *pgrp)
{
	struct stat_fields f;
	int rc = stat_read(pid, &f, 0);

	if (rc)
		return rc;
	if (starttime)
		*starttime = f.starttime;
	if (pgrp)
		*pgrp = (pid_t)f.pgrp;
	return 0;
}

int proc_starttime(pid_t pid, uint64_t *starttime)
{
	struct stat_fields f;
	int rc = stat_read(pid, &f, 1);

	if (!rc)
		*starttime = f.starttime;
	return rc;
}

int proc_group_cpu(pid_t pgid, char *state, uint64_t *cpu_ns)
{
	long hz = sysconf(_SC_CLK_TCK);
	unsigned long long ticks = 0;
	struct stat_fields f;
	struct dirent *d;
	char leader = 0;
	int found = 0;
	DIR *dir;

	if (pgid <= 0)
		return -ESRCH;
	dir = opendir("/proc");
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		char *end;
		pid_t pid = (pid_t)strtol(d->d_name, &end, 10);

		if (*end || pid <= 0 || stat_read(pid, &f, 0) || f.pgrp != pgid)
			continue;
		found = 1;
		ticks += f.utime + f.stime;
		if (pid == pgid || !leader)
			leader = f.state;
		if (f.state == 'R')
			leader = 'R';
	}
	closedir(dir);
	if (!found)
		return -ESRCH;
	if (hz <= 0)
		hz = 100;
	*state = leader;
	*cpu_ns = ticks * (NSEC_PER_SEC / (uint64_t)hz);
	return 0;
}

/* One word of the command line into out (large enough: strlen(cmd) + 1). */
static int argv_word(const char **sp, char *out, char *err, size_t errlen)
{
	const char *s = *sp;
	char quote = 0;

	while (*s) {
		char c = *s;

		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			else
				*out++ = c;
			s++;
		} else if (quote == '"') {
			if (c == '"') {
				quote = 0;
			} else if (c == '\\' && s[1] && strchr("\"\\$`", s[1])) {
				*out++ = *++s;
			} else {
				*out++ = c;
			}
			s++;
		} else if (c == ' ' || c == '\t' || c == '\n') {
			break;
		} else if (c == '\'' || c == '"') {
			quote = c;
			s++;
		} else if (c == '\\') {
			if (!s[1]) {
				snprintf(err, errlen, "command ends in a lone backslash");
				return -EINVAL;
			}
			*out++ = s[1];
			s += 2;
		} else {
			*out++ = c;
			s++;
		}
	}
	if (quote) {
		snprintf(err, errlen, "unterminated %s quote in command",
			 quote == '"' ? "double" : "single");
		return -EINVAL;
	}
	*out = '\0';
	*sp = s;
	return 0;
}

int proc_argv_split(const char *cmd, char ***argvp, char *err, size_t errlen)
{
	size_t len = strlen(cmd), n = 0, cap = 8;
	char **argv = NULL, *word = NULL;
	const char *s = cmd;
	int rc;

	*argvp = NULL;
	if (errlen)
		err[0] = '\0';
	argv = calloc(cap, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		word = malloc(len + 1);
		if (!word) {
			rc = -ENOMEM;
			goto out;
		}
		rc = argv_word(&s, word, err, errlen);
		if (rc)
			goto out;
		if (n + 2 > cap) {
			char **grown = realloc(argv, 2 * cap * sizeof(*argv));

			if (!grown) {
				rc = -ENOMEM;
				goto out;
			}
			argv = grown;
			cap *= 2;
		}
		argv[n++] = word;
		argv[n] = NULL;
		word = NULL;
	}
	if (n == 0) {
		snprintf(err, errlen, "empty command");
		rc = -EINVAL;
		goto out;
	}
	*argvp = argv;
	argv = NULL;
	rc = 0;
out:
	free(word);
	proc_argv_free(argv);
	return rc;
}

void proc_argv_free(char **argv)
{
	char **a;

	if (!argv)
		return;
	for (a = argv; *a; a++)
		free(*a);
	free(argv);
}

/* In the child, still root: a private mount namespace in which
 * /dev/net/tun is a node of uid's own (on a tmpfs over /dev/net), so the
 * DUT can attach to the TAPs given to it even where the host's node is 0600.
 * Nothing of the host's mounts or devices changes. */
static int own_tun(uid_t uid, gid_t gid)
{
	struct stat st;

	if (stat("/dev/net/tun", &st) || !S_ISCHR(st.st_mode))
		return -1;
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("mir-perf-tun", "/dev/net", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=4k") ||
	    mknod("/dev/net/tun", S_IFCHR | 0600, st.st_rdev) || chown("/dev/net/tun", uid, gid))
		return -1;
	return 0;
}

/* In the child between fork and exec: only async-signal-safe calls. */
static void spawn_child(const struct proc_spawn *s, pid_t parent, int nsfd, int nullfd, int logfd,
			int errfd)
{
	struct sigaction sa;
	sigset_t all;
	int sig, e;

	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET))
		goto fail;
	if (dup2(nullfd, 0) < 0)
		goto fail;
	if (logfd >= 0 && (dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0))
		goto fail;
	if (s->as_user && s->own_tun && own_tun(s->uid, s->gid))
		goto fail;
	if (s->as_user) {
		gid_t g = s->gid;

		/* groups, gid, uid, in that order, and no way back */
		if (setgroups(1, &g) || setgid(s->gid) || setuid(s->uid))
			goto fail;
		if (setuid(0) == 0 || geteuid() == 0) {
			errno = EPERM;
			goto fail;
		}
		/* the uid change cleared the parent-death signal */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(127);
	}
	execvp(s->argv[0], s->argv);
fail:
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

int proc_spawn(const struct proc_spawn *s, pid_t *pidp)
{
	int nsfd = -1, nullfd = -1, logfd = -1, pipefd[2] = {-1, -1}, rc, e = 0;
	pid_t parent = getpid(), pid;
	ssize_t n;

	*pidp = -1;
	if (!s->argv || !s->argv[0])
		return -EINVAL;
	if (s->netns && *s->netns) {
		nsfd = netns_open(s->netns);
		if (nsfd < 0)
			return nsfd;
	}
	nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nullfd < 0) {
		rc = -errno;
		goto out;
	}
	if (s->log) {
		logfd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (logfd < 0) {
			rc = -errno;
			goto out;
		}
	}
	if (pipe2(pipefd, O_CLOEXEC)) {
		rc = -errno;
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto out;
	}
	if (pid == 0)
		spawn_child(s, parent, nsfd, nullfd, logfd, pipefd[1]);
	setpgid(pid, pid); /* also here, so the group exists whichever runs first */
	close(pipefd[1]);
	pipefd[1] = -1;
	/* The pipe closes on a successful exec, or carries the exec's errno. */
	do
		n = read(pipefd[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n == sizeof(e)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		rc = e ? -e : -ECHILD;
		goto out;
	}
	*pidp = pid;
	rc = 0;
out:
	if (nsfd >= 0)
		close(nsfd);
	if (nullfd >= 0)
		close(nullfd);
	if (logfd >= 0)
		close(logfd);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return rc;
}

int proc_poll(pid_t pid, int *status)
{
	pid_t r;

	do
		r = waitpid(pid, status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return 0;
	if (r < 0)
		return errno == ECHILD ? 1 : -errno;
	return 1;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {0, (long)ms * 1000000L};

	nanosleep(&ts, NULL);
}

/* The group has no member left (zombies of a reaped leader do not count). */
static int group_gone(pid_t pgid)
{
	return kill(-pgid, 0) < 0 && errno == ESRCH;
}

void proc_stop_group(pid_t pid, int reaped, uint64_t grace_ns)
{
	uint64_t deadline = mtime_now_ns() + grace_ns;
	int status;

	if (pid <= 0)
		return;
	/* A reaped leader's number is only still ours while its group has
	 * members (the kernel keeps a pgid in use from being reused). */
	if (reaped && group_gone(pid))
		return;
	kill(-pid, SIGTERM);
	if (!reaped)
		kill(pid, SIGTERM); /* should it have left its group */
	while (mtime_now_ns() < deadline) {
		if (!reaped && proc_poll(pid, &status) != 0)
			reaped = 1;
		if (reaped && group_gone(pid))
			return;
		sleep_ms(10);
	}
	kill(-pid, SIGKILL);
	if (!reaped) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	deadline = mtime_now_ns() + NSEC_PER_SEC;
	while (!group_gone(pid) && mtime_now_ns() < deadline)
		sleep_ms(10);
}

/* pids of the processes in group pgid started at or after since. */
static size_t stale_members(pid_t pgid, uint64_t since, pid_t *out, size_t max)
{
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	dir = opendir("/proc");
	if (!dir)
		return 0;
	while ((d = readdir(dir)) && n < max) {
		uint64_t st;
		pid_t pid, grp;
		char *end;

		pid = (pid_t)strtol(d->d_name, &end, 10);
		if (*end || pid <= 0 || pid == pgid) /* the leader is checked apart */
			continue;
		if (proc_stat(pid, &st, &grp) == 0 && grp == pgid && st >= since)
			out[n++] = pid;
	}
	closedir(dir);
	return n;
}

int proc_stop_stale(pid_t pid, uint64_t starttime, uint64_t grace_ns)
{
	pid_t members[256];
	uint64_t st, deadline;
	size_t n, i;
	int sig;

	for (sig = SIGTERM;; sig = SIGKILL) {
		/* Only while the recorded leader is still the process that was
		 * started (same pid AND start time) is its group id known to be
		 * the run's: once it is gone, the pid and with it the group id may
		 * belong to an unrelated job, whose members are never signalled. */
		if (proc_stat(pid, &st, NULL) || st != starttime)
			return 0;
		n = 0;
		members[n++] = pid;
		n += stale_members(pid, starttime, members + n, 256 - n);
		for (i = 0; i < n; i++)
			kill(members[i], sig);
		deadline = mtime_now_ns() + (sig == SIGTERM ? grace_ns : NSEC_PER_SEC);
		while (mtime_now_ns() < deadline) {
			sleep_ms(10);
			for (i = 0; i < n; i++)
				if (proc_stat(members[i], &st, NULL) == 0 && st >= starttime)
					break;
			if (i == n)
				return 0;
		}
		if (sig == SIGKILL)
			return -ETIMEDOUT;
	}
}

void proc_status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "ended (status 0x%x)", (unsigned)status);
}
