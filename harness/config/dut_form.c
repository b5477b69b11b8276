#include "harness/config/dut_form.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/config/quote.h"

/* name: the whole value; "name:" takes a COMMAND or PATH after the colon;
 * with_opts: may be followed by blanks and more `mir-trafgen fwd` options
 * (fwd --max-pps 100k), which the local platform splits and checks. */
static const struct {
	const char *name;
	enum run_dut_kind kind;
	enum run_platform platform;
	int with_opts;
} dut_kinds[] = {
    {"fwd", RUN_DUT_FWD, PLATFORM_LOCAL, 1},
    {"tap-fwd", RUN_DUT_TAP_FWD, PLATFORM_LOCAL, 1},
    {"bridge", RUN_DUT_BRIDGE, PLATFORM_LOCAL, 0},
    {"exec:", RUN_DUT_EXEC, PLATFORM_LOCAL, 0},
    {"image:", RUN_DUT_IMAGE, PLATFORM_XEN, 0},
    {"linux-fwd", RUN_DUT_LINUX_FWD, PLATFORM_XEN, 0},
    {"library", RUN_DUT_LIBRARY, PLATFORM_XEN, 0},
};

#define DUT_KINDS (sizeof(dut_kinds) / sizeof(dut_kinds[0]))

/* Control characters other than the tab, which separates words like a space. */
static int dut_has_control(const char *s)
{
	for (; *s; s++)
		if (*s != '\t' && quote_has_control(s, 1))
			return 1;
	return 0;
}

int dut_form_parse(const char *s, enum run_dut_kind *kind, char *expected, size_t len)
{
	size_t i;

	for (i = 0; i < DUT_KINDS; i++) {
		const char *name = dut_kinds[i].name;
		size_t n = strlen(name);
		const char *arg = s + n;

		if (dut_kinds[i].kind == RUN_DUT_LIBRARY)
			continue; /* chosen with a LIBRARY argument, not by name */
		if (strncmp(s, name, n))
			continue;
		if (name[n - 1] != ':') {
			if (*arg && !(dut_kinds[i].with_opts && (*arg == ' ' || *arg == '\t')))
				continue; /* "fwdx", "bridge x" */
			if (dut_has_control(arg)) {
				snprintf(expected, len, "%s options without control characters",
					 name);
				return -EINVAL;
			}
			*kind = dut_kinds[i].kind;
			return 0;
		}
		if (!arg[strspn(arg, " \t")]) {
			snprintf(expected, len, "%s followed by a %s", name,
				 dut_kinds[i].kind == RUN_DUT_EXEC
				     ? "command, like exec:./netif-forward"
				     : "path, like image:fwd.xen");
			return -EINVAL;
		}
		if (dut_has_control(arg)) {
			snprintf(expected, len, "%s without control characters", name);
			return -EINVAL;
		}
		*kind = dut_kinds[i].kind;
		return 0;
	}
	snprintf(expected, len, "%s", DUT_FORMS);
	return -EINVAL;
}

enum run_platform dut_form_platform(enum run_dut_kind kind)
{
	size_t i;

	for (i = 0; i < DUT_KINDS; i++)
		if (dut_kinds[i].kind == kind)
			return dut_kinds[i].platform;
	return PLATFORM_AUTO;
}

const char *dut_form_name(enum run_dut_kind kind)
{
	static const char *const names[] = {
	    [RUN_DUT_NONE] = "none",	       [RUN_DUT_FWD] = "fwd",
	    [RUN_DUT_TAP_FWD] = "tap-fwd",     [RUN_DUT_BRIDGE] = "bridge",
	    [RUN_DUT_EXEC] = "exec",	       [RUN_DUT_IMAGE] = "image",
	    [RUN_DUT_LINUX_FWD] = "linux-fwd", [RUN_DUT_LIBRARY] = "library",
	};

	if ((unsigned)kind >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[kind];
}

const char *dut_form_arg(const char *dut)
{
	const char *colon;

	if (!strncmp(dut, "fwd ", 4) || !strncmp(dut, "fwd\t", 4))
		return dut + 3 + strspn(dut + 3, " \t");
	if (!strncmp(dut, "tap-fwd ", 8) || !strncmp(dut, "tap-fwd\t", 8))
		return dut + 7 + strspn(dut + 7, " \t");
	if (strncmp(dut, "exec:", 5) && strncmp(dut, "image:", 6))
		return "";
	colon = strchr(dut, ':');
	return colon + 1;
}
