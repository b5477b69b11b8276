/* The run directory; see run_dir.h. */
#include "harness/run/run_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/trust.h"

/* Keep [A-Za-z0-9._-]; anything else becomes '-'. At most max characters. */
static void name_part(char *dst, size_t len, const char *src, size_t max)
{
	size_t i;

	for (i = 0; src[i] && i < max && i + 1 < len; i++) {
		char c = src[i];

		dst[i] = ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')
			     ? c
			     : '-';
	}
	dst[i] = '\0';
}

/* "fwd", "bridge", "exec-netif-forward" (the program's base name), "image-x.xen". */
static void dut_part(char *dst, size_t len, const char *dut)
{
	const char *colon = strchr(dut, ':');
	char prog[256], kind[16];
	const char *base, *end;

	if (!colon) {
		name_part(dst, len, dut[0] ? dut : "dut", 32);
		return;
	}
	name_part(kind, sizeof(kind), dut, (size_t)(colon - dut) < 8 ? (size_t)(colon - dut) : 8);
	/* first word of the command or the path, then its last component */
	end = colon + 1 + strcspn(colon + 1, " \t");
	snprintf(prog, sizeof(prog), "%.*s", (int)(end - colon - 1), colon + 1);
	base = strrchr(prog, '/');
	base = base ? base + 1 : prog;
	name_part(prog, sizeof(prog), base[0] ? base : "cmd", 32);
	snprintf(dst, len, "%.8s-%.32s", kind, prog);
}

void run_dir_stem(char *buf, size_t len, const struct run_cfg *cfg)
{
	char what[80], commit[16];

	if (cfg->library[0])
		name_part(what, sizeof(what), cfg->library, 40);
	else
		dut_part(what, sizeof(what), cfg->dut);
	if (cfg->commit[0])
		name_part(commit, sizeof(commit), cfg->commit, 12);
	else
		snprintf(commit, sizeof(commit), "%s", cfg->library[0] ? "head" : "local");
	/* Never a name a shell or ls takes for an option or a hidden file. */
	snprintf(buf, len, "%s%s-%s", what[0] == '.' || what[0] == '-' ? "dut" : "", what, commit);
}

void run_dir_name(char *buf, size_t len, const struct run_cfg *cfg, uint64_t realtime_ns)
{
	char stem[160], ts[32];

	run_dir_stem(stem, sizeof(stem), cfg);
	mtime_fmt_utc(ts, sizeof(ts), realtime_ns, 0);
	snprintf(buf, len, "%s-%s", stem, ts);
}

void run_dir_init(struct run_dir *d)
{
	d->fd = d->resfd = -1;
	d->made_results = 0;
	d->path[0] = '\0';
}

/* path's parent ("." for a bare name) and last component, into parent/base. */
static int split_path(const char *path, char *parent, size_t plen, const char **base)
{
	const char *slash;
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	slash = memrchr(path, '/', n);
	if (!slash) {
		snprintf(parent, plen, ".");
		*base = path;
	} else if ((size_t)snprintf(parent, plen, "%.*s", slash == path ? 1 : (int)(slash - path),
				    path) >= plen) {
		return -ENAMETOOLONG;
	} else {
		*base = slash + 1;
	}
	return 0;
}

/* 1 when the directory fd holds nothing but . and .. */
static int dir_empty(int fd)
{
	int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0), empty = 1;
	struct dirent *e;
	DIR *dir;

	if (dup < 0)
		return 0;
	dir = fdopendir(dup);
	if (!dir) {
		close(dup);
		return 0;
	}
	rewinddir(dir); /* the dup shares fd's offset: start from the top */
	while ((e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(dir);
	return empty;
}

/* Open what (a path, for messages) as a directory root may write into:
 * a directory, not a symlink, trusted (strictly: not group/world-writable). */
static int open_held(int atfd, const char *name, const char *what, int *out)
{
	char why[PATH_MAX + 128];
	struct stat st;
	int fd, rc;

	fd = openat(atfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
		/* a symlink (results -> /data/results) is followed only when
		 * it and everything it leads through is trusted */
		rc = trust_path(what, why, sizeof(why));
		if (rc) {
			log_err("not writing results into %s: %s", what, why);
			return rc;
		}
		fd = openat(atfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0) {
		rc = -errno;
		if (rc == -ENOTDIR)
			log_err("%s: expected a directory, and it is not one", what);
		else
			log_err("cannot open the directory %s: %s", what, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st)) {
		rc = -errno;
		log_err("cannot check %s: %s", what, strerror(-rc));
		close(fd);
		return rc;
	}
	rc = trust_stat(what, &st, 0, why, sizeof(why));
	if (rc) {
		log_err("not writing results into %s: %s", what, why);
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

/* The parent of path, checked up to / (trust_path) and opened. */
static int open_parent(const char *path, const char **base, int *out)
{
	char parent[PATH_MAX], why[PATH_MAX + 128];
	int rc;

	rc = split_path(path, parent, sizeof(parent), base);
	if (rc) {
		log_err("the path is too long: %s", path);
		return rc;
	}
	if (!**base || !strcmp(*base, ".") || !strcmp(*base, "..")) {
		log_err("%s: expected a directory name at the end of the path", path);
		return -EINVAL;
	}
	rc = trust_parent_path(parent, why, sizeof(why));
	if (rc) {
		log_err("not making results under %s: %s", parent, why);
		return rc;
	}
	*out = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*out < 0) {
		rc = -errno;
		log_err("cannot open the directory %s: %s", parent, strerror(-rc));
		return rc;
	}
	return 0;
}

/* -o DIR: made now, or existing, empty and held by root or the user. */
static int make_out(struct run_dir *d, const char *out)
{
	const char *base;
	int pfd = -1, rc, made = 0;

	rc = open_parent(out, &base, &pfd);
	if (rc)
		goto out;
	if (!mkdirat(pfd, base, 0755))
		made = 1;
	else if (errno != EEXIST) {
		rc = -errno;
		log_err("cannot create the run directory %s: %s", out, strerror(-rc));
		goto out;
	}
	rc = open_held(pfd, base, out, &d->fd);
	if (rc)
		goto out;
	if (!made && !dir_empty(d->fd)) {
		log_err("-o %s: expected a new or empty directory, and it holds files (results "
			"are never written over)",
			out);
		rc = -EEXIST;
	}
out:
	if (pfd >= 0)
		close(pfd);
	return rc;
}

/* RESULTS/latest -> name, replaced atomically: the link is renamed over,
 * never followed. */
static void link_latest(const struct run_dir *d, const char *results, const char *name)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), ".latest.%d", (int)getpid());
	unlinkat(d->resfd, tmp, 0);
	if (symlinkat(name, d->resfd, tmp) || renameat(d->resfd, tmp, d->resfd, "latest")) {
		log_warn("cannot point %s/latest at %s: %s", results, name, strerror(errno));
		unlinkat(d->resfd, tmp, 0);
	}
}

int run_dir_make(struct run_dir *d, const struct run_cfg *cfg, const char *name)
{
	const char *results = cfg->results_dir[0] ? cfg->results_dir : "results", *base;
	int pfd = -1, rc;
	unsigned i;

	if (cfg->out_dir[0]) {
		if (strlen(cfg->out_dir) >= sizeof(d->path)) {
			log_err("the run directory's path is too long: %s", cfg->out_dir);
			return -ENAMETOOLONG;
		}
		snprintf(d->path, sizeof(d->path), "%s", cfg->out_dir);
		return make_out(d, cfg->out_dir);
	}
	rc = open_parent(results, &base, &pfd);
	if (rc)
		goto out;
	if (!mkdirat(pfd, base, 0755))
		d->made_results = 1;
	else if (errno != EEXIST) {
		rc = -errno;
		log_err("cannot create the results directory %s: %s", results, strerror(-rc));
		goto out;
	}
	rc = open_held(pfd, base, results, &d->resfd);
	if (rc)
		goto out;
	for (i = 1; i < 100; i++) {
		char sub[200];

		snprintf(sub, sizeof(sub), i > 1 ? "%s-%u" : "%s", name, i);
		if ((size_t)snprintf(d->path, sizeof(d->path), "%s/%s", results, sub) >=
		    sizeof(d->path)) {
			log_err("the results directory's path is too long: %s", results);
			rc = -ENAMETOOLONG;
			goto out;
		}
		if (!mkdirat(d->resfd, sub, 0755)) {
			rc = open_held(d->resfd, sub, d->path, &d->fd);
			if (!rc)
				link_latest(d, results, sub);
			goto out;
		}
		if (errno != EEXIST) {
			rc = -errno;
			log_err("cannot create the run directory %s: %s", d->path, strerror(-rc));
			goto out;
		}
	}
	log_err("cannot create a run directory for %s in %s: all names taken", name, results);
	rc = -EEXIST;
out:
	if (pfd >= 0)
		close(pfd);
	return rc;
}

/* Everything under the directory fd, then fd itself, to uid:gid. Entries are
 * reached by name relative to fd and never followed: a symlink is given
 * itself (AT_SYMLINK_NOFOLLOW), a directory is entered O_NOFOLLOW. */
static void give_tree(int fd, uid_t uid, gid_t gid, int depth)
{
	int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	struct dirent *e;
	DIR *dir;

	if (dup < 0)
		return;
	dir = fdopendir(dup);
	if (!dir) {
		close(dup);
		return;
	}
	rewinddir(dir); /* the dup shares fd's offset: start from the top */
	while ((e = readdir(dir))) {
		int sub;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (depth < 8 && (e->d_type == DT_DIR || e->d_type == DT_UNKNOWN)) {
			sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0) {
				give_tree(sub, uid, gid, depth + 1);
				close(sub);
				continue;
			}
		}
		if (fchownat(fd, e->d_name, uid, gid, AT_SYMLINK_NOFOLLOW))
			log_dbg("cannot give %s to uid %u: %s", e->d_name, (unsigned)uid,
				strerror(errno));
	}
	closedir(dir);
	if (fchown(fd, uid, gid))
		log_dbg("cannot give a run directory to uid %u: %s", (unsigned)uid,
			strerror(errno));
}

void run_dir_give_to_user(const struct run_dir *d)
{
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0 || trust_invoker(&uid, &gid) || d->fd < 0)
		return;
	give_tree(d->fd, uid, gid, 0);
	if (d->resfd < 0)
		return;
	if (d->made_results && fchown(d->resfd, uid, gid))
		log_dbg("cannot give the results directory to uid %u: %s", (unsigned)uid,
			strerror(errno));
	if (fchownat(d->resfd, "latest", uid, gid, AT_SYMLINK_NOFOLLOW) && errno != ENOENT)
		log_dbg("cannot give results/latest to uid %u: %s", (unsigned)uid, strerror(errno));
}

void run_dir_close(struct run_dir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->resfd >= 0)
		close(d->resfd);
	d->fd = d->resfd = -1;
}
