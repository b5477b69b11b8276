#include "harness/config/search_opts.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

int search_parse_targets(const char *s, unsigned *targets)
{
	char buf[32], *tok, *save = NULL;
	unsigned v = 0;

	if (!s || !*s || strlen(s) >= sizeof(buf) || s[0] == ',' || s[strlen(s) - 1] == ',' ||
	    strstr(s, ",,"))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned bit;

		if (!strcmp(tok, "ndr"))
			bit = SEARCH_NDR;
		else if (!strcmp(tok, "pdr"))
			bit = SEARCH_PDR;
		else
			return -EINVAL;
		if (v & bit)
			return -EINVAL;
		v |= bit;
	}
	*targets = v;
	return v ? 0 : -EINVAL;
}

int search_parse_ratio(const char *s, double *ratio)
{
	uint64_t ip = 0, frac = 0, div = 1;
	const char *q = s;
	int nd = 0, nf = 0;
	double v;

	if (!s || !*s)
		return -EINVAL;
	while (*q >= '0' && *q <= '9') {
		if (++nd > 9)
			return -ERANGE;
		ip = ip * 10 + (uint64_t)(*q++ - '0');
	}
	if (!nd)
		return -EINVAL;
	if (*q == '.') {
		q++;
		while (*q >= '0' && *q <= '9') {
			if (++nf > 9)
				return -EINVAL;
			frac = frac * 10 + (uint64_t)(*q++ - '0');
			div *= 10;
		}
		if (!nf)
			return -EINVAL;
	}
	v = (double)ip + (double)frac / (double)div;
	if (*q == '%') {
		q++;
		v /= 100;
	}
	if (*q)
		return -EINVAL;
	if (v >= 1)
		return -ERANGE;
	*ratio = v;
	return 0;
}
