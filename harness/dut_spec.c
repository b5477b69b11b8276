#include "harness/dut_spec.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/quote.h"

static const struct {
	const char *name; /* whole value, or prefix up to and with ':' */
	enum run_dut_kind kind;
	enum run_platform platform;
} dut_kinds[] = {
    {"fwd", DUT_FWD, PLATFORM_LOCAL},	    {"tap-fwd", DUT_TAP_FWD, PLATFORM_LOCAL},
    {"bridge", DUT_BRIDGE, PLATFORM_LOCAL}, {"exec:", DUT_EXEC, PLATFORM_LOCAL},
    {"image:", DUT_IMAGE, PLATFORM_XEN},    {"linux-fwd", DUT_LINUX_FWD, PLATFORM_XEN},
    {"library", DUT_LIBRARY, PLATFORM_XEN},
};

#define DUT_KINDS (sizeof(dut_kinds) / sizeof(dut_kinds[0]))

int dut_spec_parse(const char *s, enum run_dut_kind *kind, char *expected, size_t len)
{
	size_t i;

	for (i = 0; i < DUT_KINDS; i++) {
		const char *name = dut_kinds[i].name;
		size_t n = strlen(name);
		const char *arg;

		if (dut_kinds[i].kind == DUT_LIBRARY)
			continue; /* chosen with a LIBRARY argument, not by name */
		if (name[n - 1] != ':') {
			if (strcmp(s, name))
				continue;
			*kind = dut_kinds[i].kind;
			return 0;
		}
		if (strncmp(s, name, n))
			continue;
		arg = s + n;
		if (!arg[strspn(arg, " \t")]) {
			snprintf(expected, len, "%s followed by a %s", name,
				 dut_kinds[i].kind == DUT_EXEC
				     ? "command, like exec:./netif-forward"
				     : "path, like image:fwd.xen");
			return -EINVAL;
		}
		if (quote_has_control(arg, strlen(arg))) {
			snprintf(expected, len, "%s without control characters", name);
			return -EINVAL;
		}
		*kind = dut_kinds[i].kind;
		return 0;
	}
	snprintf(expected, len, "%s", DUT_SPEC_FORMS);
	return -EINVAL;
}

enum run_platform dut_spec_platform(enum run_dut_kind kind)
{
	size_t i;

	for (i = 0; i < DUT_KINDS; i++)
		if (dut_kinds[i].kind == kind)
			return dut_kinds[i].platform;
	return PLATFORM_AUTO;
}

const char *dut_spec_name(enum run_dut_kind kind)
{
	static const char *const names[] = {
	    [DUT_NONE] = "none",	   [DUT_FWD] = "fwd",	      [DUT_TAP_FWD] = "tap-fwd",
	    [DUT_BRIDGE] = "bridge",	   [DUT_EXEC] = "exec",	      [DUT_IMAGE] = "image",
	    [DUT_LINUX_FWD] = "linux-fwd", [DUT_LIBRARY] = "library",
	};

	if ((unsigned)kind >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[kind];
}

const char *dut_spec_arg(const char *dut)
{
	const char *colon;

	if (strncmp(dut, "exec:", 5) && strncmp(dut, "image:", 6))
		return "";
	colon = strchr(dut, ':');
	return colon + 1;
}
