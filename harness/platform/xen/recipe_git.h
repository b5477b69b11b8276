/* The library's repository for a recipe build: a clone of REPO (a URL, a
 * local repository or a git bundle) kept in the user's cache and fetched,
 * COMMIT resolved and checked to exist, and which commits the toolchain can
 * build at all. Every git command runs as the user (lib/asuser.h) with
 * its output in the build log; errors are reported here, once. */
#ifndef MP_RECIPE_GIT_H
#define MP_RECIPE_GIT_H

#include "lib/asuser.h"

/* Clone repo into dir (--no-checkout), or fetch when dir is a clone of it. */
int recipe_git_sync(const struct asuser_log *log, const char *cwd, const char *repo,
		    const char *dir);

/* commit (7..40 hex) to its full hash in the clone at dir; a commit that is
 * not there: -EINVAL, reported in one line naming repo. */
int recipe_git_resolve(const struct asuser_log *log, const char *dir, const char *repo,
		       const char *commit, char full[41]);

/* Whether mirage's netif device can build the library at full: from
 * mirage-net-xen 87f3737 ("Merge backend and frontend") on, Netif is the
 * functor Netif.Make(C) while mirage (4.9.0, and its head) applies a plain
 * module. 0 when it can; -ENOTSUP, reported in one line naming the commit,
 * the reason and the newest commit of its history that builds; else -EIO. */
int recipe_git_buildable(const struct asuser_log *log, const char *dir, const char *full);

/* The default commit: the newest commit of the default branch (origin/HEAD,
 * first parents) that recipe_git_buildable accepts; said in the log. */
int recipe_git_default(const struct asuser_log *log, const char *dir, const char *repo,
		       char full[41]);

#endif
