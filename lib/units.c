#include "lib/units.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Parse DIGITS[.DIGITS] followed by an optional suffix from `suffixes` (each
 * with its multiplier). The result must be a whole number after scaling. */
struct units_suffix {
	const char *name;
	uint64_t mult;
};

static int units_parse_scaled(const char *s, const struct units_suffix *sfx, uint64_t *out)
{
	uint64_t ip = 0, frac = 0, fdiv = 1, mult = 1;
	unsigned __int128 fscaled, total;
	const char *p = s;
	int ndig = 0;

	if (!s || !*s)
		return -EINVAL;
	while (*p >= '0' && *p <= '9') {
		if (ip > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		ip = ip * 10 + (uint64_t)(*p++ - '0');
		ndig++;
	}
	if (!ndig)
		return -EINVAL;
	if (*p == '.') {
		int fd = 0;

		p++;
		while (*p >= '0' && *p <= '9') {
			if (fd < 9) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				fdiv *= 10;
			} else if (*p != '0') {
				return -EINVAL; /* more precision than any unit here can hold */
			}
			p++;
			fd++;
		}
		if (!fd)
			return -EINVAL;
	}
	if (*p) {
		const struct units_suffix *x;

		for (x = sfx; x && x->name; x++)
			if (!strcmp(p, x->name))
				break;
		if (!x || !x->name)
			return -EINVAL;
		mult = x->mult;
	}
	/* Checked in 128 bits: 0.123456789h is 123456789 * 3.6e12 / 1e9 ns,
	 * and 5124095.9h or 18446744073709551.9k must not wrap to a small value. */
	fscaled = (unsigned __int128)frac * mult;
	if (fscaled % fdiv)
		return -EINVAL; /* 1.5 pps, 1.0001k: not a whole number */
	total = (unsigned __int128)ip * mult + fscaled / fdiv;
	if (total > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)total;
	return 0;
}

static const struct units_suffix units_count_sfx[] = {
	{ "k", 1000ULL },
	{ "M", 1000000ULL },
	{ NULL, 0 },
};

int units_parse_rate(const char *s, int allow_max, uint64_t *pps)
{
	uint64_t v;
	int rc;

	if (s && !strcmp(s, "max")) {
		if (!allow_max)
			return -EINVAL;
		*pps = UNITS_RATE_MAX;
		return 0;
	}
	rc = units_parse_scaled(s, units_count_sfx, &v);
	if (rc)
		return rc;
	if (v < UNITS_RATE_MIN || v > UNITS_RATE_LIMIT)
		return -ERANGE;
	*pps = v;
	return 0;
}

int units_parse_count(const char *s, uint64_t *n)
{
	return units_parse_scaled(s, units_count_sfx, n);
}

int units_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	uint64_t x;
	int rc;

	rc = units_parse_scaled(s, NULL, &x);
	if (rc)
		return rc;
	if (strchr(s, '.'))
		return -EINVAL;
	if (x < min || x > max)
		return -ERANGE;
	*v = x;
	return 0;
}

int units_parse_frame_size(const char *s, uint32_t *bytes)
{
	uint64_t v;
	int rc;

	rc = units_parse_uint(s, 0, UINT32_MAX, &v);
	if (rc)
		return rc;
	if (v < UNITS_FRAME_MIN || v > UNITS_FRAME_MAX)
		return -ERANGE;
	*bytes = (uint32_t)v;
	return 0;
}

static const struct units_suffix units_dur_sfx[] = {
	{ "s", 1000000000ULL },
	{ "ms", 1000000ULL },
	{ "us", 1000ULL },
	{ "ns", 1ULL },
	{ "m", 60000000000ULL },
	{ "h", 3600000000000ULL },
	{ NULL, 0 },
};

int units_parse_duration(const char *s, uint64_t *ns)
{
	const char *p;

	if (!s || !*s)
		return -EINVAL;
	/* A bare number is seconds. */
	for (p = s; (*p >= '0' && *p <= '9') || *p == '.'; p++)
		;
	if (!*p) {
		char buf[64];

		if (strlen(s) + 2 > sizeof(buf))
			return -EINVAL;
		snprintf(buf, sizeof(buf), "%ss", s);
		return units_parse_scaled(buf, units_dur_sfx, ns);
	}
	return units_parse_scaled(s, units_dur_sfx, ns);
}

static void units_fmt_scaled(char *buf, size_t len, double v, const char *unit)
{
	static const char *const pfx[] = { "", "k", "M", "G", "T" };
	unsigned i = 0;

	while (v >= 1000.0 && i < 4) {
		v /= 1000.0;
		i++;
	}
	if (v >= 100.0 || i == 0)
		snprintf(buf, len, "%.0f %s%s", v, pfx[i], unit);
	else if (v >= 10.0)
		snprintf(buf, len, "%.1f %s%s", v, pfx[i], unit);
	else
		snprintf(buf, len, "%.2f %s%s", v, pfx[i], unit);
}

void units_fmt_pps(char *buf, size_t len, double pps)
{
	units_fmt_scaled(buf, len, pps, "pps");
}

void units_fmt_bps(char *buf, size_t len, double bps)
{
	units_fmt_scaled(buf, len, bps, "bit/s");
}

void units_fmt_duration(char *buf, size_t len, uint64_t ns)
{
	uint64_t s = ns / 1000000000ULL;

	if (ns < 1000000000ULL) {
		if (ns % 1000000ULL)
			snprintf(buf, len, "%.3g ms", (double)ns / 1e6);
		else
			snprintf(buf, len, "%llu ms", (unsigned long long)(ns / 1000000ULL));
	} else if (ns < 60000000000ULL) {
		if (ns % 1000000000ULL)
			snprintf(buf, len, "%.3g s", (double)ns / 1e9);
		else
			snprintf(buf, len, "%llu s", (unsigned long long)s);
	} else if (s < 3600) {
		if (s % 60)
			snprintf(buf, len, "%llu min %llu s", (unsigned long long)(s / 60),
				 (unsigned long long)(s % 60));
		else
			snprintf(buf, len, "%llu min", (unsigned long long)(s / 60));
	} else {
		s = (s + 30) / 60; /* minutes, rounded */
		if (s % 60)
			snprintf(buf, len, "%llu h %llu min", (unsigned long long)(s / 60),
				 (unsigned long long)(s % 60));
		else
			snprintf(buf, len, "%llu h", (unsigned long long)(s / 60));
	}
}

double units_l2_bps(double pps, uint32_t frame_size)
{
	return pps * frame_size * 8.0;
}

double units_l1_bps(double pps, uint32_t frame_size)
{
	return pps * (frame_size + 20.0) * 8.0;
}
