/* The unikernels a recipe builds (recipe.h, enum recipe_unikernel): each
 * one's sources, cache entry and netifs, and the parse of mirage's .xl.in
 * that checks the netifs. Apart from recipe.c, which runs the build, because
 * the cache (recipe_cache.c) and the build both decide by it. */
#ifndef MP_RECIPE_UNIKERNEL_H
#define MP_RECIPE_UNIKERNEL_H

#include <stddef.h>

#include "harness/platform/xen/recipe.h"

struct recipe_unikernel_def {
	const char *name;
	/* relative to the recipe's directory; copied into the build by their base
	 * names and hashed for the cache key */
	const char *const *sources;
	size_t nsources;
	/* the cache entry is root/<full hash><dir_suffix>: the forwarder and the
	 * iperf3 server of one commit are both kept */
	const char *dir_suffix;
	unsigned nnet; /* the netifs its .xl.in names: devids 0..nnet-1 */
	const char *subdir; /* where its sources are below the recipe's: "" or "/iperf3" */
	const char *said;   /* after "building LIB at COMMIT": "" or " (the iperf3 server)" */
};

/* NULL for a value that is no unikernel. */
const struct recipe_unikernel_def *recipe_unikernel_def(enum recipe_unikernel u);

#endif
