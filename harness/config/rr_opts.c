/* The rr mode's size list; see rr_opts.h. */
#include "harness/config/rr_opts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/config/quote.h"
#include "harness/config/rangelist.h"
#include "lib/units.h"

#define RR_TOKEN_MAX 64

static int is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '\v' ||
	       c == '\f';
}

/* One entry, n bytes at tok: 0 and *v, or -EINVAL. */
static int parse_entry(const char *tok, size_t n, uint64_t *v)
{
	char a[RR_TOKEN_MAX + 1];
	const char *slash;
	uint64_t q, r;

	if (n > RR_TOKEN_MAX)
		return -EINVAL;
	memcpy(a, tok, n);
	a[n] = '\0';
	slash = strchr(a, '/');
	if (slash)
		a[slash - a] = '\0';
	if (units_parse_uint(a, 1, RR_SIZE_MAX_BYTES, &q))
		return -EINVAL;
	r = q;
	if (slash && units_parse_uint(slash + 1, 1, RR_SIZE_MAX_BYTES, &r))
		return -EINVAL;
	*v = RR_SIZE_PACK(q, r);
	return 0;
}

int rr_sizes_parse(const char *text, const char *origin, struct run_list *out, char *err,
		   size_t len)
{
	unsigned line = 1, col = 1, cap = 0, i;
	const char *p = text;
	char q[200];

	run_list_release(out);
	snprintf(out->origin, sizeof(out->origin), "%s", origin);
	while (*p) {
		const char *tok;
		size_t n;
		uint64_t v;

		if (*p == '#') {
			p += strcspn(p, "\n");
			continue;
		}
		if (*p == '\n') {
			line++;
			col = 1;
			p++;
			continue;
		}
		if (is_sep(*p)) {
			p++;
			col++;
			continue;
		}
		tok = p;
		for (n = 0; tok[n] && tok[n] != '#' && !is_sep(tok[n]); n++)
			;
		if (parse_entry(tok, n, &v)) {
			snprintf(err, len,
				 "%s:%u:%u: expected a request size Q or Q/R (response R) from 1 "
				 "to %u bytes each, like 64 or 1/1024, got '%s'",
				 origin, line, col, RR_SIZE_MAX_BYTES,
				 quote_text(q, sizeof(q), tok, n, 40));
			run_list_release(out);
			return -EINVAL;
		}
		for (i = 0; i < out->n && out->v[i] != v; i++)
			;
		if (i == out->n) {
			if (out->n == RUN_MAX_POINTS) {
				snprintf(err, len, "%s:%u:%u: more than %u sizes", origin, line,
					 col, RUN_MAX_POINTS);
				run_list_release(out);
				return -EINVAL;
			}
			if (out->n == cap) {
				uint64_t *nv = realloc(out->v, (cap ? cap * 2 : 16) * sizeof(*nv));

				if (!nv) {
					snprintf(err, len, "%s: out of memory", origin);
					run_list_release(out);
					return -ENOMEM;
				}
				out->v = nv;
				cap = cap ? cap * 2 : 16;
			}
			out->v[out->n++] = v;
		}
		p += n;
		col += (unsigned)n;
	}
	if (!out->n) {
		snprintf(err, len, "%s: expected at least one size (Q or Q/R), got none", origin);
		return -EINVAL;
	}
	return 0;
}

int rr_sizes_parse_file(const char *path, struct run_list *out, char *err, size_t len)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, len, "%s: cannot read it: %s", path, strerror(-rc));
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > RUN_CFG_FILE_MAX) {
		snprintf(err, len, "%s: expected a regular file of at most %d bytes", path,
			 RUN_CFG_FILE_MAX);
		close(fd);
		return -EINVAL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		snprintf(err, len, "%s: out of memory", path);
		return -ENOMEM;
	}
	n = pread(fd, buf, (size_t)st.st_size, 0);
	close(fd);
	if (n < 0 || memchr(buf, '\0', (size_t)n)) {
		snprintf(err, len, "%s: %s", path, n < 0 ? strerror(errno) : "expected text, got a NUL byte");
		free(buf);
		return -EINVAL;
	}
	buf[n] = '\0';
	rc = rr_sizes_parse(buf, path, out, err, len);
	free(buf);
	return rc;
}

void rr_size_text(char *buf, size_t len, uint64_t v)
{
	if (rr_size_req(v) == rr_size_resp(v))
		snprintf(buf, len, "%u", rr_size_req(v));
	else
		snprintf(buf, len, "%u/%u", rr_size_req(v), rr_size_resp(v));
}
