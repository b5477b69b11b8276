/* Build recipes: a library at a commit built into a forwarding unikernel.
 * `mirage-net-xen`: our MirageOS 4 forwarder (recipes/mirage-net-xen/) with
 * duniverse/mirage-net-xen replaced by the upstream repository at COMMIT.
 *
 * The build runs as the invoking user, never as root (SUDO_USER when run
 * through sudo: a child process takes that user's groups, gid, uid, HOME and
 * PATH), in ~/.cache/mir-perf/<recipe>/<full commit>/, every command's output
 * in a build log. A result whose commit and forwarder sources are unchanged
 * is reused. Errors are reported here, once, with the failing command, the
 * last lines of its output and the log's path. */
#ifndef MP_RECIPE_H
#define MP_RECIPE_H

#include <limits.h>

#define RECIPE_HASH_LEN 40

struct recipe_result {
	char commit[RECIPE_HASH_LEN + 1]; /* the full hash that was built */
	char kernel[PATH_MAX];		  /* the .xen image */
	char xl_in[PATH_MAX];		  /* mirage's .xl.in template */
	char log[PATH_MAX];		  /* the build log */
	/* The @NETWORK:name@ of the template's vifs in order: netif[i] is devid i. */
	char netif[2][32];
	int cache_hit;
};

/* 1 for a commit id the recipes accept: 7..40 lower-case hex digits. */
int recipe_commit_valid(const char *commit);

/* 1 when name is a known recipe ("mirage-net-xen"). */
int recipe_known(const char *name);

/* Build (or find in the cache) recipe `name` at `commit` (NULL or "" = the
 * upstream default branch head, resolved with git ls-remote) from the
 * forwarder sources in src_dir. 0, -EINVAL for a bad name or commit (nothing
 * was run), -EPERM when there is no user to build as, -ENOENT when opam or
 * mirage is missing for that user, -EIO when a build command failed. */
int recipe_build(const char *name, const char *commit, const char *src_dir,
		 struct recipe_result *out);

#endif
