/* The offline source mode of a recipe build (mir-perf --sources DIR, cfg key
 * mirage_sources): the MirageOS toolchain built once from a source mirror
 * into a cache keyed by the sources' hashes, and the unikernel configured and
 * built with it, its duniverse assembled from the mirror's archives instead
 * of `make depend`. The work is done by recipes/<recipe>/toolchain.sh and
 * unikernel.sh, run here as the user (lib/asuser.h). */
#ifndef MP_RECIPE_OFFLINE_H
#define MP_RECIPE_OFFLINE_H

#include <stddef.h>

#include "lib/asuser.h"

/* Where a toolchain built by the user is cached (under HOME), and the cache
 * an administrator may have filled for everyone (read-only to users). */
#define RECIPE_TOOLCHAIN_CACHE	"%s/.cache/mir-perf/mirage-toolchain"
#define RECIPE_TOOLCHAIN_SHARED "/var/cache/mir-perf/mirage"

/* The toolchain's cache key (64 hex digits: sha256 over sources.txt, every
 * archive, the overlays and toolchain.sh): 0, or -EINVAL after the script
 * said in one line what is missing. */
int recipe_offline_key(const struct asuser_log *log, const char *scripts, const char *mirror,
		       char key[65]);

/* The mirror checked before anything is built from it: every toolchain part
 * named in sources.txt, every archive present, a readable tar at the commit
 * sources.txt names. 0, or -EINVAL after the script said in one line what is
 * wrong. A build found in the cache under a key needs no check: the key
 * hashes every archive, so they are the bytes that were checked when it was
 * built (and the check decompresses 19 MB three times: minutes in an
 * emulated dom0). */
int recipe_offline_check(const struct asuser_log *log, const char *scripts, const char *mirror);

/* The prefix of the toolchain of that key, built into cache (or found in it
 * or in the shared cache). Progress lines reach the terminal. 0, or -EIO after
 * the script said why in one line (a missing or corrupt archive, a missing
 * toolchain part, a failed step). */
int recipe_offline_toolchain(const struct asuser_log *log, const char *scripts,
			     const char *mirror, const char *cache, const char *key, char *prefix,
			     size_t len);

/* mirage configure -t xen and the duniverse, in work. */
int recipe_offline_configure(const struct asuser_log *log, const char *scripts,
			     const char *mirror, const char *prefix, const char *work);

/* The build of work/dist (what `make build` runs). */
int recipe_offline_build(const struct asuser_log *log, const char *scripts, const char *prefix,
			 const char *work);

#endif
