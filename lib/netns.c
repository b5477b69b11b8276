#include "lib/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int netns_name_valid(const char *name)
{
	size_t i, n;

	if (!name)
		return 0;
	n = strlen(name);
	if (n == 0 || n > NETNS_NAME_MAX || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

static int netns_path(char *buf, size_t len, const char *name)
{
	if (!netns_name_valid(name))
		return -EINVAL;
	snprintf(buf, len, "%s/%s", NETNS_RUN_DIR, name);
	return 0;
}

/* Make /run/netns a shared mount point, as iproute2 does, so mounts made in
 * it are seen by every mount namespace. */
static int netns_prepare_dir(void)
{
	if (mkdir(NETNS_RUN_DIR, 0755) && errno != EEXIST)
		return -errno;
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL))
		return -errno;
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL))
		return -errno;
	return 0;
}

int netns_create(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 2];
	int fd, rc, status;
	pid_t pid;

	rc = netns_path(path, sizeof(path), name);
	if (rc)
		return rc;
	rc = netns_prepare_dir();
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);
	/* unshare in a child, so this process (and its threads) keep their namespace. */
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		unlink(path);
		return rc;
	}
	if (pid == 0) {
		if (unshare(CLONE_NEWNET))
			_exit(1);
		if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL))
			_exit(2);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		unlink(path);
		return -EPERM;
	}
	return 0;
}

int netns_delete(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 2];
	int rc;

	rc = netns_path(path, sizeof(path), name);
	if (rc)
		return rc;
	if (umount2(path, MNT_DETACH) && errno != EINVAL && errno != ENOENT)
		return -errno;
	if (unlink(path) && errno != ENOENT)
		return -errno;
	return 0;
}

int netns_exists(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 2];

	if (netns_path(path, sizeof(path), name))
		return 0;
	return access(path, F_OK) == 0;
}

int netns_open(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 2];
	int rc, fd;

	rc = netns_path(path, sizeof(path), name);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int netns_enter(const char *name, int *saved)
{
	int fd, self;

	*saved = -1;
	if (!name || !*name)
		return 0;
	fd = netns_open(name);
	if (fd < 0)
		return fd;
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	if (setns(fd, CLONE_NEWNET)) {
		int rc = -errno;

		close(fd);
		close(self);
		return rc;
	}
	close(fd);
	*saved = self;
	return 0;
}

int netns_restore(int saved)
{
	int rc = 0;

	if (saved < 0)
		return 0;
	if (setns(saved, CLONE_NEWNET))
		rc = -errno;
	close(saved);
	return rc;
}

int netns_sysfs_write(const char *name, const char *path, const char *val)
{
	int fd, status;
	size_t len = strlen(val);
	pid_t pid;

	if (strncmp(path, "/sys/", 5) || strstr(path, "/../"))
		return -EINVAL;
	fd = netns_open(name);
	if (fd < 0)
		return fd;
	/* /sys/class/net shows the devices of the namespace sysfs was mounted
	 * in: a child mounts its own, in a mount namespace of its own (what
	 * `ip netns exec` does), and reports the errno as its status. */
	pid = fork();
	if (pid < 0) {
		status = -errno;
		close(fd);
		return status;
	}
	if (pid == 0) {
		int out;

		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    setns(fd, CLONE_NEWNET) || mount("sysfs", "/sys", "sysfs", 0, NULL))
			_exit(errno & 0xff ? errno & 0xff : EPERM);
		out = open(path, O_WRONLY | O_CLOEXEC);
		if (out < 0 || write(out, val, len) != (ssize_t)len)
			_exit(errno & 0xff ? errno & 0xff : EIO);
		_exit(0);
	}
	close(fd);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status))
		return -EPERM;
	return -WEXITSTATUS(status);
}
