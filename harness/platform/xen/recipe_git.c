#include "harness/platform/xen/recipe_git.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/path.h"

#define HASH_LEN 40
/* How far back along first parents a buildable commit is looked for. */
#define MAX_WALK 100

int recipe_git_sync(const struct asuser_log *log, const char *cwd, const char *repo,
		    const char *dir)
{
	char git_dir[PATH_MAX + 8];

	if (path_fmt(git_dir, sizeof(git_dir), "%s/.git", dir))
		return -ENAMETOOLONG;
	if (access(git_dir, F_OK) == 0) {
		char *const fetch[] = {"git", "-C", (char *)dir, "fetch", "--quiet", "--tags",
				       "origin", NULL};

		return asuser_run(log, cwd, fetch, NULL, 0);
	} else {
		/* "--" : repo is never taken for an option. */
		char *const clone[] = {"git",	    "clone",	 "--quiet", "--no-checkout",
				       "--",	    (char *)repo, (char *)dir, NULL};

		return asuser_run(log, cwd, clone, NULL, 0);
	}
}

/* The first 40 characters of s are a lower-case full hash. */
static int take_hash(const char *s, char full[HASH_LEN + 1])
{
	if (strspn(s, "0123456789abcdef") < HASH_LEN)
		return -EINVAL;
	memcpy(full, s, HASH_LEN);
	full[HASH_LEN] = '\0';
	return 0;
}

int recipe_git_resolve(const struct asuser_log *log, const char *dir, const char *repo,
		       const char *commit, char full[HASH_LEN + 1])
{
	char out[512], spec[64];
	char *const rev[] = {"git",	 "-C",	    (char *)dir, "rev-parse",
			     "--verify", "--quiet", spec,	 NULL};
	int st;

	snprintf(spec, sizeof(spec), "%s^{commit}", commit);
	st = asuser_try(log, dir, rev, out, sizeof(out));
	if (st < 0)
		return st;
	if (st || take_hash(out, full) || strncmp(full, commit, strlen(commit))) {
		log_err("%s: commit %s is not in %s (fetched just now; see git log there)",
			log->what, commit, repo);
		return -EINVAL;
	}
	return 0;
}

/* 1 when Netif at rev is a functor (lib/netif.mli opens with `module Make`),
 * 0 when it is a plain module, or a negative errno. */
static int netif_functor(const struct asuser_log *log, const char *dir, const char *rev)
{
	char *const grep[] = {"git", "-C", (char *)dir, "grep", "-q", "-E", "^module Make",
			      (char *)rev, "--", "lib/netif.mli", NULL};
	int st = asuser_try(log, dir, grep, NULL, 0);

	if (st < 0)
		return st;
	if (st > 1) {
		log_err("%s: `git grep` in %s at %s failed (status %d; see %s)", log->what, dir, rev,
			st, log->path);
		return -EIO;
	}
	return st == 0;
}

/* Up to MAX_WALK first-parent commits from rev, newest first, as 41-byte
 * lines in buf; their number, or a negative errno. */
static int first_parents(const struct asuser_log *log, const char *dir, const char *rev,
			 char *buf, size_t len)
{
	char max[32];
	char *const list[] = {"git", "-C", (char *)dir, "rev-list", "--first-parent", max,
			      (char *)rev, NULL};
	size_t n = 0;
	int rc;

	snprintf(max, sizeof(max), "--max-count=%d", MAX_WALK);
	rc = asuser_run(log, dir, list, buf, len);
	if (rc)
		return rc;
	while (strlen(buf + n * (HASH_LEN + 1)) >= HASH_LEN + 1 &&
	       buf[n * (HASH_LEN + 1) + HASH_LEN] == '\n') {
		buf[n * (HASH_LEN + 1) + HASH_LEN] = '\0';
		n++;
	}
	return (int)n;
}

/* The newest plain-Netif commit along first parents from rev: its index in
 * list (the walk), or -ENOENT when none within MAX_WALK. */
static int newest_plain(const struct asuser_log *log, const char *dir, const char *rev,
			char *list, size_t len, int *count)
{
	int n, i, f;

	n = first_parents(log, dir, rev, list, len);
	if (n < 0)
		return n;
	*count = n;
	for (i = 0; i < n; i++) {
		f = netif_functor(log, dir, list + i * (HASH_LEN + 1));
		if (f < 0)
			return f;
		if (!f)
			return i;
	}
	return -ENOENT;
}

/* "v2.1.7" or "v2.1.7-3-gabcdef0" or the short hash. */
static void describe(const struct asuser_log *log, const char *dir, const char *full, char *out,
		     size_t len)
{
	char *const desc[] = {"git",	   "-C",       (char *)dir, "describe",
			      "--tags",	   "--always", (char *)full, NULL};

	if (asuser_try(log, dir, desc, out, len) || !*out)
		snprintf(out, len, "%.12s", full);
	out[strcspn(out, "\n")] = '\0';
}

int recipe_git_buildable(const struct asuser_log *log, const char *dir, const char *full)
{
	char list[MAX_WALK * (HASH_LEN + 1) + 64], desc[128], first[128] = "";
	int f, i, n = 0;

	f = netif_functor(log, dir, full);
	if (f <= 0)
		return f;
	i = newest_plain(log, dir, full, list, sizeof(list), &n);
	if (i == -ENOENT) {
		log_err("%s: commit %.12s cannot be built with mirage's netif device (Netif is the "
			"functor Netif.Make(C), mirage applies a plain Netif), and none of its "
			"%d newest first-parent ancestors can",
			log->what, full, n);
		return -ENOTSUP;
	}
	if (i < 0)
		return i;
	describe(log, dir, list + i * (HASH_LEN + 1), desc, sizeof(desc));
	if (i > 0) {
		char *const subj[] = {"git", "-C", (char *)dir, "log", "-1", "--format=%h (\"%s\")",
				      list + (i - 1) * (HASH_LEN + 1), NULL};

		if (asuser_try(log, dir, subj, first, sizeof(first)))
			first[0] = '\0';
		first[strcspn(first, "\n")] = '\0';
	}
	log_err("%s: commit %.12s cannot be built with mirage's netif device: from %s on, Netif is "
		"the functor Netif.Make(C) and mirage (4.9.0, and its head) applies a plain Netif "
		"(\"The functor application is ill-typed\"); the newest commit of its history that "
		"builds is %.12s (%s)",
		log->what, full, first[0] ? first : "a later commit", list + i * (HASH_LEN + 1),
		desc);
	return -ENOTSUP;
}

int recipe_git_default(const struct asuser_log *log, const char *dir, const char *repo,
		       char full[HASH_LEN + 1])
{
	char list[MAX_WALK * (HASH_LEN + 1) + 64], desc[128], head[128];
	int i, n = 0;

	i = newest_plain(log, dir, "origin/HEAD", list, sizeof(list), &n);
	if (i == -ENOENT) {
		log_err("%s: none of the %d newest commits of %s's default branch can be built "
			"with mirage's netif device (Netif is the functor Netif.Make(C)): give a "
			"COMMIT",
			log->what, n, repo);
		return -ENOTSUP;
	}
	if (i < 0)
		return i;
	memcpy(full, list + i * (HASH_LEN + 1), HASH_LEN + 1);
	describe(log, dir, full, desc, sizeof(desc));
	if (i == 0) {
		log_info("no COMMIT given: taking %.12s (%s), the head of %s's default branch",
			 full, desc, repo);
		return 0;
	}
	describe(log, dir, list, head, sizeof(head));
	log_info("no COMMIT given: taking %.12s (%s), the newest commit of %s's default branch "
		 "that builds with mirage's netif device (its head %.12s, %s, and %d more need "
		 "Netif.Make)",
		 full, desc, repo, list, head, i - 1);
	return 0;
}
