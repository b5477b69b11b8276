#include "harness/platform/xen/recipe_offline.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/path.h"

/* The scripts write their progress and their one-line errors to this
 * descriptor as well as to the log: our stderr, without close-on-exec. */
static void progress_fd(void)
{
	static int fd = -1;
	char num[16];

	if (fd >= 0)
		return;
	fd = fcntl(2, F_DUPFD, 3);
	if (fd < 0)
		return;
	snprintf(num, sizeof(num), "%d", fd);
	setenv("MIR_PERF_PROGRESS_FD", num, 1);
}

static int script(const char *scripts, const char *name, char *out, size_t len)
{
	if (path_fmt(out, len, "%s/%s", scripts, name))
		return -ENAMETOOLONG;
	if (access(out, R_OK)) {
		int rc = -errno;

		log_err("offline build: %s: %s (installed with mir-perf's recipes)", out,
			strerror(-rc));
		return rc;
	}
	return 0;
}

int recipe_offline_check(const struct asuser_log *log, const char *scripts, const char *mirror)
{
	char sh[PATH_MAX];
	char *const argv[] = {"bash", sh, "check", (char *)mirror, NULL};
	int st;

	st = script(scripts, "toolchain.sh", sh, sizeof(sh));
	if (st)
		return st;
	progress_fd();
	/* Every part named, present, intact and at its commit (2-16 s for 19 MB). */
	st = asuser_try(log, scripts, argv, NULL, 0);
	return st < 0 ? st : st ? -EINVAL : 0; /* the script said why */
}

int recipe_offline_key(const struct asuser_log *log, const char *scripts, const char *mirror,
		       char key[65])
{
	char sh[PATH_MAX], out[256];
	char *const argv[] = {"bash", sh, "key", (char *)mirror, NULL};
	int st;

	st = script(scripts, "toolchain.sh", sh, sizeof(sh));
	if (st)
		return st;
	progress_fd();
	st = asuser_try(log, scripts, argv, out, sizeof(out));
	if (st < 0)
		return st;
	if (st)
		return -EINVAL; /* the script said why */
	if (strspn(out, "0123456789abcdef") != 64) {
		log_err("%s: `%s key %s` printed no key (see %s)", log->what, sh, mirror, log->path);
		return -EIO;
	}
	memcpy(key, out, 64);
	key[64] = '\0';
	return 0;
}

int recipe_offline_toolchain(const struct asuser_log *log, const char *scripts,
			     const char *mirror, const char *cache, const char *key, char *prefix,
			     size_t len)
{
	char sh[PATH_MAX], mirage[PATH_MAX + 32];
	char *const argv[] = {"bash",	     sh, "toolchain", (char *)mirror, (char *)cache,
			      RECIPE_TOOLCHAIN_SHARED, NULL};
	int st;

	st = script(scripts, "toolchain.sh", sh, sizeof(sh));
	if (st)
		return st;
	progress_fd();
	/* Its stdout (the compilers' output) goes to the log: the prefix is
	 * known from the key, in the shared cache or else in ours. */
	st = asuser_try(log, scripts, argv, NULL, 0);
	if (st < 0)
		return st;
	if (st)
		return -EIO; /* the script said why, on the terminal and in the log */
	if (path_fmt(prefix, len, "%s/%s/prefix", RECIPE_TOOLCHAIN_SHARED, key) ||
	    path_fmt(mirage, sizeof(mirage), "%s/bin/mirage", prefix) || access(mirage, X_OK)) {
		if (path_fmt(prefix, len, "%s/%s/prefix", cache, key) ||
		    path_fmt(mirage, sizeof(mirage), "%s/bin/mirage", prefix))
			return -ENAMETOOLONG;
	}
	if (access(mirage, X_OK)) {
		log_err("%s: the toolchain script succeeded but %s is not there (see %s)",
			log->what, mirage, log->path);
		return -EIO;
	}
	return 0;
}

int recipe_offline_configure(const struct asuser_log *log, const char *scripts,
			     const char *mirror, const char *prefix, const char *work)
{
	char sh[PATH_MAX];
	char *const argv[] = {"bash",	     sh,	   "configure", (char *)mirror,
			      (char *)prefix, (char *)work, NULL};
	int rc = script(scripts, "unikernel.sh", sh, sizeof(sh));

	return rc ? rc : asuser_run(log, work, argv, NULL, 0);
}

int recipe_offline_build(const struct asuser_log *log, const char *scripts, const char *prefix,
			 const char *work)
{
	char sh[PATH_MAX];
	char *const argv[] = {"bash", sh, "build", (char *)prefix, (char *)work, NULL};
	int rc = script(scripts, "unikernel.sh", sh, sizeof(sh));

	return rc ? rc : asuser_run(log, work, argv, NULL, 0);
}
