#include "harness/platform/local/local_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/run/state.h"
#include "lib/log.h"
#include "lib/mtime.h"

#define STOP_GRACE_NS (3 * NSEC_PER_SEC)

static char bindir_override[PATH_MAX];

void local_proc_set_bindir(const char *dir)
{
	snprintf(bindir_override, sizeof(bindir_override), "%s", dir ? dir : "");
}

/* mir-trafgen next to our own binary (bin/mir-perf -> bin/mir-trafgen). */
int local_trafgen_path(char *buf, size_t len)
{
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	int w;

	if (bindir_override[0]) {
		w = snprintf(buf, len, "%s/mir-trafgen", bindir_override);
	} else {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0)
			return -errno;
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash)
			*slash = '\0';
		w = snprintf(buf, len, "%s/mir-trafgen", self);
	}
	if (w < 0 || (size_t)w >= len)
		return -ENAMETOOLONG;
	if (access(buf, X_OK)) {
		log_err("local platform: %s: %s (mir-trafgen is expected next to mir-perf; run "
			"make)",
			buf, strerror(errno));
		return -ENOENT;
	}
	return 0;
}

/* Last lines of a log, for an error message about the process that wrote it. */
static void log_tail(const char *path, char *out, size_t len)
{
	char buf[600], *slash;
	ssize_t n;
	off_t size;
	int fd;

	out[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	if (size > (off_t)(sizeof(buf) - 1))
		lseek(fd, size - (off_t)(sizeof(buf) - 1), SEEK_SET);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	slash = strrchr(buf, '\n');
	snprintf(out, len, "%.250s", slash ? slash + 1 : buf);
}

int local_proc_start(struct run_state *st, const struct proc_spawn *s, const char *what,
		     const char *user, pid_t *pid)
{
	int rc;

	rc = proc_spawn(s, pid);
	if (rc) {
		if (s->as_user)
			log_err("local platform: cannot start %s '%s' as %s: %s (--dut-as-root "
				"runs it as root)",
				what, s->argv[0], user, strerror(-rc));
		else
			log_err("local platform: cannot start %s '%s': %s", what, s->argv[0],
				strerror(-rc));
		return rc;
	}
	rc = run_state_add_proc(st, *pid);
	if (rc) {
		log_err("local platform: cannot record %s (pid %d): %s", what, (int)*pid,
			strerror(-rc));
		proc_stop_group(*pid, 0, STOP_GRACE_NS);
		*pid = -1;
	}
	return rc;
}

int local_proc_ended(struct run_state *st, pid_t *pid, int status, const char *what,
		     const char *log)
{
	char how[64], tail[300];

	/* The leader is gone, not necessarily its group: stop what is left now,
	 * while the group id cannot have been reused. */
	local_proc_stop(st, pid, 1);
	proc_status_str(status, how, sizeof(how));
	log_tail(log, tail, sizeof(tail));
	log_err("local platform: %s %s%s%s%s (log: %s)", what, how, *tail ? ": \"" : "", tail,
		*tail ? "\"" : "", log);
	return -ECHILD;
}

void local_proc_stop(struct run_state *st, pid_t *pid, int reaped)
{
	if (*pid <= 0)
		return;
	proc_stop_group(*pid, reaped, STOP_GRACE_NS);
	run_state_release_proc(st, *pid);
	*pid = -1;
}
