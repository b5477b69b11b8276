#include "harness/config/conf_file.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness/config/conf.h"
#include "harness/config/quote.h"
#include "lib/trust.h"

struct conf_parser {
	const char *origin;
	unsigned line;
	char *err;
	size_t errlen;
	unsigned set_at[CONF_KEYS_MAX]; /* line where each key was set, 0 = not yet */
};

static int conf_error(struct conf_parser *p, size_t col0, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int conf_error(struct conf_parser *p, size_t col0, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "%s:%u:%zu: ", p->origin, p->line, col0 + 1);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int conf_is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* One line, without its newline; NUL bytes already refused. */
static int conf_line(struct conf_parser *p, char *s, size_t n, struct run_cfg *cfg, FILE *diag)
{
	size_t i = 0, key_at, key_end, val_at, val_end;
	char q[200], exp[256], key[64], list[512];
	int k, rc;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] == '#')
		return 0;
	key_at = i;
	while (i < n && conf_is_key_char(s[i]))
		i++;
	key_end = i;
	if (key_end == key_at) {
		size_t e = key_at;

		while (e < n && s[e] != ' ' && s[e] != '\t' && s[e] != '#')
			e++;
		return conf_error(p, key_at, "expected a line like 'duration = 10', got '%s'",
				  quote_text(q, sizeof(q), s + key_at, e - key_at, 40));
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] != '=') {
		size_t e = n;

		while (e > key_at && (s[e - 1] == ' ' || s[e - 1] == '\t'))
			e--;
		return conf_error(p, key_at, "expected 'key = value', got '%s'",
				  quote_text(q, sizeof(q), s + key_at, e - key_at, 60));
	}
	i++;
	quote_text(key, sizeof(key), s + key_at, key_end - key_at, 40);
	k = conf_key_index(key);
	if (k < 0 || key_end - key_at >= sizeof(key)) {
		const char *near = conf_suggest(key);

		if (near)
			return conf_error(p, key_at, "unknown key '%s' (did you mean '%s'?)", key,
					  near);
		conf_key_list(list, sizeof(list));
		return conf_error(p, key_at, "unknown key '%s'; the keys are %s", key, list);
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	val_at = i;
	if (i < n && s[i] == '"') {
		const char *close = memchr(s + i + 1, '"', n - i - 1);

		if (!close)
			return conf_error(p, i, "expected a closing '\"' for the value of '%s'",
					  key);
		val_at = i + 1;
		val_end = (size_t)(close - s);
		for (i = val_end + 1; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		if (i < n && s[i] != '#')
			return conf_error(p, i,
					  "expected a comment or the end of the line after "
					  "the closing '\"', got '%s'",
					  quote_text(q, sizeof(q), s + i, n - i, 40));
	} else {
		val_end = val_at;
		while (val_end < n && s[val_end] != '#')
			val_end++;
		while (val_end > val_at && (s[val_end - 1] == ' ' || s[val_end - 1] == '\t'))
			val_end--;
		if (val_end == val_at)
			return conf_error(p, val_at, "expected a value for '%s' after '='", key);
	}
	s[val_end] = '\0';
	rc = conf_key_set(k, cfg, s + val_at, exp, sizeof(exp));
	if (rc)
		return conf_error(p, val_at, "expected %s for '%s', got '%s'", exp, key,
				  quote_text(q, sizeof(q), s + val_at, val_end - val_at, 60));
	if (p->set_at[k] && diag)
		fprintf(diag,
			"%s:%u:%zu: warning: '%s' was already set on line %u; this later "
			"value wins\n",
			p->origin, p->line, key_at + 1, key, p->set_at[k]);
	p->set_at[k] = p->line;
	return 0;
}

int conf_parse(FILE *f, const char *origin, struct run_cfg *cfg, FILE *diag, char *err,
	       size_t errlen)
{
	struct conf_parser p = {.origin = origin, .err = err, .errlen = errlen};
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	if (errlen)
		err[0] = '\0';
	for (;;) {
		errno = 0;
		n = getline(&line, &cap, f);
		if (n <= 0)
			break;
		size_t len = (size_t)n;
		char *nul;

		p.line++;
		if (line[len - 1] == '\n')
			len--;
		if (len && line[len - 1] == '\r')
			len--;
		if (len > CONF_LINE_MAX) {
			rc = conf_error(&p, CONF_LINE_MAX,
					"expected a line of at most %u bytes, "
					"got %zu",
					CONF_LINE_MAX, len);
			goto out;
		}
		nul = memchr(line, '\0', len);
		if (nul) {
			rc = conf_error(&p, (size_t)(nul - line),
					"expected text, got a NUL byte (is this a binary file?)");
			goto out;
		}
		rc = conf_line(&p, line, len, cfg, diag);
		if (rc)
			goto out;
	}
	/* getline's -1 is also "no memory for the line": never end of file */
	if (n < 0 && errno == ENOMEM) {
		rc = -ENOMEM;
		snprintf(err, errlen, "%s:%u: out of memory reading the line", origin, p.line + 1);
	} else if (ferror(f)) {
		rc = -EIO;
		snprintf(err, errlen, "%s: read error", origin);
	}
out:
	free(line);
	return rc;
}

int conf_parse_file(const char *path, struct run_cfg *cfg, FILE *diag, char *err, size_t errlen)
{
	char why[PATH_MAX + 128];
	FILE *f = trust_fopen(path, RUN_CFG_FILE_MAX, why, sizeof(why));
	int rc;

	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, why);
		return rc;
	}
	rc = conf_parse(f, path, cfg, diag, err, errlen);
	fclose(f);
	return rc;
}
