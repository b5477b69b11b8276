/* Files written by root into a directory it holds open: every name is
 * resolved relative to that directory's fd, never through a symlink, and
 * never reuses a file someone else put there.
 *
 * A whole file (a JSON document, a table, a plot's data) is written to a
 * fresh temp ".NAME.tmp-PID-N" created O_EXCL|O_NOFOLLOW, then renamed over
 * NAME: readers see the old or the new file, never half of one, and a
 * planted NAME (a symlink to /etc/shadow) is replaced, not written through.
 * An append-only log (stats, samples.csv) is created O_EXCL|O_NOFOLLOW by
 * afile_create. Errors are returned (negative errno), never printed: the
 * caller knows which file of which run it was. */
#ifndef MP_ATOMIC_FILE_H
#define MP_ATOMIC_FILE_H

#include <stdio.h>
#include <sys/types.h>

#define AFILE_NAME_MAX 128

struct afile {
	int dirfd;		/* not owned */
	int fd;			/* the temp, -1 when none */
	FILE *f;		/* over fd once afile_stream was called */
	uid_t uid;		/* (uid_t)-1: keep root's */
	gid_t gid;
	char name[AFILE_NAME_MAX];
	char tmp[AFILE_NAME_MAX + 32];
};

/* Create the temp for dirfd/name (a plain name: no '/', not "." or "..")
 * with mode. a is then committed or aborted. */
int afile_begin(struct afile *a, int dirfd, const char *name, mode_t mode);
/* Give the file to uid:gid (fchown on the temp's fd at commit). */
void afile_set_owner(struct afile *a, uid_t uid, gid_t gid);
/* A stdio stream over the temp, or NULL (errno set). */
FILE *afile_stream(struct afile *a);
/* afile_begin and afile_stream at once, the way every whole-document writer
 * starts: 0 with *f the temp's stream, or a negative errno with nothing left
 * behind (a is aborted). */
int afile_open(struct afile *a, int dirfd, const char *name, mode_t mode, FILE **f);
/* Flush, fsync when durable, fchown, close and rename over name. On any
 * failure the temp is removed and a negative errno returned. */
int afile_commit(struct afile *a, int durable);
/* Drop the temp; NAME is untouched. Safe after a failed begin or a commit. */
void afile_abort(struct afile *a);

/* Write len bytes of buf as the whole new dirfd/name, durably. */
int afile_write_all(int dirfd, const char *name, mode_t mode, const void *buf, size_t len);

/* A new file dirfd/name for appending: O_CREAT|O_EXCL|O_NOFOLLOW, so an
 * existing name (a planted symlink, a hard link, an old file) is refused
 * with -EEXIST. flags adds O_APPEND and the like. The fd, or -errno. */
int afile_create(int dirfd, const char *name, int flags, mode_t mode);
/* dirfd/name for appending, created when missing; refused (-ELOOP, -EINVAL)
 * when it is a symlink, not a regular file or has other hard links. */
int afile_append(int dirfd, const char *name, mode_t mode);
/* The subdirectory dirfd/name, created when missing (mode), opened
 * O_DIRECTORY|O_NOFOLLOW; -ENOTDIR/-ELOOP when name is anything else. */
int afile_subdir(int dirfd, const char *name, mode_t mode);

#endif
