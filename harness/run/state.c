#include "harness/run/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/proc.h"
#include "lib/log.h"
#include "lib/vec.h"

#define STATE_MAGIC    "mir-perf-state 1"
#define STATE_LINE_MAX (2 * 3 * PATH_MAX)

struct run_state {
	char id[RUN_ID_MAX + 1];
	char path[PATH_MAX];
	int fd;
	struct state_file live; /* what the file says is live, kept in step */
};

static int recs_add(struct state_file *sf, const struct state_rec *r);
static void recs_remove(struct state_file *sf, const struct state_rec *r);

static const char *const kind_names[STATE_KINDS] = {"netns", "link", "proc", "file", "domain"};
static char dir_override[256];

const char *state_dir(void)
{
	return dir_override[0] ? dir_override : STATE_DIR;
}

void state_set_dir(const char *dir)
{
	snprintf(dir_override, sizeof(dir_override), "%s", dir ? dir : "");
}

int run_id_valid(const char *id)
{
	size_t i, n;

	if (!id)
		return 0;
	n = strlen(id);
	if (n == 0 || n > RUN_ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9')))
			return 0;
	return 1;
}

/* Bytes that would split a field or a line, and '%', become %XX. */
static void field_escape(char *out, size_t len, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (; *s && o + 4 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c >= 0x7f || c == '%') {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int field_unescape(char *out, size_t len, const char *s)
{
	size_t o = 0;

	for (; *s; s++) {
		char c = *s;

		if (c == '%') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (lo < 0)
				return -EINVAL;
			c = (char)(hi << 4 | lo);
			s += 2;
			if (!c)
				return -EINVAL;
		}
		if (o + 1 >= len)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

static int state_mkdir(void)
{
	if (mkdir(state_dir(), 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

/* One whole line per write, synced, so a kill leaves at most a torn last line. */
static int state_write(struct run_state *st, const char *line)
{
	size_t len = strlen(line), off = 0;

	while (off < len) {
		ssize_t n = write(st->fd, line + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return fsync(st->fd) ? -errno : 0;
}

int run_state_create(const char *id, struct run_state **out)
{
	struct run_state *st = NULL;
	char line[256];
	uint64_t start = 0;
	int rc;

	*out = NULL;
	if (id && !run_id_valid(id))
		return -EINVAL;
	rc = state_mkdir();
	if (rc)
		return rc;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->fd = -1;
	if (id) {
		snprintf(st->id, sizeof(st->id), "%s", id);
	} else {
		uint32_t r;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r)) {
			rc = -EIO;
			goto out;
		}
		snprintf(st->id, sizeof(st->id), "%08x", r);
	}
	snprintf(st->path, sizeof(st->path), "%s/run-%s.state", state_dir(), st->id);
	st->fd =
	    open(st->path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (st->fd < 0) {
		rc = -errno;
		goto out;
	}
	rc = proc_stat(getpid(), &start, NULL);
	if (rc)
		goto out_unlink;
	snprintf(line, sizeof(line), STATE_MAGIC "\nrun %s %d %llu\n", st->id, (int)getpid(),
		 (unsigned long long)start);
	rc = state_write(st, line);
	if (rc)
		goto out_unlink;
	*out = st;
	return 0;
out_unlink:
	unlink(st->path);
out:
	if (st->fd >= 0)
		close(st->fd);
	free(st);
	return rc;
}

const char *run_state_id(const struct run_state *st)
{
	return st->id;
}

int run_state_set_platform(struct run_state *st, const char *name)
{
	char line[64];
	size_t n = strlen(name);

	if (n == 0 || n > 15 || strspn(name, "abcdefghijklmnopqrstuvwxyz") != n)
		return -EINVAL;
	snprintf(line, sizeof(line), "platform %s\n", name);
	return state_write(st, line);
}

static int rec_line(char *line, size_t len, char sign, const struct state_rec *r)
{
	char a[3 * PATH_MAX + 1], b[3 * IFNAMSIZ + 1];

	if (r->kind < 0 || r->kind >= STATE_KINDS)
		return -EINVAL;
	field_escape(a, sizeof(a), r->name);
	switch (r->kind) {
	case STATE_LINK:
		field_escape(b, sizeof(b), r->ifname);
		if (!b[0])
			return -EINVAL;
		/* the root namespace is "-", so every field is non-empty */
		snprintf(line, len, "%c%s %s %s\n", sign, kind_names[r->kind], a[0] ? a : "-", b);
		return 0;
	case STATE_PROC:
		if (r->pid <= 0)
			return -EINVAL;
		snprintf(line, len, "%cproc %d %llu\n", sign, (int)r->pid,
			 (unsigned long long)r->starttime);
		return 0;
	default:
		if (!a[0])
			return -EINVAL;
		snprintf(line, len, "%c%s %s\n", sign, kind_names[r->kind], a);
		return 0;
	}
}

int run_state_add(struct run_state *st, const struct state_rec *r)
{
	char line[STATE_LINE_MAX];
	int rc;

	rc = rec_line(line, sizeof(line), '+', r);
	if (!rc)
		rc = recs_add(&st->live, r);
	if (!rc) {
		rc = state_write(st, line);
		if (rc)
			recs_remove(&st->live, r);
	}
	return rc;
}

int run_state_release(struct run_state *st, const struct state_rec *r)
{
	char line[STATE_LINE_MAX];
	int rc;

	rc = rec_line(line, sizeof(line), '-', r);
	if (!rc)
		rc = state_write(st, line);
	if (!rc)
		recs_remove(&st->live, r);
	return rc;
}

unsigned run_state_live(const struct run_state *st)
{
	return st->live.n;
}

int run_state_release_links(struct run_state *st, const char *netns)
{
	unsigned i;
	int rc;

	for (i = st->live.n; i-- > 0;) {
		struct state_rec r = st->live.recs[i];

		if (r.kind != STATE_LINK || strcmp(r.name, netns))
			continue;
		rc = run_state_release(st, &r);
		if (rc)
			return rc;
	}
	return 0;
}

static void rec_fill(struct state_rec *r, enum state_kind kind, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	if (name)
		snprintf(r->name, sizeof(r->name), "%s", name);
}

int run_state_add_netns(struct run_state *st, const char *name)
{
	struct state_rec r;

	rec_fill(&r, STATE_NETNS, name);
	return run_state_add(st, &r);
}

int run_state_add_link(struct run_state *st, const char *netns, const char *ifname)
{
	struct state_rec r;

	rec_fill(&r, STATE_LINK, netns);
	snprintf(r.ifname, sizeof(r.ifname), "%s", ifname);
	return run_state_add(st, &r);
}

int run_state_add_proc(struct run_state *st, pid_t pid)
{
	struct state_rec r;
	int rc;

	rec_fill(&r, STATE_PROC, NULL);
	r.pid = pid;
	rc = proc_starttime(pid, &r.starttime);
	return rc ? rc : run_state_add(st, &r);
}

int run_state_add_file(struct run_state *st, const char *path)
{
	struct state_rec r;

	if (path[0] != '/')
		return -EINVAL; /* cleanup may run from another directory */
	rec_fill(&r, STATE_FILE, path);
	return run_state_add(st, &r);
}

int run_state_release_netns(struct run_state *st, const char *name)
{
	struct state_rec r;

	rec_fill(&r, STATE_NETNS, name);
	return run_state_release(st, &r);
}

int run_state_release_proc(struct run_state *st, pid_t pid)
{
	struct state_rec r;

	rec_fill(&r, STATE_PROC, NULL);
	r.pid = pid;
	return run_state_release(st, &r);
}

int run_state_release_file(struct run_state *st, const char *path)
{
	struct state_rec r;

	rec_fill(&r, STATE_FILE, path);
	return run_state_release(st, &r);
}

int run_state_close(struct run_state *st)
{
	int rc = 0;

	if (!st)
		return 0;
	if (st->live.n == 0)
		unlink(st->path);
	else
		rc = -EBUSY;
	if (st->fd >= 0)
		close(st->fd);
	state_file_free(&st->live);
	free(st);
	return rc;
}

static int kind_of(const char *s, enum state_kind *k)
{
	int i;

	for (i = 0; i < STATE_KINDS; i++)
		if (!strcmp(s, kind_names[i])) {
			*k = (enum state_kind)i;
			return 0;
		}
	return -EINVAL;
}

static int same_resource(const struct state_rec *a, const struct state_rec *b)
{
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case STATE_PROC:
		return a->pid == b->pid;
	case STATE_LINK:
		return !strcmp(a->name, b->name) && !strcmp(a->ifname, b->ifname);
	default:
		return !strcmp(a->name, b->name);
	}
}

/* Fields of one record line into r; message in err. */
static int parse_rec(char *line, struct state_rec *r, char *err, size_t errlen)
{
	char *f[4], *save = NULL, *end;
	unsigned n = 0, want;
	int rc;

	memset(r, 0, sizeof(*r));
	for (char *t = strtok_r(line + 1, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == 4) {
			snprintf(err, errlen, "too many fields");
			return -EINVAL;
		}
		f[n++] = t;
	}
	if (n == 0 || kind_of(f[0], &r->kind)) {
		snprintf(err, errlen, "unknown record '%s'", n ? f[0] : "");
		return -EINVAL;
	}
	want = r->kind == STATE_LINK || r->kind == STATE_PROC ? 3 : 2;
	if (n != want) {
		snprintf(err, errlen, "%s record needs %u fields, has %u", f[0], want - 1, n - 1);
		return -EINVAL;
	}
	if (r->kind == STATE_PROC) {
		errno = 0;
		r->pid = (pid_t)strtol(f[1], &end, 10);
		if (errno || *end || r->pid <= 0) {
			snprintf(err, errlen, "bad pid '%s'", f[1]);
			return -EINVAL;
		}
		r->starttime = strtoull(f[2], &end, 10);
		if (errno || *end) {
			snprintf(err, errlen, "bad start time '%s'", f[2]);
			return -EINVAL;
		}
		return 0;
	}
	rc = field_unescape(r->name, sizeof(r->name), f[1]);
	if (!rc && r->kind == STATE_LINK) {
		if (!strcmp(r->name, "-"))
			r->name[0] = '\0';
		rc = field_unescape(r->ifname, sizeof(r->ifname), f[2]);
	}
	if (rc) {
		snprintf(err, errlen, "bad field '%.200s'", f[1]);
	} else if (r->kind == STATE_FILE && r->name[0] != '/') {
		snprintf(err, errlen, "file path '%.200s' is not absolute", r->name);
		rc = -EINVAL;
	}
	return rc;
}

static int recs_add(struct state_file *sf, const struct state_rec *r)
{
	int rc = VEC_ROOM(sf->recs, sf->n, sf->alloc, 16);

	if (rc)
		return rc;
	sf->recs[sf->n++] = *r;
	return 0;
}

/* The last live record of the same resource goes. */
static void recs_remove(struct state_file *sf, const struct state_rec *r)
{
	unsigned i;

	for (i = sf->n; i-- > 0;)
		if (same_resource(&sf->recs[i], r))
			break;
	if (i < sf->n) {
		memmove(&sf->recs[i], &sf->recs[i + 1], (sf->n - i - 1) * sizeof(*r));
		sf->n--;
	}
}

int state_parse(FILE *f, struct state_file *out, char *err, size_t errlen)
{
	char *line = NULL, what[256] = "";
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct state_rec r;

		lineno++;
		if (len == 0 || line[len - 1] != '\n')
			break; /* torn by a kill in mid-write: never acted upon */
		line[--len] = '\0';
		if (lineno == 1) {
			if (strcmp(line, STATE_MAGIC)) {
				snprintf(what, sizeof(what), "not a mir-perf state file");
				rc = -EINVAL;
				break;
			}
			continue;
		}
		if (lineno == 2) {
			char id[64];
			int pid;
			unsigned long long start;
			char extra;

			if (sscanf(line, "run %63s %d %llu %c", id, &pid, &start, &extra) != 3 ||
			    !run_id_valid(id) || pid <= 0) {
				snprintf(what, sizeof(what), "expected 'run ID PID STARTTIME'");
				rc = -EINVAL;
				break;
			}
			memcpy(out->id, id, strlen(id) + 1);
			out->owner = pid;
			out->owner_start = start;
			continue;
		}
		if (!strncmp(line, "platform ", 9)) {
			const char *name = line + 9;
			size_t n = strlen(name);

			if (n == 0 || n >= sizeof(out->platform) ||
			    strspn(name, "abcdefghijklmnopqrstuvwxyz") != n) {
				snprintf(what, sizeof(what), "bad platform name '%s'", name);
				rc = -EINVAL;
				break;
			}
			memcpy(out->platform, name, n + 1);
			continue;
		}
		if (line[0] != '+' && line[0] != '-') {
			snprintf(what, sizeof(what), "expected '+' or '-' record");
			rc = -EINVAL;
			break;
		}
		rc = parse_rec(line, &r, what, sizeof(what));
		if (rc)
			break;
		if (line[0] == '+') {
			rc = recs_add(out, &r);
			if (rc)
				break;
		} else {
			recs_remove(out, &r);
		}
	}
	if (!rc && lineno < 2) {
		snprintf(what, sizeof(what), "no header");
		rc = -EINVAL;
	}
	free(line);
	if (rc) {
		if (rc == -EINVAL && errlen)
			snprintf(err, errlen, "line %u: %s", lineno, what);
		state_file_free(out);
	}
	return rc;
}

void state_file_free(struct state_file *sf)
{
	free(sf->recs);
	sf->recs = NULL;
	sf->n = sf->alloc = 0;
}
