/* Writing files through a directory fd; see atomic_file.h. */
#include "lib/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One name inside the directory: a '/' or ".." would leave it. */
static int plain_name(const char *name)
{
	return name && name[0] && !strchr(name, '/') && strcmp(name, ".") &&
	       strcmp(name, "..") && strlen(name) < AFILE_NAME_MAX;
}

int afile_begin(struct afile *a, int dirfd, const char *name, mode_t mode)
{
	static unsigned seq;
	unsigned tries;

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	a->uid = (uid_t)-1;
	a->gid = (gid_t)-1;
	a->dirfd = dirfd;
	if (!plain_name(name))
		return -EINVAL;
	memcpy(a->name, name, strlen(name) + 1);
	/* O_EXCL: a name someone planted is never opened; pick another. */
	for (tries = 0; tries < 16; tries++) {
		snprintf(a->tmp, sizeof(a->tmp), ".%s.tmp-%d-%u", name, (int)getpid(),
			 __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
		a->fd = openat(dirfd, a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			       mode);
		if (a->fd >= 0)
			break;
		if (errno != EEXIST) {
			a->tmp[0] = '\0';
			return -errno;
		}
	}
	if (a->fd < 0) {
		a->tmp[0] = '\0';
		return -EEXIST;
	}
	/* the umask must not make a result unreadable (or more readable) */
	if (fchmod(a->fd, mode)) {
		int rc = -errno;

		afile_abort(a);
		return rc;
	}
	return 0;
}

void afile_set_owner(struct afile *a, uid_t uid, gid_t gid)
{
	a->uid = uid;
	a->gid = gid;
}

FILE *afile_stream(struct afile *a)
{
	if (!a->f && a->fd >= 0) {
		a->f = fdopen(a->fd, "w");
		if (!a->f)
			return NULL;
	}
	return a->f;
}

int afile_open(struct afile *a, int dirfd, const char *name, mode_t mode, FILE **f)
{
	int rc = afile_begin(a, dirfd, name, mode);

	*f = NULL;
	if (rc)
		return rc;
	*f = afile_stream(a);
	if (!*f) {
		rc = -errno;
		afile_abort(a);
	}
	return rc;
}

int afile_commit(struct afile *a, int durable)
{
	int rc = 0;

	if (a->fd < 0)
		return -EBADF;
	if (a->f && (fflush(a->f) || ferror(a->f)))
		rc = errno ? -errno : -EIO;
	if (!rc && durable && fsync(a->fd))
		rc = -errno;
	if (!rc && (a->uid != (uid_t)-1 || a->gid != (gid_t)-1) && fchown(a->fd, a->uid, a->gid))
		rc = -errno;
	if (a->f) {
		if (fclose(a->f) && !rc)
			rc = errno ? -errno : -EIO;
	} else if (close(a->fd) && !rc) {
		rc = -errno;
	}
	a->f = NULL;
	a->fd = -1;
	if (!rc && renameat(a->dirfd, a->tmp, a->dirfd, a->name))
		rc = -errno;
	if (rc)
		unlinkat(a->dirfd, a->tmp, 0);
	a->tmp[0] = '\0';
	return rc;
}

void afile_abort(struct afile *a)
{
	if (a->f)
		fclose(a->f);
	else if (a->fd >= 0)
		close(a->fd);
	a->f = NULL;
	a->fd = -1;
	if (a->tmp[0])
		unlinkat(a->dirfd, a->tmp, 0);
	a->tmp[0] = '\0';
}

int afile_write_all(int dirfd, const char *name, mode_t mode, const void *buf, size_t len)
{
	const char *p = buf;
	struct afile a;
	int rc;

	rc = afile_begin(&a, dirfd, name, mode);
	if (rc)
		return rc;
	while (len) {
		ssize_t w = write(a.fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = -errno;
			afile_abort(&a);
			return rc;
		}
		p += w;
		len -= (size_t)w;
	}
	return afile_commit(&a, 1);
}

int afile_create(int dirfd, const char *name, int flags, mode_t mode)
{
	int fd;

	if (!plain_name(name))
		return -EINVAL;
	fd = openat(dirfd, name, flags | O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    mode);
	return fd < 0 ? -errno : fd;
}

int afile_append(int dirfd, const char *name, mode_t mode)
{
	struct stat st;
	int fd, rc;

	if (!plain_name(name))
		return -EINVAL;
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK,
		    mode);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		rc = -errno;
		goto fail;
	}
	/* a FIFO would block us, a device or a second link is not ours */
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
		rc = -EINVAL;
		goto fail;
	}
	if (fcntl(fd, F_SETFL, O_APPEND)) {
		rc = -errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return rc;
}

int afile_subdir(int dirfd, const char *name, mode_t mode)
{
	int fd;

	if (!plain_name(name))
		return -EINVAL;
	if (mkdirat(dirfd, name, mode) && errno != EEXIST)
		return -errno;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
