/* The recipe build cache (recipe_cache.h). */
#include "harness/platform/xen/recipe_cache.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/path.h"

#define FNV_SEED 0xcbf29ce484222325ULL

/* The offline build's scripts: part of its cache key too. */
static const char *const offline_scripts[] = {"toolchain.sh", "unikernel.sh"};

static void fnv(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		*h ^= *c++;
		*h *= 0x100000001b3ULL;
	}
}

uint64_t recipe_cache_hash_str(const char *s)
{
	uint64_t h = FNV_SEED;

	fnv(&h, s, strlen(s));
	return h;
}

/* FNV-1a of the files of src_dir named in names: part of the cache key. */
static int hash_files(uint64_t *h, const char *src_dir, const char *const *names, size_t n)
{
	char path[PATH_MAX], buf[4096];
	size_t i, got;

	for (i = 0; i < n; i++) {
		FILE *f;

		if (path_fmt(path, sizeof(path), "%s/%s", src_dir, names[i]))
			return -ENAMETOOLONG;
		f = fopen(path, "re");
		if (!f)
			return -errno;
		while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
			fnv(h, buf, got);
		fnv(h, "\xff", 1); /* file boundary */
		fclose(f);
	}
	return 0;
}

int recipe_cache_key(const char *src_dir, const char *const *sources, size_t nsources,
		     const char *toolchain_key, char key[RECIPE_CACHE_KEY_LEN + 1])
{
	uint64_t h = FNV_SEED;
	int rc = hash_files(&h, src_dir, sources, nsources);

	if (!rc && toolchain_key[0]) {
		rc = hash_files(&h, src_dir, offline_scripts, 2);
		fnv(&h, toolchain_key, strlen(toolchain_key));
	}
	snprintf(key, RECIPE_CACHE_KEY_LEN + 1, "%016llx", (unsigned long long)h);
	return rc;
}

static int stamp_path(const char *dir, char *out, size_t len)
{
	return path_fmt(out, len, "%s/mir-perf.stamp", dir);
}

/* A finished build records its source hash and outputs; a hit needs all three. */
int recipe_cache_lookup(const char *dir, const char *key, enum recipe_unikernel u,
			struct recipe_result *r)
{
	char path[PATH_MAX], src[32] = "";
	int ok = 0;
	FILE *f;

	if (stamp_path(dir, path, sizeof(path)))
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "source %16s\n", src) == 1 && !strcmp(src, key) &&
	    fscanf(f, "kernel %4095[^\n]\n", r->kernel) == 1 &&
	    fscanf(f, "xl_in %4095[^\n]\n", r->xl_in) == 1 && access(r->kernel, R_OK) == 0 &&
	    recipe_parse_xl_in(r->xl_in, u, r->netif) == 0)
		ok = 1;
	fclose(f);
	return ok;
}

int recipe_cache_store(const char *dir, const char *key, const struct recipe_result *r)
{
	char path[PATH_MAX];
	FILE *f;

	if (stamp_path(dir, path, sizeof(path)))
		return -ENAMETOOLONG;
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fprintf(f, "source %s\nkernel %s\nxl_in %s\n", key, r->kernel, r->xl_in);
	return fclose(f) ? -errno : 0;
}
