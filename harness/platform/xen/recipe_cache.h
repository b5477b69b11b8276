/* The recipe build cache: a build directory (~/.cache/mir-perf/<recipe>/
 * <full commit>/) is reused when its stamp records the same key and its
 * outputs are still there. The key is an FNV-1a hash of the forwarder
 * sources and, offline, of the build scripts and the toolchain's key (which
 * hashes the mirror). Separate from recipe.c, which runs the build as the
 * user, because what makes a cached build valid is decided here alone: a
 * change to what a build depends on must change this key. */
#ifndef MP_RECIPE_CACHE_H
#define MP_RECIPE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "harness/platform/xen/recipe.h"

#define RECIPE_CACHE_KEY_LEN 16

/* The key of a build besides its commit: the files sources[0..nsources) of
 * src_dir (relative paths: "iperf3/config.ml" for the iperf3 server), and when toolchain_key is not "" (offline) the offline scripts of
 * src_dir and toolchain_key. 0, or a negative errno from reading a file. */
int recipe_cache_key(const char *src_dir, const char *const *sources, size_t nsources,
		     const char *toolchain_key, char key[RECIPE_CACHE_KEY_LEN + 1]);
/* 1 when dir holds a finished build of key whose kernel is readable and
 * whose .xl.in parses as u's (r's kernel, xl_in and netif filled), else 0. */
int recipe_cache_lookup(const char *dir, const char *key, enum recipe_unikernel u,
			struct recipe_result *r);
/* Record r's outputs as the build of key in dir: 0 or a negative errno. */
int recipe_cache_store(const char *dir, const char *key, const struct recipe_result *r);
/* FNV-1a of s (names a clone directory per repository). */
uint64_t recipe_cache_hash_str(const char *s);

#endif
