/* What root may trust (sshd's StrictModes): a file or directory owned by
 * root or by the user who invoked mir-perf (SUDO_UID), not writable by group
 * or others, in directories no one else can change either. Another local
 * user can then neither plant a cfg that root runs, nor swap a directory
 * root writes into for a symlink to /etc.
 *
 * Checks apply only when running as root (euid 0): an unprivileged mir-perf
 * can only hurt its own user. Each check returns 0, or a negative errno with
 * why (a sentence naming the path and what is wrong) for the caller to report
 * with what the user was doing. */
#ifndef MP_TRUST_H
#define MP_TRUST_H

#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The invoking user under sudo (SUDO_UID, SUDO_GID, not root): 0, else
 * -ENOENT. uid/gid may be NULL. */
int trust_invoker(uid_t *uid, gid_t *gid);
/* 1 when uid is root or the invoking user. */
int trust_uid(uid_t uid);

/* st of path: owned by a trusted uid, and (unless sticky_ok and the sticky
 * bit is set, as on /tmp) not writable by group or others. */
int trust_stat(const char *path, const struct stat *st, int sticky_ok, char *why, size_t len);

/* path, every directory above it and, through symlinks, what they point at:
 * trusted owners; directories above path may be world-writable only when
 * sticky. The check stops at the first component that does not exist
 * (what then opens the path reports that). -EPERM when not trusted. */
int trust_path(const char *path, char *why, size_t len);

/* The same for a directory root makes an entry in (mkdirat) and then holds
 * that entry by fd: it may itself be world-writable when sticky (/tmp),
 * since no one else can then rename or replace root's entry. */
int trust_parent_path(const char *path, char *why, size_t len);

/* Open a cfg file for reading: a regular file (not a FIFO, a device, a
 * directory) of at most max_bytes, trusted by trust_path. NULL with why and
 * errno set (EPERM untrusted, EINVAL not a regular file, EFBIG too big). */
FILE *trust_fopen(const char *path, size_t max_bytes, char *why, size_t len);

#endif
