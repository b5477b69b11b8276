/* Paths built and made without surprises: a path that does not fit its
 * buffer is an error (never silently cut), directories made like mkdir -p. */
#ifndef MP_PATH_H
#define MP_PATH_H

#include <stddef.h>
#include <sys/types.h>

/* snprintf into buf: 0, or -ENAMETOOLONG when the result does not fit. */
int path_fmt(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Make path and its missing parents with mode: 0 or a negative errno. */
int path_mkdir_p(const char *path, mode_t mode);
/* The whole file at path (at most max bytes), NUL-terminated, into *out, to
 * free(): 0, -EFBIG past max, or another negative errno. Opened with
 * O_NOFOLLOW: a link planted in its place is not read. */
int path_read_text(const char *path, size_t max, char **out);

#endif
