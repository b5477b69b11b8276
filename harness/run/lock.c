#include "harness/run/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/run/state.h"
#include "harness/run/stop.h"
#include "lib/mtime.h"

struct run_lock {
	int fd;
};

static pid_t lock_holder(int fd)
{
	char buf[32];
	ssize_t n;
	long pid;
	int tries;

	/* The holder writes its pid just after taking the lock: allow it a moment. */
	for (tries = 0; tries < 20; tries++) {
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		if (n > 0) {
			buf[n] = '\0';
			pid = strtol(buf, NULL, 10);
			if (pid > 0)
				return (pid_t)pid;
		}
		nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
	}
	return 0;
}

int run_lock_take(uint64_t wait_ns, struct run_lock **out, pid_t *holder)
{
	char path[4200], buf[32];
	uint64_t deadline = mtime_now_ns() + wait_ns;
	struct run_lock *l = NULL;
	int fd = -1, rc, n;

	*out = NULL;
	*holder = 0;
	if (mkdir(state_dir(), 0700) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/lock", state_dir());
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK) {
			rc = -errno;
			goto out;
		}
		if (mtime_now_ns() >= deadline || stop_requested()) {
			*holder = lock_holder(fd);
			rc = stop_requested() ? -EINTR : -EBUSY;
			goto out;
		}
		nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, buf, (size_t)n, 0) != n) {
		rc = -errno;
		goto out;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		rc = -ENOMEM;
		goto out;
	}
	l->fd = fd;
	*out = l;
	return 0;
out:
	close(fd);
	return rc;
}

void run_lock_release(struct run_lock *l)
{
	if (!l)
		return;
	/* Clear the pid before unlocking, so no one blames us afterwards. */
	if (ftruncate(l->fd, 0))
		(void)0;
	close(l->fd);
	free(l);
}
