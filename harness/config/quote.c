#include "harness/config/quote.h"

#include <stdio.h>

char *quote_text(char *dst, size_t len, const char *src, size_t src_len, size_t max_in)
{
	size_t i, o = 0;

	if (!len)
		return dst;
	for (i = 0; i < src_len; i++) {
		unsigned char c = (unsigned char)src[i];
		char esc[5];
		size_t n, k;

		if (i == max_in) {
			if (o + 4 > len)
				break;
			dst[o++] = '.';
			dst[o++] = '.';
			dst[o++] = '.';
			break;
		}
		if (c >= 0x20 && c < 0x7f) {
			esc[0] = (char)c;
			n = 1;
		} else {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			n = 4;
		}
		if (o + n + 1 > len)
			break;
		for (k = 0; k < n; k++)
			dst[o++] = esc[k];
	}
	dst[o] = '\0';
	return dst;
}

int quote_has_control(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}
