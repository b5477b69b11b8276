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

/* The forwarder's sources, copied into every build and hashed for the cache key. */
static const char *const sources[] = {"config.ml", "unikernel.ml"};

#define NSOURCES (sizeof(sources) / sizeof(sources[0]))

/* The build child's context: everything below runs as the user, in the child. */
struct build {
	const struct recipe_def *def;
	char home[PATH_MAX];
	char root[PATH_MAX];	 /* ~/.cache/mir-perf/<recipe> */
	char upstream[PATH_MAX]; /* root/upstream: a clone, fetched each build */
	char dir[PATH_MAX];	 /* root/<full hash> */
	char logpath[PATH_MAX];
	struct asuser_log log; /* the build log: every command's output */
	char srchash[17];
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

/* FNV-1a of the forwarder sources: part of the cache key. */
static int hash_sources(const char *src_dir, char *out)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char path[PATH_MAX];
	size_t i;
	int c;

	for (i = 0; i < NSOURCES; i++) {
		FILE *f;

		if (path_fmt(path, sizeof(path), "%s/%s", src_dir, sources[i]))
			return -ENAMETOOLONG;
		f = fopen(path, "re");
		if (!f)
			return -errno;
		while ((c = getc(f)) != EOF) {
			h ^= (unsigned char)c;
			h *= 0x100000001b3ULL;
		}
		h ^= 0xff; /* file boundary */
		h *= 0x100000001b3ULL;
		fclose(f);
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
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

/* The vif line of mirage's .xl.in: vif = [ 'bridge=@NETWORK:a@', ... ]. The
 * order is the devid order; the names are the ones config.ml gave. */
static int parse_xl_in(const char *path, char netif[2][32])
{
	char *line = NULL, *p;
	size_t cap = 0;
	unsigned n = 0;
	int rc = -EINVAL;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, "vif", 3) || !strchr(line, '['))
			continue;
		for (p = strstr(line, "@NETWORK:"); p; p = strstr(p, "@NETWORK:")) {
			char *end;

			p += strlen("@NETWORK:");
			end = strchr(p, '@');
			if (!end || end == p || (size_t)(end - p) >= sizeof(netif[0]) || n == 2) {
				n = 3;
				break;
			}
			memcpy(netif[n], p, end - p);
			netif[n][end - p] = '\0';
			n++;
			p = end + 1;
		}
		rc = n == 2 ? 0 : -EINVAL;
		break;
	}
	free(line);
	fclose(f);
	return rc;
}

static int stamp_path(const struct build *b, char *out, size_t len)
{
	return path_fmt(out, len, "%s/mir-perf.stamp", b->dir);
}

/* A finished build records its source hash and outputs; a hit needs all three. */
static int cache_lookup(struct build *b, struct recipe_result *r)
{
	char path[PATH_MAX], src[32] = "";
	int ok = 0;
	FILE *f;

	if (stamp_path(b, path, sizeof(path)))
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "source %16s\n", src) == 1 && !strcmp(src, b->srchash) &&
	    fscanf(f, "kernel %4095[^\n]\n", r->kernel) == 1 &&
	    fscanf(f, "xl_in %4095[^\n]\n", r->xl_in) == 1 && access(r->kernel, R_OK) == 0 &&
	    parse_xl_in(r->xl_in, r->netif) == 0)
		ok = 1;
	fclose(f);
	return ok;
}

static int cache_store(struct build *b, const struct recipe_result *r)
{
	char path[PATH_MAX];
	FILE *f;

	if (stamp_path(b, path, sizeof(path)))
		return -ENAMETOOLONG;
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fprintf(f, "source %s\nkernel %s\nxl_in %s\n", b->srchash, r->kernel, r->xl_in);
	return fclose(f) ? -errno : 0;
}

/* The upstream clone, fetched so that any commit can be checked out. */
static int sync_upstream(struct build *b)
{
	char git_dir[PATH_MAX + 8];

	if (path_fmt(git_dir, sizeof(git_dir), "%s/.git", b->upstream))
		return -ENAMETOOLONG;
	if (access(git_dir, F_OK) == 0) {
		char *const fetch[] = {"git",	  "-C",	    b->upstream, "fetch",
				       "--quiet", "origin", NULL};

		return asuser_run(&b->log, b->root, fetch, NULL, 0);
	}
	rm_rf(b->upstream);
	{
		char *const clone[] = {
		    "git",	 "clone", "--quiet", "--no-checkout", (char *)b->def->url,
		    b->upstream, NULL};

		return asuser_run(&b->log, b->root, clone, NULL, 0);
	}
}

/* COMMIT to a full hash: the default branch head through ls-remote, a short
 * id through the clone. Only validated hex reaches git. */
static int resolve(struct build *b, const char *commit, char *full)
{
	char out[512], spec[64];
	int rc;

	if (!commit || !*commit) {
		char *const ls[] = {"git", "ls-remote", (char *)b->def->url, "HEAD", NULL};

		rc = asuser_run(&b->log, b->root, ls, out, sizeof(out));
		if (!rc && take_hash(out, full)) {
			log_err("recipe %s: git ls-remote %s HEAD gave no commit (see %s)",
				b->def->name, b->def->url, b->log.path);
			rc = -EIO;
		}
		return rc;
	}
	if (strlen(commit) == RECIPE_HASH_LEN) {
		strcpy(full, commit);
		return 0;
	}
	rc = sync_upstream(b);
	if (rc)
		return rc;
	snprintf(spec, sizeof(spec), "%s^{commit}", commit);
	{
		char *const rev[] = {"git",	 "-C",	    b->upstream, "rev-parse",
				     "--verify", "--quiet", spec,	 NULL};

		rc = asuser_run(&b->log, b->root, rev, out, sizeof(out));
	}
	if (rc || take_hash(out, full) || strncmp(full, commit, strlen(commit))) {
		log_err("recipe %s: commit %s is not in %s", b->def->name, commit, b->def->url);
		return -EINVAL;
	}
	return 0;
}

static int build_at(struct build *b, const char *src_dir, const char *full, struct recipe_result *r)
{
	char work[PATH_MAX], lib[PATH_MAX + 64], out[512], src[PATH_MAX], dst[PATH_MAX + 32];
	size_t i;
	int rc;

	if (path_fmt(work, sizeof(work), "%s/build", b->dir) ||
	    path_fmt(lib, sizeof(lib), "%s/duniverse/%s", work, b->def->duniverse_dir))
		return -ENAMETOOLONG;
	rc = rm_rf(work);
	if (!rc)
		rc = path_mkdir_p(work, 0755);
	for (i = 0; i < NSOURCES && !rc; i++) {
		if (path_fmt(src, sizeof(src), "%s/%s", src_dir, sources[i]) ||
		    path_fmt(dst, sizeof(dst), "%s/%s", work, sources[i]))
			return -ENAMETOOLONG;
		rc = copy_file(src, dst);
	}
	if (rc) {
		log_err("recipe %s: preparing %s: %s", b->def->name, work, strerror(-rc));
		return rc;
	}
	{
		char *const configure[] = {"mirage", "configure", "-t", "xen", NULL};
		char *const depend[] = {"make", "depend", NULL};

		rc = asuser_run(&b->log, work, configure, NULL, 0);
		if (!rc)
			rc = asuser_run(&b->log, work, depend, NULL, 0);
	}
	if (!rc)
		rc = sync_upstream(b);
	if (rc)
		return rc;
	/* The library under test replaces what opam-monorepo vendored. */
	rc = rm_rf(lib);
	if (rc) {
		log_err("recipe %s: removing %s: %s", b->def->name, lib, strerror(-rc));
		return rc;
	}
	{
		char *const clone[] = {"git", "clone", "--quiet", b->upstream, lib, NULL};
		char *const checkout[] = {"git",     "-C",	 lib,	       "checkout",
					  "--quiet", "--detach", (char *)full, NULL};
		char *const head[] = {"git", "-C", lib, "rev-parse", "HEAD", NULL};
		char *const build[] = {"make", "build", NULL};
		char got[RECIPE_HASH_LEN + 1];

		rc = asuser_run(&b->log, work, clone, NULL, 0);
		if (!rc)
			rc = asuser_run(&b->log, work, checkout, NULL, 0);
		if (!rc)
			rc = asuser_run(&b->log, work, head, out, sizeof(out));
		if (!rc && (take_hash(out, got) || strcmp(got, full))) {
			log_err("recipe %s: %s is at %.40s, not at %s", b->def->name, lib, out,
				full);
			return -EIO;
		}
		if (!rc)
			rc = asuser_run(&b->log, work, build, NULL, 0);
	}
	if (rc)
		return rc;
	if (find_output(work, ".xen", r->kernel, sizeof(r->kernel)) ||
	    find_output(work, ".xl.in", r->xl_in, sizeof(r->xl_in))) {
		log_err("recipe %s: `make build` succeeded but %s/dist holds no single .xen and "
			".xl.in (see %s)",
			b->def->name, work, b->log.path);
		return -EIO;
	}
	if (parse_xl_in(r->xl_in, r->netif)) {
		log_err("recipe %s: %s: expected a vif line with two @NETWORK:name@ entries",
			b->def->name, r->xl_in);
		return -EIO;
	}
	return cache_store(b, r);
}

/* The build, in the child, as the user: 0 or a negative errno, reported here. */
static int child_build(const struct passwd *pw, const struct recipe_def *def, const char *commit,
		       const char *src_dir, struct recipe_result *r, pid_t parent)
{
	struct build b = {.def = def, .log = {.fd = -1}};
	char what[96];
	char full[RECIPE_HASH_LEN + 1];
	int rc;

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
	rc = hash_sources(src_dir, b.srchash);
	if (rc) {
		log_err("recipe %s: the forwarder sources in %s (user %s): %s", def->name, src_dir,
			pw->pw_name, strerror(-rc));
		return rc;
	}
	if (!asuser_on_path("opam") || !asuser_on_path("mirage")) {
		log_err("recipe %s: %s is not installed for user %s (PATH=%s). Install opam "
			"(apt-get install opam), then as %s: opam init && opam install mirage",
			def->name, asuser_on_path("opam") ? "mirage" : "opam", pw->pw_name,
			getenv("PATH"), pw->pw_name);
		return -ENOENT;
	}
	if (path_fmt(b.root, sizeof(b.root), "%s/.cache/mir-perf/%s", b.home, def->name) ||
	    path_fmt(b.upstream, sizeof(b.upstream), "%s/upstream", b.root) ||
	    path_fmt(b.logpath, sizeof(b.logpath), "%s/build.log", b.root))
		return -ENAMETOOLONG;
	rc = path_mkdir_p(b.root, 0755);
	if (!rc) {
		b.log.fd = open(b.logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (b.log.fd < 0)
			rc = -errno;
	}
	if (rc) {
		log_err("recipe %s: %s: %s", def->name, b.root, strerror(-rc));
		return rc;
	}
	snprintf(r->log, sizeof(r->log), "%s", b.logpath);
	snprintf(what, sizeof(what), "recipe %s", def->name);
	b.log.what = what;
	b.log.path = b.logpath;
	rc = resolve(&b, commit, full);
	if (rc)
		goto out;
	memcpy(r->commit, full, sizeof(r->commit));
	if (path_fmt(b.dir, sizeof(b.dir), "%s/%s", b.root, full)) {
		rc = -ENAMETOOLONG;
		goto out;
	}
	if (cache_lookup(&b, r)) {
		r->cache_hit = 1;
		goto out;
	}
	log_info("building %s at %s as %s in %s (log: %s)", def->name, full, pw->pw_name, b.dir,
		 b.logpath);
	rc = path_mkdir_p(b.dir, 0755);
	if (!rc)
		rc = build_at(&b, src_dir, full, r);
out:
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

int recipe_build(const char *name, const char *commit, const char *src_dir,
		 struct recipe_result *out)
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
	if (commit && *commit && !recipe_commit_valid(commit)) {
		log_err("commit '%s': expected 7 to 40 lower-case hex digits", commit);
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
		rc = child_build(&pw, def, commit, src_dir, &r, parent);
		if (!rc && write(pipefd[1], &r, sizeof(r)) != sizeof(r))
			rc = -EIO;
		_exit(rc ? (rc == -ENOENT ? 3 : rc == -EINVAL ? 2 : 1) : 0);
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
	default:
		return -EIO;
	}
}
