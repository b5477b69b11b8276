#include "harness/platform/local/local_dut.h"

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/proc.h"
#include "lib/trust.h"

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

/* An exec: command that cannot run is refused before anything is made. */
int local_dut_exec_check(const char *cmd)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	struct stat sb;
	const char *dir, *end;

	if (strchr(cmd, '/')) {
		const char *why = NULL;

		if (stat(cmd, &sb) || (S_ISREG(sb.st_mode) && access(cmd, X_OK)))
			why = strerror(errno);
		else if (!S_ISREG(sb.st_mode))
			why = "not a regular file";
		if (why) {
			log_err("dut exec:%s: %s", cmd, why);
			return -ENOENT;
		}
		return 0;
	}
	for (dir = path ? path : "/usr/local/bin:/usr/bin:/bin"; *dir; dir = end + (*end == ':')) {
		end = strchrnul(dir, ':');
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - dir), end == dir ? "." : dir,
			 cmd);
		if (!stat(buf, &sb) && S_ISREG(sb.st_mode) && !access(buf, X_OK))
			return 0;
		if (!*end)
			break;
	}
	log_err("dut exec:%s: command not found (searched PATH)", cmd);
	return -ENOENT;
}

/* Who an exec: DUT runs as: the user who ran sudo (SUDO_UID/SUDO_GID), or,
 * for a plain root login, nobody: the command (and a unikernel built from any
 * commit) needs no root once the TAPs are its user's, and so cannot read the
 * agent's token, signal the harness or write where root may. */
int local_dut_user(uid_t *uid, gid_t *gid, char *label, size_t len, int *as_user)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (geteuid() != 0)
		return 0; /* not root: it runs as us anyway */
	*as_user = 1;
	if (!trust_invoker(uid, gid)) {
		snprintf(label, len, "uid %u (the user running sudo)", (unsigned)*uid);
		return 0;
	}
	getpwnam_r("nobody", &pw, buf, sizeof(buf), &res);
	*uid = res ? res->pw_uid : 65534;
	*gid = res ? res->pw_gid : 65534;
	if (*uid == 0) {
		log_err("local platform: user 'nobody' is root here: no user to run the DUT as "
			"(--dut-as-root runs it as root)");
		return -EPERM;
	}
	snprintf(label, len, "nobody (uid %u)", (unsigned)*uid);
	log_info("local platform: no SUDO_UID: the DUT runs as %s (--dut-as-root: as root)", label);
	return 0;
}
