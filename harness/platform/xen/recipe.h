/* Build recipes: a library at a commit built into a forwarding unikernel.
 * `mirage-net-xen`: our MirageOS 4 forwarder (recipes/mirage-net-xen/) with
 * duniverse/mirage-net-xen replaced by the library's repository at COMMIT
 * (the upstream URL, or --repo: a URL, a local repository or a git bundle).
 *
 * Online (the default): mirage configure -t xen, make depend (opam monorepo),
 * make build, with the user's opam switch. Offline (--sources DIR, a mirror
 * laid out like shared/mirage): the toolchain built once from the mirror's
 * archives into a cache keyed by their hashes (harness/platform/xen/recipe_offline.h), the
 * duniverse assembled from the archives, the same dune build.
 *
 * The build runs as the invoking user, never as root (SUDO_USER when run
 * through sudo: a child process takes that user's groups, gid, uid, HOME and
 * PATH), in ~/.cache/mir-perf/<recipe>/<full commit>/, every command's output
 * in a build log. A result whose commit and forwarder sources are unchanged
 * is reused.
 *
 * The unikernel built is the forwarder (recipes/<recipe>/config.ml and
 * unikernel.ml; the DUT of every mode), or, with RECIPE_IPERF3, the iperf3
 * server of the goodput mode's server = dut (recipes/<recipe>/iperf3/:
 * config.ml, unikernel.ml and duniverse.extra, the libraries the offline build
 * adds), cached apart in ~/.cache/mir-perf/<recipe>/<full commit>-iperf3/.
 * Errors are reported here, once, with the failing command, the last lines
 * of its output and the log's path. */
#ifndef MP_RECIPE_H
#define MP_RECIPE_H

#include <limits.h>

#define RECIPE_HASH_LEN 40

struct recipe_result {
	char commit[RECIPE_HASH_LEN + 1]; /* the full hash that was built */
	char kernel[PATH_MAX];		  /* the .xen image */
	char xl_in[PATH_MAX];		  /* mirage's .xl.in template */
	char log[PATH_MAX];		  /* the build log */
	/* The netif names of the template's @NETWORK:name@ entries by devid:
	 * netif[d] is the netif that opens devid d (never the list's order). */
	char netif[2][32];
	int cache_hit;
	char toolchain_key[65]; /* offline: the toolchain's cache key ("" online) */
};

/* Which unikernel of the recipe: its sources, its cache entry, its netifs. */
enum recipe_unikernel {
	RECIPE_FORWARDER = 0, /* src_dir/{config,unikernel}.ml: devids 0 (in) and 1 (out) */
	RECIPE_IPERF3,	      /* src_dir/iperf3/: the iperf3 server, devid 0 only */
};

struct recipe_opts {
	const char *commit;  /* NULL or "": the newest commit of the default branch that builds */
	const char *src_dir; /* the forwarder sources and the offline scripts */
	const char *sources; /* offline: the source mirror; NULL or "": online (opam) */
	const char *repo;    /* NULL or "": the recipe's upstream URL */
	/* offline: the toolchain key a build of this process computed for the
	 * same mirror (recipe_result.toolchain_key), so that the two builds of
	 * an A/B pair take one toolchain and hash the mirror once (over a minute
	 * in an emulated dom0); NULL or "": computed from the mirror */
	const char *toolchain_key;
	enum recipe_unikernel unikernel; /* default RECIPE_FORWARDER */
};

/* 1 for a commit id the recipes accept: 7..40 lower-case hex digits. */
int recipe_commit_valid(const char *commit);

/* 1 when name is a known recipe ("mirage-net-xen"). */
int recipe_known(const char *name);

/* Build (or find in the cache) recipe `name` as o says. 0; -EINVAL for a
 * bad name, commit or repo (nothing was run), a commit not in the repository
 * or a bad source mirror; -EPERM when there is no user to build as; -ENOENT
 * when a tool is missing for that user; -ENOTSUP for a commit the toolchain
 * cannot build (said with the newest that can); -EIO when a build command
 * failed (said with the log and its last lines). */
int recipe_build(const char *name, const struct recipe_opts *o, struct recipe_result *out);

/* The devids of mirage's .xl.in (see recipe_result.netif): 0, or -EINVAL
 * unless its vif line names @NETWORK:0@ and @NETWORK:1@ once each (the
 * forwarder), or @NETWORK:0@ alone (RECIPE_IPERF3; netif[1] is then ""). */
int recipe_parse_xl_in(const char *path, enum recipe_unikernel u, char netif[2][32]);
/* "forwarder", "iperf3". */
const char *recipe_unikernel_name(enum recipe_unikernel u);

#endif
