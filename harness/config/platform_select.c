#include "harness/config/platform_select.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/config/quote.h"

int platform_is_xen_dom0(const char *caps_path, char *found, size_t len)
{
	char buf[256], q[128];
	FILE *f;
	size_t n;

	f = fopen(caps_path, "re");
	if (!f) {
		snprintf(found, len, "%s: %s", caps_path, strerror(errno));
		return 0;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	/* The file lists capabilities separated by commas; a dom0 has control_d. */
	if (strstr(buf, "control_d")) {
		snprintf(found, len, "%s lists control_d", caps_path);
		return 1;
	}
	if (!n)
		snprintf(found, len, "%s is empty (a Xen guest, not dom0)", caps_path);
	else
		snprintf(found, len, "%s has '%s', no control_d (a Xen guest, not dom0)", caps_path,
			 quote_text(q, sizeof(q), buf, n, 60));
	return 0;
}

enum run_platform platform_select(enum run_platform requested, const char *source,
				  const char *caps_path, char *why, size_t len)
{
	char found[400];

	if (requested == PLATFORM_LOCAL) {
		snprintf(why, len, "asked for by %s", source);
		return PLATFORM_LOCAL;
	}
	if (requested == PLATFORM_XEN) {
		snprintf(why, len, "asked for by %s", source);
		return PLATFORM_XEN;
	}
	if (platform_is_xen_dom0(caps_path, found, sizeof(found))) {
		snprintf(why, len, "auto (%s): %s, so this is a Xen dom0", source, found);
		return PLATFORM_XEN;
	}
	snprintf(why, len, "auto (%s): %s, so this is not a Xen dom0", source, found);
	return PLATFORM_LOCAL;
}
