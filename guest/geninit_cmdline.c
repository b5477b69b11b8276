#include "guest/geninit_cmdline.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "mirperf."

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Plain decimal in [min, max], nothing else. */
static int parse_dec(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	unsigned long n = 0;

	if (!*s || strlen(s) > 10)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		n = n * 10 + (unsigned long)(*s - '0');
	}
	if (n < min || n > max)
		return -EINVAL;
	*v = n;
	return 0;
}

/* A.B.C.D/N inside 198.18.0.0/15, N in 8..30, not the network or broadcast address. */
static int parse_ctl(const char *s, uint32_t *addr, unsigned *prefix)
{
	char buf[32];
	const char *slash = strchr(s, '/');
	struct in_addr in;
	unsigned long n;
	uint32_t a, host;

	if (!slash || (size_t)(slash - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, slash - s);
	buf[slash - s] = '\0';
	if (inet_pton(AF_INET, buf, &in) != 1 || parse_dec(slash + 1, 8, 30, &n))
		return -EINVAL;
	a = ntohl(in.s_addr);
	if ((a & 0xfffe0000u) != 0xc6120000u) /* 198.18.0.0/15 */
		return -EINVAL;
	host = a & ~(0xffffffffu << (32 - n));
	if (host == 0 || host == ~(0xffffffffu << (32 - n)))
		return -EINVAL;
	*addr = a;
	*prefix = (unsigned)n;
	return 0;
}

static int token_ok(const char *t)
{
	size_t n = strlen(t), i;

	if (n < 16 || n > GENINIT_TOKEN_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = t[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

int geninit_parse_cmdline(const char *line, struct geninit_cfg *out, char *err, size_t errlen)
{
	enum { SEEN_MODE = 1, SEEN_CTL = 2, SEEN_PORT = 4, SEEN_TOKEN = 8, SEEN_GOODPUT = 16 };
	char word[256];
	unsigned seen = 0, bit;
	unsigned long n;

	memset(out, 0, sizeof(*out));
	out->port = 7000;
	while (*line) {
		size_t len = strcspn(line, " \t\n");
		const char *key, *eq;

		if (len == 0) {
			line++;
			continue;
		}
		if (strncmp(line, PREFIX, strlen(PREFIX))) {
			line += len;
			continue;
		}
		if (len >= sizeof(word))
			return fail(err, errlen, "kernel command line: '%.40s...' is too long",
				    line);
		memcpy(word, line, len);
		word[len] = '\0';
		line += len;
		key = word + strlen(PREFIX);
		eq = strchr(key, '=');
		if (!eq)
			return fail(err, errlen, "kernel command line: '%s': expected %sKEY=VALUE",
				    word, PREFIX);
		if (!strncmp(key, "mode=", 5)) {
			bit = SEEN_MODE;
			if (!strcmp(eq + 1, "gen"))
				out->mode = GENINIT_MODE_GEN;
			else if (!strcmp(eq + 1, "fwd"))
				out->mode = GENINIT_MODE_FWD;
			else
				return fail(err, errlen,
					    "kernel command line: '%s': expected gen or fwd", word);
		} else if (!strncmp(key, "ctl=", 4)) {
			bit = SEEN_CTL;
			if (parse_ctl(eq + 1, &out->ctl_addr, &out->ctl_prefix))
				return fail(
				    err, errlen,
				    "kernel command line: '%s': expected a host address with "
				    "/8..30 inside 198.18.0.0/15",
				    word);
		} else if (!strncmp(key, "port=", 5)) {
			bit = SEEN_PORT;
			if (parse_dec(eq + 1, 1, 65535, &n))
				return fail(err, errlen,
					    "kernel command line: '%s': expected 1..65535", word);
			out->port = (uint16_t)n;
		} else if (!strncmp(key, "token=", 6)) {
			bit = SEEN_TOKEN;
			if (!token_ok(eq + 1))
				return fail(
				    err, errlen,
				    "kernel command line: '%s': expected 16..64 letters or digits",
				    word);
			strcpy(out->token, eq + 1);
		} else if (!strncmp(key, "goodput=", 8)) {
			bit = SEEN_GOODPUT;
			if (strcmp(eq + 1, "1"))
				return fail(err, errlen, "kernel command line: '%s': expected 1",
					    word);
			out->goodput = 1;
		} else {
			return fail(
			    err, errlen,
			    "kernel command line: '%s': unknown key (expected mode, ctl, port, "
			    "token or goodput)",
			    word);
		}
		if (seen & bit)
			return fail(err, errlen, "kernel command line: '%s' given twice", word);
		seen |= bit;
	}
	if (!(seen & SEEN_MODE))
		return fail(err, errlen, "kernel command line: no " PREFIX "mode=gen|fwd");
	if (out->mode == GENINIT_MODE_GEN &&
	    (seen & (SEEN_CTL | SEEN_TOKEN)) != (SEEN_CTL | SEEN_TOKEN))
		return fail(err, errlen,
			    "kernel command line: mode gen needs " PREFIX "ctl and " PREFIX
			    "token");
	if (out->mode == GENINIT_MODE_FWD && (seen & (SEEN_CTL | SEEN_TOKEN | SEEN_PORT)))
		return fail(err, errlen,
			    "kernel command line: mode fwd takes no " PREFIX "ctl, port or token");
	return 0;
}
