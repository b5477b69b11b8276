#include "harness/platform/xen/recipe.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/platform/xen/recipe_cache.h"
#include "harness/platform/xen/recipe_git.h"
#include "harness/platform/xen/recipe_unikernel.h"
#include "harness/platform/xen/recipe_offline.h"
#include "lib/asuser.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/path.h"
#include "harness/run/stop.h"

/* What each recipe builds: the upstream repository and where the library
 * sits in mirage's duniverse. */
static const struct recipe_def {
	const char *name;
	const char *url;
	const char *duniverse_dir;
} recipes[] = {
    {"mirage-net-xen", "https://github.com/mirage/mirage-net-xen.git", "mirage-net-xen"},
};

/* The build child's context: everything below runs as the user, in the child. */
struct build {
	const struct recipe_def *def;
	const struct recipe_unikernel_def *uk; /* which unikernel of the recipe */
	const struct recipe_opts *o;
	const char *repo; /* o->repo or the upstream URL */
	char home[PATH_MAX];
	char root[PATH_MAX];	 /* ~/.cache/mir-perf/<recipe> */
	char upstream[PATH_MAX]; /* root/upstream-<repo hash>: a clone, fetched each build */
	char dir[PATH_MAX];	 /* root/<full hash><uk->dir_suffix> */
	char logpath[PATH_MAX];
	struct asuser_log log; /* the build log: every command's output */
	char srchash[RECIPE_CACHE_KEY_LEN + 1];
	char toolchain_key[65]; /* offline: the toolchain's cache key */
};

int recipe_commit_valid(const char *c)
{
	size_t n = c ? strlen(c) : 0, i;

	if (n < 7 || n > RECIPE_HASH_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!((c[i] >= '0' && c[i] <= '9') || (c[i] >= 'a' && c[i] <= 'f')))
			return 0;
	return 1;
}

static const struct recipe_def *find_recipe(const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(recipes) / sizeof(recipes[0]); i++)
		if (!strcmp(name, recipes[i].name))
			return &recipes[i];
	return NULL;
}

int recipe_known(const char *name)
{
	return find_recipe(name) != NULL;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int rm_rf(const char *path)
{
	if (access(path, F_OK))
		return 0;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) ? -errno : 0;
}

/* First 40 characters are a full lower-case hash (what git printed). */
static int take_hash(const char *s, char *out)
{
	if (strspn(s, "0123456789abcdef") < RECIPE_HASH_LEN)
		return -EINVAL;
	memcpy(out, s, RECIPE_HASH_LEN);
	out[RECIPE_HASH_LEN] = '\0';
	return 0;
}

static int copy_file(const char *src, const char *dst)
{
	char buf[8192];
	int in, out, rc = 0;
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		rc = -errno;
		close(in);
		return rc;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n) {
			rc = -EIO;
			break;
		}
	if (n < 0)
		rc = -errno;
	close(in);
	close(out);
	return rc;
}

/* The one file in dir/dist whose name ends with ext. */
static int find_output(const char *dir, const char *ext, char *out, size_t len)
{
	char dist[PATH_MAX];
	struct dirent *d;
	DIR *dp;
	int found = 0;

	if (path_fmt(dist, sizeof(dist), "%s/dist", dir))
		return -ENAMETOOLONG;
	dp = opendir(dist);
	if (!dp)
		return -errno;
	while ((d = readdir(dp))) {
		size_t n = strlen(d->d_name), e = strlen(ext);

		if (n > e && !strcmp(d->d_name + n - e, ext) &&
		    !path_fmt(out, len, "%s/%s", dist, d->d_name))
			found++;
	}
	closedir(dp);
	return found == 1 ? 0 : -ENOENT;
}

/* COMMIT to a full hash through the clone of the repository (fetched first):
 * a given one must exist there; none means the newest that builds. */
static int resolve(struct build *b, const char *commit, char *full)
{
	int rc = recipe_git_sync(&b->log, b->root, b->repo, b->upstream);

	if (rc)
		return rc;
	if (!commit || !*commit)
		return recipe_git_default(&b->log, b->upstream, b->repo, full);
	return recipe_git_resolve(&b->log, b->upstream, b->repo, commit, full);
}

static int copy_sources(struct build *b, const char *src_dir, const char *work)
{
	char src[PATH_MAX], dst[PATH_MAX + 32];
	size_t i;
	int rc;

	rc = rm_rf(work);
	if (!rc)
		rc = path_mkdir_p(work, 0755);
	for (i = 0; i < b->uk->nsources && !rc; i++) {
		const char *name = b->uk->sources[i], *base = strrchr(name, '/');

		if (path_fmt(src, sizeof(src), "%s/%s", src_dir, name) ||
		    path_fmt(dst, sizeof(dst), "%s/%s", work, base ? base + 1 : name))
			return -ENAMETOOLONG;
		rc = copy_file(src, dst);
	}
	if (rc)
		log_err("recipe %s: preparing %s: %s", b->def->name, work, strerror(-rc));
	return rc;
}

/* The library under test replaces what was vendored: the clone at full. */
static int vendor_library(struct build *b, const char *work, const char *full)
{
	char lib[PATH_MAX + 64], out[512], got[RECIPE_HASH_LEN + 1];
	char *const clone[] = {"git", "clone", "--quiet", b->upstream, lib, NULL};
	char *const checkout[] = {"git",     "-C",	 lib,	       "checkout",
				  "--quiet", "--detach", (char *)full, NULL};
	char *const head[] = {"git", "-C", lib, "rev-parse", "HEAD", NULL};
	int rc;

	if (path_fmt(lib, sizeof(lib), "%s/duniverse/%s", work, b->def->duniverse_dir))
		return -ENAMETOOLONG;
	rc = rm_rf(lib);
	if (rc) {
		log_err("recipe %s: removing %s: %s", b->def->name, lib, strerror(-rc));
		return rc;
	}
	rc = asuser_run(&b->log, work, clone, NULL, 0);
	if (!rc)
		rc = asuser_run(&b->log, work, checkout, NULL, 0);
	if (!rc)
		rc = asuser_run(&b->log, work, head, out, sizeof(out));
	if (!rc && (take_hash(out, got) || strcmp(got, full))) {
		log_err("recipe %s: %s is at %.40s, not at %s", b->def->name, lib, out, full);
		return -EIO;
	}
	return rc;
}

/* Online: mirage configure, make depend (opam monorepo), make build. */
static int build_online(struct build *b, const char *work, const char *full)
{
	char *const configure[] = {"mirage", "configure", "-t", "xen", NULL};
	char *const depend[] = {"make", "depend", NULL};
	char *const build[] = {"make", "build", NULL};
	int rc;

	rc = asuser_run(&b->log, work, configure, NULL, 0);
	if (!rc)
		rc = asuser_run(&b->log, work, depend, NULL, 0);
	if (!rc)
		rc = vendor_library(b, work, full);
	if (!rc)
		rc = asuser_run(&b->log, work, build, NULL, 0);
	return rc;
}

/* Offline: the toolchain from the mirror (cached), the duniverse from its
 * archives, the same dune build. */
static int build_offline(struct build *b, const char *src_dir, const char *work,
			 const char *full)
{
	char cache[PATH_MAX], prefix[PATH_MAX];
	int rc;

	if (path_fmt(cache, sizeof(cache), RECIPE_TOOLCHAIN_CACHE, b->home))
		return -ENAMETOOLONG;
	rc = recipe_offline_toolchain(&b->log, src_dir, b->o->sources, cache, b->toolchain_key,
				      prefix, sizeof(prefix));
	if (!rc)
		rc = recipe_offline_configure(&b->log, src_dir, b->o->sources, prefix, work);
	if (!rc)
		rc = vendor_library(b, work, full);
	if (!rc)
		rc = recipe_offline_build(&b->log, src_dir, prefix, work);
	return rc;
}

static int build_at(struct build *b, const char *src_dir, const char *full, struct recipe_result *r)
{
	char work[PATH_MAX];
	int rc;

	if (path_fmt(work, sizeof(work), "%s/build", b->dir))
		return -ENAMETOOLONG;
	rc = copy_sources(b, src_dir, work);
	if (!rc)
		rc = b->toolchain_key[0] ? build_offline(b, src_dir, work, full)
					 : build_online(b, work, full);
	if (rc)
		return rc;
	if (find_output(work, ".xen", r->kernel, sizeof(r->kernel)) ||
	    find_output(work, ".xl.in", r->xl_in, sizeof(r->xl_in))) {
		log_err("recipe %s: the build succeeded but %s/dist holds no single .xen and "
			".xl.in (see %s)",
			b->def->name, work, b->log.path);
		return -EIO;
	}
	if (recipe_parse_xl_in(r->xl_in, b->o->unikernel, r->netif)) {
		log_err("recipe %s: %s: expected a vif line naming %s (the devid%s of the %s's "
			"netif%s in config.ml)",
			b->def->name, r->xl_in,
			b->uk->nnet == 2 ? "@NETWORK:0@ and @NETWORK:1@, once each" : "@NETWORK:0@ alone",
			b->uk->nnet == 2 ? "s" : "", b->uk->name, b->uk->nnet == 2 ? "s" : "");
		return -EIO;
	}
	return recipe_cache_store(b->dir, b->srchash, r);
}

/* The tools a build needs, said once with what to install. */
static int check_tools(const struct build *b, const struct passwd *pw)
{
	if (b->toolchain_key[0]) {
		if (asuser_on_path("git") && asuser_on_path("make") && asuser_on_path("cc"))
			return 0;
		log_err("recipe %s: the offline build needs git, make and a C compiler on PATH "
			"(%s) for user %s: apt-get install git make gcc",
			b->def->name, getenv("PATH"), pw->pw_name);
		return -ENOENT;
	}
	if (asuser_on_path("opam") && asuser_on_path("mirage"))
		return 0;
	log_err("recipe %s: %s is not installed for user %s (PATH=%s). Install opam "
		"(apt-get install opam), then as %s: opam init && opam install mirage; or build "
		"offline from a source mirror with --sources DIR",
		b->def->name, asuser_on_path("opam") ? "mirage" : "opam", pw->pw_name,
		getenv("PATH"), pw->pw_name);
	return -ENOENT;
}

static int open_log(struct build *b, const struct passwd *pw, struct recipe_result *r)
{
	/* A clone per repository: --repo may name another one next time. */
	uint64_t h = recipe_cache_hash_str(b->repo);
	int rc;

	if (path_fmt(b->root, sizeof(b->root), "%s/.cache/mir-perf/%s", b->home, b->def->name) ||
	    path_fmt(b->upstream, sizeof(b->upstream), "%s/upstream-%016llx", b->root,
		     (unsigned long long)h) ||
	    path_fmt(b->logpath, sizeof(b->logpath), "%s/build.log", b->root))
		return -ENAMETOOLONG;
	rc = path_mkdir_p(b->root, 0755);
	if (!rc) {
		b->log.fd = open(b->logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (b->log.fd < 0)
			rc = -errno;
	}
	if (rc) {
		log_err("recipe %s: %s (user %s): %s", b->def->name, b->root, pw->pw_name,
			strerror(-rc));
		return rc;
	}
	snprintf(r->log, sizeof(r->log), "%s", b->logpath);
	b->log.path = b->logpath;
	return 0;
}

/* The build, in the child, as the user: 0 or a negative errno, reported here. */
static int child_build(const struct passwd *pw, const struct recipe_def *def,
		       const struct recipe_opts *o, struct recipe_result *r, pid_t parent)
{
	struct build b = {.def = def, .uk = recipe_unikernel_def(o->unikernel), .o = o, .log = {.fd = -1}};
	char what[96];
	char full[RECIPE_HASH_LEN + 1];
	int rc;

	b.repo = o->repo && *o->repo ? o->repo : def->url;
	snprintf(what, sizeof(what), "recipe %s", def->name);
	b.log.what = what;
	rc = asuser_become(pw, b.home, sizeof(b.home));
	if (rc) {
		log_err("recipe %s: cannot become user %s: %s", def->name, pw->pw_name,
			strerror(-rc));
		return rc;
	}
	/* After the uid change, which clears it: set before, a killed
	 * mir-perf would leave the build running. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		return -ECHILD;
	rc = open_log(&b, pw, r);
	if (rc)
		return rc;
	if (o->sources && *o->sources) {
		if (o->toolchain_key && strlen(o->toolchain_key) == 64 &&
		    strspn(o->toolchain_key, "0123456789abcdef") == 64)
			memcpy(b.toolchain_key, o->toolchain_key, 65);
		else
			rc = recipe_offline_key(&b.log, o->src_dir, o->sources, b.toolchain_key);
		if (rc)
			goto out;
		memcpy(r->toolchain_key, b.toolchain_key, sizeof(r->toolchain_key));
	}
	rc = recipe_cache_key(o->src_dir, b.uk->sources, b.uk->nsources, b.toolchain_key,
			      b.srchash);
	if (rc) {
		log_err("recipe %s: the %s sources in %s%s (user %s): %s", def->name, b.uk->name,
			o->src_dir, b.uk->subdir, pw->pw_name, strerror(-rc));
		goto out;
	}
	/* A full hash already built needs no command and no tool at all (a
	 * dom0 served by a cache filled elsewhere has no compiler). */
	if (o->commit && strlen(o->commit) == RECIPE_HASH_LEN) {
		memcpy(full, o->commit, sizeof(full));
		if (!path_fmt(b.dir, sizeof(b.dir), "%s/%s%s", b.root, full, b.uk->dir_suffix) &&
		    recipe_cache_lookup(b.dir, b.srchash, o->unikernel, r)) {
			memcpy(r->commit, full, sizeof(r->commit));
			r->cache_hit = 1;
			goto out;
		}
	}
	/* Anything more reads the mirror's archives: they must be whole. */
	if (b.toolchain_key[0]) {
		rc = recipe_offline_check(&b.log, o->src_dir, o->sources);
		if (rc)
			goto out;
	}
	rc = check_tools(&b, pw);
	if (!rc)
		rc = resolve(&b, o->commit, full);
	if (rc)
		goto out;
	memcpy(r->commit, full, sizeof(r->commit));
	if (path_fmt(b.dir, sizeof(b.dir), "%s/%s%s", b.root, full, b.uk->dir_suffix)) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	if (recipe_cache_lookup(b.dir, b.srchash, o->unikernel, r)) {
		r->cache_hit = 1;
		goto out;
	}
	rc = recipe_git_buildable(&b.log, b.upstream, full);
	if (rc)
		goto out;
	log_info("building %s at %s%s from %s%s%s as %s in %s (log: %s)", def->name, full,
		 b.uk->said, b.repo,
		 b.toolchain_key[0] ? ", offline from " : "", b.toolchain_key[0] ? o->sources : "",
		 pw->pw_name, b.dir, b.logpath);
	rc = path_mkdir_p(b.dir, 0755);
	if (!rc)
		rc = build_at(&b, o->src_dir, full, r);
out:
	if (b.log.fd >= 0)
		close(b.log.fd);
	return rc;
}

/* Wait for the build child: its result on fd, then its status. A stop
 * (SIGINT/SIGTERM to mir-perf) ends the build's whole process group at
 * once: SIGTERM, then SIGKILL after 2 s. 0, or -EINTR when stopped. */
static int build_wait(pid_t pid, int fd, struct recipe_result *r, ssize_t *n, int *status)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	uint64_t kill_at = 0;
	size_t got = 0;
	siginfo_t info;
	pid_t w;

	*n = 0;
	for (;;) {
		if (stop_requested() && !kill_at) {
			kill(-pid, SIGTERM);
			kill_at = mtime_now_ns() + 2 * NSEC_PER_SEC;
		}
		if (kill_at && mtime_now_ns() >= kill_at)
			kill(-pid, SIGKILL);
		if (pfd.fd >= 0 && poll(&pfd, 1, 50) > 0) {
			ssize_t k = read(fd, (char *)r + got, sizeof(*r) - got);

			if (k > 0)
				got += (size_t)k;
			if (k == 0 || got == sizeof(*r))
				pfd.fd = -1; /* result complete or the child closed it */
		} else if (pfd.fd < 0) {
			struct timespec ts = {0, 50 * 1000000L};

			nanosleep(&ts, NULL);
		}
		/* ended? (not reaped yet: while it is a zombie its pid, and
		 * with it the group id, cannot be anyone else's) */
		info.si_pid = 0;
		if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0 &&
		    errno != EINTR)
			return -errno;
		if (info.si_pid == pid)
			break;
	}
	*n = (ssize_t)got;
	if (kill_at)
		kill(-pid, SIGKILL); /* what is left of the group */
	while ((w = waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	if (w < 0)
		return -errno;
	return kill_at ? -EINTR : 0;
}

int recipe_build(const char *name, const struct recipe_opts *o, struct recipe_result *out)
{
	const struct recipe_def *def = find_recipe(name);
	struct passwd pw;
	struct recipe_result r;
	char pwbuf[4096];
	int pipefd[2], status, rc;
	pid_t pid, parent = getpid();
	ssize_t n;

	memset(out, 0, sizeof(*out));
	if (!def) {
		log_err("unknown library '%s': the recipes build mirage-net-xen", name ? name : "");
		return -EINVAL;
	}
	if (!recipe_unikernel_def(o->unikernel)) {
		log_err("recipe %s: no such unikernel (%d): the forwarder or the iperf3 server",
			def->name, (int)o->unikernel);
		return -EINVAL;
	}
	if (o->commit && *o->commit && !recipe_commit_valid(o->commit)) {
		log_err("commit '%s': expected 7 to 40 lower-case hex digits", o->commit);
		return -EINVAL;
	}
	/* git would take a leading '-' for an option (clone gets "--" too). */
	if (o->repo && (o->repo[0] == '-' || strpbrk(o->repo, "\n\r\t "))) {
		log_err("--repo '%s': expected a URL, a local repository or a git bundle", o->repo);
		return -EINVAL;
	}
	rc = asuser_lookup(&pw, pwbuf, sizeof(pwbuf));
	if (rc)
		return rc;
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return rc;
	}
	if (pid == 0) {
		close(pipefd[0]);
		/* its own group: a stop signals the whole build (git, make, ...) */
		setpgid(0, 0);
		memset(&r, 0, sizeof(r));
		rc = child_build(&pw, def, o, &r, parent);
		if (!rc && write(pipefd[1], &r, sizeof(r)) != sizeof(r))
			rc = -EIO;
		_exit(rc ? (rc == -ENOENT ? 3 : rc == -EINVAL ? 2 : rc == -ENOTSUP ? 4 : 1) : 0);
	}
	setpgid(pid, pid);
	close(pipefd[1]);
	rc = build_wait(pid, pipefd[0], &r, &n, &status);
	close(pipefd[0]);
	if (rc)
		return rc;
	if (!WIFEXITED(status))
		return -EINTR;
	switch (WEXITSTATUS(status)) {
	case 0:
		if (n != sizeof(r))
			return -EIO;
		*out = r;
		return 0;
	case 2:
		return -EINVAL;
	case 3:
		return -ENOENT;
	case 4:
		return -ENOTSUP;
	default:
		return -EIO;
	}
}
