#include "harness/platform/local/local_dut.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/proc.h"

/* "NAME" alone or "NAME OPTS..." */
static int word_is(const char *s, const char *name, const char **rest)
{
	size_t n = strlen(name);

	if (strncmp(s, name, n) || (s[n] && s[n] != ' ' && s[n] != '\t'))
		return 0;
	*rest = s + n;
	return 1;
}

int local_dut_parse(const char *s, struct local_dut *out, char *err, size_t errlen)
{
	const char *rest = NULL;
	char why[128];
	int rc;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = '\0';
	if (!strncmp(s, "exec:", 5)) {
		out->kind = RUN_DUT_EXEC;
		rc = proc_argv_split(s + 5, &out->argv, why, sizeof(why));
		if (rc == -EINVAL)
			snprintf(err, errlen, "dut '%s': %s; expected exec:COMMAND [ARG...]", s,
				 why);
		return rc;
	}
	if (word_is(s, "bridge", &rest)) {
		out->kind = RUN_DUT_BRIDGE;
		if (rest[strspn(rest, " \t")]) {
			snprintf(err, errlen, "dut '%s': bridge takes no options", s);
			return -EINVAL;
		}
		return 0;
	}
	if (word_is(s, "fwd", &rest))
		out->kind = RUN_DUT_FWD;
	else if (word_is(s, "tap-fwd", &rest))
		out->kind = RUN_DUT_TAP_FWD;
	else {
		snprintf(err, errlen,
			 "dut '%s': expected fwd, tap-fwd, bridge or exec:COMMAND on the local "
			 "platform",
			 s);
		return -EINVAL;
	}
	rest += strspn(rest, " \t");
	if (!*rest)
		return 0;
	rc = proc_argv_split(rest, &out->argv, why, sizeof(why));
	if (rc == -EINVAL)
		snprintf(err, errlen, "dut '%s': %s", s, why);
	return rc;
}

void local_dut_free(struct local_dut *d)
{
	proc_argv_free(d->argv);
	d->argv = NULL;
}
