#include "trafgen/agent_token.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trafgen/proto.h"

int agent_token_equal(const char *presented, const char *expected, size_t expected_len)
{
	size_t plen = strnlen(presented, PROTO_TOKEN_MAX + 1), i;
	unsigned char diff = (unsigned char)(plen != expected_len);

	for (i = 0; i < PROTO_TOKEN_MAX; i++) {
		unsigned char a = i < plen ? (unsigned char)presented[i] : 0;
		unsigned char b = i < expected_len ? (unsigned char)expected[i] : 0;

		diff |= a ^ b;
	}
	return diff == 0;
}

int agent_token_read(const char *path, char *token, size_t *token_len, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen,
			 "'%.200s': %s; expected a file of mode 0600 holding the token", path,
			 strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%.200s': expected a regular file", path);
		rc = -EINVAL;
		goto out;
	}
	/* Only we (or root) may have put it there: another user's file could
	 * hold a token they know. */
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		snprintf(err, errlen, "'%.200s' belongs to uid %u; expected uid %u (ours) or root",
			 path, (unsigned)st.st_uid, (unsigned)geteuid());
		rc = -EACCES;
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(
		    err, errlen,
		    "'%.200s' has mode %04o: group or others may read it; expected 0600 or 0400",
		    path, (unsigned)(st.st_mode & 07777));
		rc = -EACCES;
		goto out;
	}
	n = read(fd, token, PROTO_TOKEN_MAX + 1);
	if (n < 0) {
		rc = -errno;
		snprintf(err, errlen, "'%.200s': %s", path, strerror(errno));
		goto out;
	}
	while (n > 0 && (token[n - 1] == '\n' || token[n - 1] == '\r'))
		n--;
	if (n <= 0 || (size_t)n > PROTO_TOKEN_MAX || memchr(token, '\n', (size_t)n) ||
	    memchr(token, '\0', (size_t)n)) {
		snprintf(err, errlen, "'%.200s': expected one line of 1..%d bytes", path,
			 PROTO_TOKEN_MAX);
		rc = -EINVAL;
		goto out;
	}
	token[n] = '\0';
	*token_len = (size_t)n;
	rc = 0;
out:
	close(fd);
	return rc;
}
