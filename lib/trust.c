/* What root may trust; see trust.h. */
#include "lib/trust.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parse a decimal id of sudo's environment: 0 when it is one (not root). */
static int env_id(const char *name, unsigned long *v)
{
	const char *s = getenv(name);
	char *end;

	if (!s || !*s)
		return -ENOENT;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v > 0x7fffffff)
		return -EINVAL;
	return 0;
}

int trust_invoker(uid_t *uid, gid_t *gid)
{
	unsigned long u, g;

	if (env_id("SUDO_UID", &u) || env_id("SUDO_GID", &g) || u == 0)
		return -ENOENT;
	if (uid)
		*uid = (uid_t)u;
	if (gid)
		*gid = (gid_t)g;
	return 0;
}

int trust_uid(uid_t uid)
{
	uid_t inv;

	return uid == 0 || (!trust_invoker(&inv, NULL) && uid == inv);
}

static const char *kind(mode_t m)
{
	return S_ISDIR(m) ? "directory" : S_ISLNK(m) ? "symlink" : "file";
}

int trust_stat(const char *path, const struct stat *st, int sticky_ok, char *why, size_t len)
{
	if (geteuid() != 0)
		return 0;
	if (!trust_uid(st->st_uid)) {
		snprintf(why, len,
			 "%s '%s' belongs to uid %u, expected root or the user running sudo",
			 kind(st->st_mode), path, (unsigned)st->st_uid);
		return -EPERM;
	}
	/* a symlink's own mode means nothing */
	if (!S_ISLNK(st->st_mode) && (st->st_mode & (S_IWGRP | S_IWOTH)) &&
	    !(sticky_ok && S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX))) {
		snprintf(why, len, "%s '%s' is writable by %s (mode %04o), expected neither",
			 kind(st->st_mode), path,
			 (st->st_mode & S_IWOTH) ? "everyone" : "its group",
			 (unsigned)(st->st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

/* Every prefix of the absolute path abs, lstat-ed: a component another user
 * could rename or replace is refused. depth bounds symlink chains. */
static int trust_chain(const char *abs, int depth, int sticky_last, char *why, size_t len)
{
	char buf[PATH_MAX], real[PATH_MAX];
	size_t i, n = strlen(abs);
	struct stat st;
	int rc;

	if (n >= sizeof(buf) || depth > 8)
		return -ELOOP;
	memcpy(buf, abs, n + 1);
	for (i = 1; i <= n; i++) {
		int last = i == n;
		char save;

		if (!last && buf[i] != '/')
			continue;
		save = buf[i];
		buf[i] = '\0';
		if (lstat(buf, &st)) {
			rc = -errno;
			/* Missing: what uses the path will say so. Its parent was
			 * trusted, so only root or the user can make it now. */
			if (rc == -ENOENT)
				return 0;
			snprintf(why, len, "cannot check '%s': %s", buf, strerror(-rc));
			return rc;
		}
		/* the root directory is checked with its first child below */
		rc = trust_stat(buf, &st, !last || sticky_last, why, len);
		if (rc)
			return rc;
		if (S_ISLNK(st.st_mode)) {
			/* owned by us in a trusted directory: its target is what
			 * is used, so that must be trusted too */
			if (!realpath(buf, real)) {
				rc = -errno;
				snprintf(why, len, "cannot resolve '%s': %s", buf, strerror(-rc));
				return rc;
			}
			rc = trust_chain(real, depth + 1, !last || sticky_last, why, len);
			if (rc)
				return rc;
		}
		buf[i] = save;
	}
	return 0;
}

static int trust_path_mode(const char *path, int sticky_last, char *why, size_t len)
{
	char abs[PATH_MAX], cwd[PATH_MAX];
	struct stat st;
	int rc;

	if (geteuid() != 0)
		return 0;
	if (lstat("/", &st))
		return -errno;
	rc = trust_stat("/", &st, 1, why, len);
	if (rc)
		return rc;
	if (path[0] == '/') {
		snprintf(abs, sizeof(abs), "%s", path);
	} else {
		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		if ((size_t)snprintf(abs, sizeof(abs), "%s/%s", strcmp(cwd, "/") ? cwd : "",
				     path) >= sizeof(abs))
			return -ENAMETOOLONG;
	}
	/* a trailing '/' names the same thing */
	while (strlen(abs) > 1 && abs[strlen(abs) - 1] == '/')
		abs[strlen(abs) - 1] = '\0';
	if (!strcmp(abs, "/"))
		return 0;
	return trust_chain(abs, 0, sticky_last, why, len);
}

int trust_path(const char *path, char *why, size_t len)
{
	return trust_path_mode(path, 0, why, len);
}

int trust_parent_path(const char *path, char *why, size_t len)
{
	return trust_path_mode(path, 1, why, len);
}

static const char *type_name(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

FILE *trust_fopen(const char *path, size_t max_bytes, char *why, size_t len)
{
	struct stat st;
	FILE *f = NULL;
	int fd, rc;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		rc = -errno;
		snprintf(why, len, "cannot open: %s", strerror(-rc));
		goto fail;
	}
	if (fstat(fd, &st)) {
		rc = -errno;
		snprintf(why, len, "cannot open: %s", strerror(-rc));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		snprintf(why, len, "expected a regular file, got %s", type_name(st.st_mode));
		goto fail;
	}
	if ((unsigned long long)st.st_size > max_bytes) {
		rc = -EFBIG;
		snprintf(why, len, "expected at most %zu bytes, got %llu", max_bytes,
			 (unsigned long long)st.st_size);
		goto fail;
	}
	/* the file we opened, then the path that led to it */
	rc = trust_stat(path, &st, 0, why, len);
	if (!rc)
		rc = trust_path(path, why, len);
	if (rc)
		goto fail;
	if (fcntl(fd, F_SETFL, 0)) {
		rc = -errno;
		snprintf(why, len, "cannot read: %s", strerror(-rc));
		goto fail;
	}
	f = fdopen(fd, "r");
	if (!f) {
		rc = -errno;
		snprintf(why, len, "cannot read: %s", strerror(-rc));
		goto fail;
	}
	return f;
fail:
	if (fd >= 0)
		close(fd);
	errno = -rc;
	return NULL;
}
