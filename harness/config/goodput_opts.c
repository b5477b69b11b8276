/* The goodput mode's option parsers; see goodput_opts.h. */
#include "harness/config/goodput_opts.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/measure/iperf3.h"

static const char *const mode_words[] = {"frames", "goodput", "rr"};

int goodput_parse_mode(const char *s, enum run_mode *mode)
{
	unsigned i;

	for (i = 0; i < sizeof(mode_words) / sizeof(mode_words[0]); i++)
		if (!strcmp(s, mode_words[i])) {
			*mode = (enum run_mode)i;
			return 0;
		}
	return -EINVAL;
}

const char *goodput_mode_name(enum run_mode mode)
{
	return (unsigned)mode < sizeof(mode_words) / sizeof(mode_words[0]) ? mode_words[mode] : "?";
}

static const char *const server_words[] = {"sink", "dut"};

int goodput_parse_server(const char *s, enum run_server *server)
{
	unsigned i;

	for (i = 0; i < sizeof(server_words) / sizeof(server_words[0]); i++)
		if (!strcmp(s, server_words[i])) {
			*server = (enum run_server)i;
			return 0;
		}
	return -EINVAL;
}

const char *goodput_server_name(enum run_server server)
{
	return (unsigned)server < sizeof(server_words) / sizeof(server_words[0])
		   ? server_words[server]
		   : "?";
}

/* The next blank- or comma-separated word of *s, into w; 0 at the end. */
static int next_word(const char **s, char *w, size_t len)
{
	const char *p = *s + strspn(*s, " \t,");
	size_t n = strcspn(p, " \t,");

	if (!n)
		return 0;
	if (n >= len)
		return -EINVAL;
	memcpy(w, p, n);
	w[n] = '\0';
	*s = p + n;
	return 1;
}

int goodput_parse_streams(const char *s, unsigned *v, unsigned *n)
{
	char w[32], *end;
	unsigned k = 0, i;
	int rc;

	while ((rc = next_word(&s, w, sizeof(w))) == 1) {
		unsigned long x = strtoul(w, &end, 10);

		if (*end || w[0] < '0' || w[0] > '9' || x < 1 || x > IPERF3_MAX_STREAMS)
			return -EINVAL;
		for (i = 0; i < k && v[i] != x; i++)
			;
		if (i < k)
			continue;
		if (k == RUN_MAX_STREAMS_N)
			return -E2BIG;
		v[k++] = (unsigned)x;
	}
	if (rc || !k)
		return -EINVAL;
	*n = k;
	return 0;
}

int goodput_parse_protocols(const char *s, unsigned *mask)
{
	unsigned m = 0;
	char w[16];
	int rc;

	while ((rc = next_word(&s, w, sizeof(w))) == 1) {
		if (!strcmp(w, "tcp"))
			m |= RUN_PROTO_TCP;
		else if (!strcmp(w, "udp"))
			m |= RUN_PROTO_UDP;
		else
			return -EINVAL;
	}
	if (rc || !m)
		return -EINVAL;
	*mask = m;
	return 0;
}

static int parse_bitrate(const char *w, uint64_t *out)
{
	double x, scale = 1;
	char *end;

	if (w[0] < '0' || w[0] > '9')
		return -EINVAL;
	x = strtod(w, &end);
	if (*end == 'k')
		scale = 1e3;
	else if (*end == 'M')
		scale = 1e6;
	else if (*end == 'G')
		scale = 1e9;
	if (scale > 1)
		end++;
	if (*end || !isfinite(x))
		return -EINVAL;
	x *= scale;
	if (x < 1e3 || x > 100e9)
		return -ERANGE;
	*out = (uint64_t)llround(x);
	return 0;
}

int goodput_parse_bitrates(const char *s, uint64_t *v, unsigned *n)
{
	unsigned k = 0, i;
	uint64_t x;
	char w[32];
	int rc;

	while ((rc = next_word(&s, w, sizeof(w))) == 1) {
		rc = parse_bitrate(w, &x);
		if (rc)
			return rc;
		for (i = 0; i < k && v[i] != x; i++)
			;
		if (i < k)
			continue;
		if (k == RUN_MAX_BITRATES)
			return -E2BIG;
		v[k++] = x;
	}
	if (rc || !k)
		return -EINVAL;
	*n = k;
	return 0;
}
