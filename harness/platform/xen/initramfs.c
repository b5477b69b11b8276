#include "harness/platform/xen/initramfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/platform/xen/elf_deps.h"
#include "lib/atomic_file.h"
#include "lib/path.h"

#define MAX_ENTRIES 64
#define MAX_MODULES 16
#define NETFRONT    "xen-netfront.ko"

struct entry {
	char name[64]; /* path inside the archive, without leading '/' */
	unsigned mode; /* with S_IF* type */
	unsigned rdev_major, rdev_minor;
	char src[PATH_MAX]; /* file contents come from here; "" for dirs and nodes */
	void *data;
	size_t size;
};

struct archive {
	struct entry e[MAX_ENTRIES];
	unsigned n;
	char *err;
	size_t errlen;
};

static int fail(struct archive *a, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct archive *a, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->err, a->errlen, fmt, ap);
	va_end(ap);
	return rc;
}

static int read_whole(const char *path, void **data, size_t *size)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)512 * 1024 * 1024) {
		rc = -EINVAL;
		goto out;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			goto out;
		}
		got += n;
	}
	*data = buf;
	*size = got;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return rc;
}

static int add(struct archive *a, const char *name, unsigned mode, const char *src)
{
	struct entry *e;
	int rc;

	if (a->n == MAX_ENTRIES)
		return fail(a, -E2BIG, "initramfs: more than %d entries", MAX_ENTRIES);
	e = &a->e[a->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->mode = mode;
	if (src) {
		snprintf(e->src, sizeof(e->src), "%s", src);
		rc = read_whole(src, &e->data, &e->size);
		if (rc)
			return fail(a, rc, "initramfs: cannot read %s: %s", src,
				    rc == -EINVAL ? "not a regular file" : strerror(-rc));
	}
	a->n++;
	return 0;
}

int initramfs_kernel_release(const char *kernel, char *buf, size_t len)
{
	static const char banner[] = "Linux version ";
	struct stat st;
	const unsigned char *img = MAP_FAILED;
	const char *p = NULL;
	size_t i;
	int fd, rc = -ENOEXEC;

	fd = open(kernel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size < 0x400) {
		rc = -ENOEXEC;
		goto out;
	}
	img = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (img == MAP_FAILED) {
		rc = -errno;
		goto out;
	}
	if (!memcmp(img + 0x202, "HdrS", 4)) {
		/* bzImage: kernel_version is an offset from the setup area + 0x200. */
		size_t off = (size_t)(img[0x20e] | img[0x20f] << 8) + 0x200;

		if (off < (size_t)st.st_size)
			p = (const char *)img + off;
	} else {
		p = memmem(img, st.st_size, banner, sizeof(banner) - 1);
		if (p)
			p += sizeof(banner) - 1;
	}
	if (!p)
		goto out;
	for (i = 0; i + 1 < len && p + i < (const char *)img + st.st_size; i++) {
		char c = p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_' || c == '+'))
			break;
		buf[i] = c;
	}
	buf[i] = '\0';
	rc = i > 0 && p[i] == ' ' ? 0 : -ENOEXEC;
out:
	if (img != MAP_FAILED)
		munmap((void *)img, st.st_size);
	close(fd);
	return rc;
}

/* xen-netfront's path and dependencies from modules.dep ("a.ko: dep1.ko
 * dep2.ko", modprobe loads the last dependency first). */
static int find_netfront(struct archive *a, const char *dir, char mods[][PATH_MAX], unsigned *nmods,
			 int *builtin)
{
	char path[PATH_MAX + 32], *line = NULL, *tok, *save;
	size_t cap = 0;
	FILE *f;
	int rc = -ENOENT;

	*nmods = 0;
	*builtin = 0;
	if (path_fmt(path, sizeof(path), "%s/modules.builtin", dir))
		return fail(a, -ENAMETOOLONG, "initramfs: %s: path too long", dir);
	f = fopen(path, "re");
	if (f) {
		while (getline(&line, &cap, f) > 0) {
			if (strstr(line, "/" NETFRONT "\n")) {
				*builtin = 1;
				rc = 0;
			}
		}
		fclose(f);
		if (*builtin)
			goto out;
	}
	path_fmt(path, sizeof(path), "%s/modules.dep", dir); /* fits: builtin did */
	f = fopen(path, "re");
	if (!f) {
		/* No depmod run: xen-netfront needs no other module in Debian's kernels. */
		static const char *const tries[] = {NETFRONT, NETFRONT ".xz", NETFRONT ".zst"};
		unsigned i;

		for (i = 0; i < 3; i++) {
			if (!path_fmt(mods[0], PATH_MAX, "%s/kernel/drivers/net/%s", dir,
				      tries[i]) &&
			    access(mods[0], R_OK) == 0) {
				*nmods = 1;
				rc = 0;
				goto out;
			}
		}
		rc = fail(a, -ENOENT, "initramfs: no %s/modules.dep and no %s under %s", dir,
			  NETFRONT, dir);
		goto out;
	}
	while (getline(&line, &cap, f) > 0) {
		char *colon = strchr(line, ':');
		const char *base;
		char *deps[MAX_MODULES];
		unsigned nd = 0, i;

		if (!colon)
			continue;
		*colon = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		if (strncmp(base, NETFRONT, strlen(NETFRONT)))
			continue;
		for (tok = strtok_r(colon + 1, " \n", &save); tok;
		     tok = strtok_r(NULL, " \n", &save)) {
			if (nd == MAX_MODULES - 1) {
				rc = fail(a, -E2BIG, "initramfs: %s has too many dependencies",
					  NETFRONT);
				fclose(f);
				goto out;
			}
			deps[nd++] = tok;
		}
		rc = 0;
		for (i = 0; i < nd && !rc; i++)
			rc = path_fmt(mods[i], PATH_MAX, "%s/%s", dir, deps[nd - 1 - i]);
		if (!rc)
			rc = path_fmt(mods[nd], PATH_MAX, "%s/%s", dir, line);
		*nmods = nd + 1;
		if (rc) {
			rc = fail(a, rc, "initramfs: module path too long in %s", path);
			fclose(f);
			goto out;
		}
		break;
	}
	fclose(f);
	if (rc)
		rc = fail(a, rc, "initramfs: %s is not in %s (the guest needs it for its vifs)",
			  NETFRONT, path);
out:
	free(line);
	return rc;
}

static void fnv(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		*h ^= *c++;
		*h *= 0x100000001b3ULL;
	}
}

static uint64_t archive_hash(const struct archive *a)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned i;

	for (i = 0; i < a->n; i++) {
		const struct entry *e = &a->e[i];
		uint64_t meta[4] = {e->mode, e->rdev_major, e->rdev_minor, e->size};

		fnv(&h, e->name, strlen(e->name) + 1);
		fnv(&h, meta, sizeof(meta));
		fnv(&h, e->data, e->size);
	}
	return h;
}

static int put_pad(FILE *f, size_t n)
{
	static const char zero[4];

	n = (4 - (n & 3)) & 3;
	return fwrite(zero, 1, n, f) == n ? 0 : -EIO;
}

static int put_entry(FILE *f, unsigned ino, const char *name, unsigned mode, unsigned maj,
		     unsigned min, const void *data, size_t size)
{
	size_t namesize = strlen(name) + 1;

	/* newc: ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor
	 * rdevminor namesize check; owner root, mtime 0 (reproducible). */
	if (fprintf(f, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ino, mode, 0,
		    0, S_ISDIR(mode) ? 2 : 1, 0, (unsigned)size, 0, 0, maj, min, (unsigned)namesize,
		    0) != 110)
		return -EIO;
	if (fwrite(name, 1, namesize, f) != namesize || put_pad(f, 110 + namesize))
		return -EIO;
	if (size && (fwrite(data, 1, size, f) != size || put_pad(f, size)))
		return -EIO;
	return 0;
}

/* name in dir, through lib/atomic_file: a temp made O_EXCL|O_NOFOLLOW in
 * the directory's fd, fsync, rename: a reader never sees half an archive. */
static int write_archive(const struct archive *a, const char *dir, const char *name)
{
	struct afile af;
	FILE *f;
	unsigned i;
	int dfd, rc;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	rc = afile_begin(&af, dfd, name, 0644);
	if (rc)
		goto out;
	f = afile_stream(&af);
	if (!f) {
		rc = -errno;
		afile_abort(&af);
		goto out;
	}
	for (i = 0; i < a->n && !rc; i++) {
		const struct entry *e = &a->e[i];

		rc = put_entry(f, i + 1, e->name, e->mode, e->rdev_major, e->rdev_minor, e->data,
			       e->size);
	}
	if (!rc)
		rc = put_entry(f, 0, "TRAILER!!!", 0, 0, 0, NULL, 0);
	if (rc)
		afile_abort(&af);
	else
		rc = afile_commit(&af, 1);
out:
	close(dfd);
	return rc;
}

static int default_cache_dir(char *buf, size_t len)
{
	const char *home = getenv("HOME");

	if (geteuid() == 0) {
		snprintf(buf, len, "/var/cache/mir-perf/initramfs");
		return 0;
	}
	if (!home || home[0] != '/')
		return -ENOENT;
	snprintf(buf, len, "%s/.cache/mir-perf/initramfs", home);
	return 0;
}

/* The directories above name (a path in the archive) that are not there yet. */
static int add_parents(struct archive *a, const char *name)
{
	char dir[64];
	const char *slash;
	unsigned i;
	int rc;

	for (slash = strchr(name, '/'); slash; slash = strchr(slash + 1, '/')) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - name), name);
		for (i = 0; i < a->n && strcmp(a->e[i].name, dir); i++)
			;
		if (i < a->n)
			continue;
		rc = add(a, dir, S_IFDIR | 0755, NULL);
		if (rc)
			return rc;
	}
	return 0;
}

/* iperf3 as /bin/iperf3, its interpreter where its PT_INTERP says, its
 * libraries in /lib/x86_64-linux-gnu (a directory the dynamic linker
 * searches without an ld.so.cache), and /tmp. */
static int add_iperf3(struct archive *a, const char *iperf3)
{
	struct elf_deps *d = calloc(1, sizeof(*d));
	char name[64];
	unsigned i;
	int rc;

	if (!d)
		return fail(a, -ENOMEM, "initramfs: out of memory");
	rc = elf_deps_find(iperf3, NULL, d, a->err, a->errlen);
	if (rc) {
		char why[512];

		snprintf(why, sizeof(why), "%s", a->err);
		rc = fail(a, rc, "initramfs: iperf3's libraries: %s", why);
		goto out;
	}
	rc = add(a, "tmp", S_IFDIR | 01777, NULL);
	if (!rc)
		rc = add(a, "bin/iperf3", S_IFREG | 0755, iperf3);
	if (!rc && snprintf(name, sizeof(name), "%s", d->interp + 1) >= (int)sizeof(name))
		rc = fail(a, -ENAMETOOLONG, "initramfs: interpreter %s: name too long", d->interp);
	if (!rc)
		rc = add_parents(a, name);
	if (!rc)
		rc = add(a, name, S_IFREG | 0755, d->interp);
	for (i = 0; i < d->n && !rc; i++) {
		snprintf(name, sizeof(name), "lib/x86_64-linux-gnu/%s", d->name[i]);
		rc = add_parents(a, name);
		if (!rc)
			rc = add(a, name, S_IFREG | 0755, d->path[i]);
	}
out:
	free(d);
	return rc;
}

int initramfs_build(const struct initramfs_src *src, char *out, size_t outlen, char *err,
		    size_t errlen)
{
	static const char *const dirs[] = {"bin", "dev", "proc", "sys", "run", "modules"};
	struct archive *a;
	char release[128], dir[PATH_MAX], cache[PATH_MAX], name[64];
	char(*mods)[PATH_MAX] = NULL;
	unsigned nmods = 0, i;
	int builtin, rc;

	a = calloc(1, sizeof(*a));
	mods = calloc(MAX_MODULES, sizeof(*mods));
	if (!a || !mods) {
		rc = -ENOMEM;
		snprintf(err, errlen, "initramfs: out of memory");
		goto out;
	}
	a->err = err;
	a->errlen = errlen;
	rc = initramfs_kernel_release(src->kernel, release, sizeof(release));
	if (rc) {
		rc = fail(a, rc, "initramfs: cannot tell the release of kernel %s: %s", src->kernel,
			  rc == -ENOEXEC ? "no Linux version found in it" : strerror(-rc));
		goto out;
	}
	if (path_fmt(dir, sizeof(dir), "%s/%s",
		     src->modules_root ? src->modules_root : "/lib/modules", release)) {
		rc = fail(a, -ENAMETOOLONG, "initramfs: modules directory path too long");
		goto out;
	}
	rc = find_netfront(a, dir, mods, &nmods, &builtin);
	if (rc)
		goto out;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && !rc; i++)
		rc = add(a, dirs[i], S_IFDIR | 0755, NULL);
	if (!rc) {
		rc = add(a, "dev/console", S_IFCHR | 0600, NULL);
		a->e[a->n - 1].rdev_major = 5;
		a->e[a->n - 1].rdev_minor = 1;
	}
	if (!rc)
		rc = add(a, "init", S_IFREG | 0755, src->geninit);
	if (!rc)
		rc = add(a, "bin/mir-trafgen", S_IFREG | 0755, src->trafgen);
	if (!rc && src->iperf3)
		rc = add_iperf3(a, src->iperf3);
	for (i = 0; i < nmods && !rc; i++) {
		const char *base = strrchr(mods[i], '/') + 1;

		snprintf(name, sizeof(name), "modules/%02u-%.40s", i, base);
		rc = add(a, name, S_IFREG | 0644, mods[i]);
	}
	if (rc)
		goto out;
	if (src->cache_dir) {
		if (path_fmt(cache, sizeof(cache), "%s", src->cache_dir)) {
			rc = fail(a, -ENAMETOOLONG, "initramfs: cache path too long");
			goto out;
		}
	} else if (default_cache_dir(cache, sizeof(cache))) {
		rc = fail(a, -ENOENT, "initramfs: no HOME for the cache directory");
		goto out;
	}
	rc = path_mkdir_p(cache, 0755);
	if (rc) {
		rc = fail(a, rc, "initramfs: cannot create %s: %s", cache, strerror(-rc));
		goto out;
	}
	if (path_fmt(out, outlen, "%s/%016llx.cpio", cache, (unsigned long long)archive_hash(a))) {
		rc = fail(a, -ENAMETOOLONG, "initramfs: cache path too long");
		goto out;
	}
	if (access(out, R_OK) == 0)
		goto out; /* same content: built before */
	rc = write_archive(a, cache, strrchr(out, '/') + 1);
	if (rc)
		rc = fail(a, rc, "initramfs: cannot write %s: %s", out, strerror(-rc));
out:
	if (a)
		for (i = 0; i < a->n; i++)
			free(a->e[i].data);
	free(a);
	free(mods);
	return rc;
}
