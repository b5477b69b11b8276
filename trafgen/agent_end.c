/* The agent's ends; see agent_end.h. */
#include "trafgen/agent_end.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/netns.h"
#include "lib/proc.h"

#define END_STOP_GRACE_NS (2 * NSEC_PER_SEC)

struct end {
	unsigned id; /* 0: free */
	pid_t pid;
	int ended, status;
	char out[64];
};

struct agent_ends {
	struct end e[AGENT_END_MAX];
	unsigned next_id;
};

int agent_ends_new(struct agent_ends **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

static void end_release(struct end *x)
{
	if (!x->id)
		return;
	proc_stop_group(x->pid, x->ended, END_STOP_GRACE_NS);
	unlink(x->out);
	memset(x, 0, sizeof(*x));
}

void agent_ends_free(struct agent_ends *e)
{
	unsigned i;

	if (!e)
		return;
	for (i = 0; i < AGENT_END_MAX; i++)
		end_release(&e->e[i]);
	free(e);
}

int agent_ends_is_request(const char *cmd)
{
	return !strcmp(cmd, "end_start") || !strcmp(cmd, "end_poll") ||
	       !strcmp(cmd, "end_read") || !strcmp(cmd, "end_stop");
}

static int fail(char *err, size_t len, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t len, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return rc;
}

/* A plain word: what iperf3's options and their values are made of. '/'
 * only for rr (its sizes Q/R): iperf3 has options that take a path (-F,
 * --logfile), rr none. */
static int word_ok(const char *s, int slash_ok)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(".:=_,+-", *s) || (slash_ok && *s == '/')))
			return 0;
	return 1;
}

/* The program of an end_start: iperf3 (the default), or "rr", this very
 * binary's `rr client` or `rr server` (the rr mode's ends). *rr set. */
static int prog_get(const struct json_field *prog, const char *first, int *rr, char *err,
		    size_t len)
{
	*rr = 0;
	if (!prog || (prog->type == JSON_T_STRING && !strcmp(prog->val, "iperf3")))
		return 0;
	if (prog->type != JSON_T_STRING || strcmp(prog->val, "rr"))
		return fail(err, len, -EINVAL,
			    "\"prog\": expected \"iperf3\" or \"rr\", got '%.40s'", prog->val);
	if (!first || (strcmp(first, "client") && strcmp(first, "server")))
		return fail(err, len, -EINVAL,
			    "\"args\": rr's first word must be client or server, got '%.40s'",
			    first ? first : "");
	*rr = 1;
	return 0;
}

static int get_uint(const struct json_field *f, int n, const char *key, int need,
		    unsigned long long *v, char *err, size_t len)
{
	const struct json_field *x = json_flat_get(f, n, key);
	char *end;

	if (!x)
		return need ? fail(err, len, -EINVAL, "no \"%s\"", key) : 1;
	errno = 0;
	*v = x->type == JSON_T_NUMBER ? strtoull(x->val, &end, 10) : 0;
	if (x->type != JSON_T_NUMBER || errno || *end || x->val[0] == '-')
		return fail(err, len, -EINVAL, "\"%s\": expected a whole number, got '%.40s'", key,
			    x->val);
	return 0;
}

static struct end *find(struct agent_ends *e, const struct json_field *f, int n, char *err,
			size_t len, int *rc)
{
	unsigned long long id;
	unsigned i;

	*rc = get_uint(f, n, "id", 1, &id, err, len);
	if (*rc)
		return NULL;
	for (i = 0; i < AGENT_END_MAX; i++)
		if (e->e[i].id && e->e[i].id == id)
			return &e->e[i];
	*rc = fail(err, len, -ENOENT, "no end with id %llu", id);
	return NULL;
}

static int end_start(struct agent_ends *e, const struct json_field *f, int n,
		     struct json_writer *w, char *err, size_t len)
{
	const struct json_field *args = json_flat_get(f, n, "args");
	const struct json_field *ns = json_flat_get(f, n, "netns");
	const struct json_field *prog = json_flat_get(f, n, "prog");
	char **words = NULL, **argv = NULL, why[256], self[PATH_MAX];
	struct end *x = NULL;
	size_t nw = 0, i, first;
	ssize_t sl;
	int rc, rr;

	if (!args || args->type != JSON_T_STRING)
		return fail(err, len, -EINVAL, "no \"args\" string (the program's arguments)");
	if (ns && (ns->type != JSON_T_STRING || !netns_name_valid(ns->val) ||
		   !netns_exists(ns->val)))
		return fail(err, len, -ENOENT, "\"netns\": no namespace '%.64s' in " NETNS_RUN_DIR,
			    ns->val);
	for (i = 0; i < AGENT_END_MAX && !x; i++)
		if (!e->e[i].id)
			x = &e->e[i];
	if (!x)
		return fail(err, len, -EBUSY, "%d ends already: end_stop one first", AGENT_END_MAX);
	rc = proc_argv_split(args->val, &words, why, sizeof(why));
	if (rc)
		return fail(err, len, rc, "\"args\": %s", why);
	while (words[nw])
		nw++;
	rc = prog_get(prog, words[0], &rr, err, len);
	if (rc)
		goto out;
	argv = calloc(nw + 3, sizeof(*argv));
	if (!argv) {
		rc = -ENOMEM;
		snprintf(err, len, "out of memory");
		goto out;
	}
	argv[0] = "iperf3";
	first = 1;
	if (rr) {
		/* ourselves, not a name in PATH: the guest's mir-trafgen is where
		 * its initramfs put it */
		sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (sl < 0) {
			rc = fail(err, len, -errno, "cannot find this program: /proc/self/exe: %s",
				  strerror(errno));
			goto out;
		}
		self[sl] = '\0';
		argv[0] = self;
		argv[1] = "rr";
		first = 2;
	}
	for (i = 0; i < nw; i++) {
		if (!word_ok(words[i], rr)) {
			rc = fail(err, len, -EINVAL, "\"args\": '%.64s' is not a plain word (%s)",
				  words[i], rr ? "[A-Za-z0-9.:=_,+/-]" : "[A-Za-z0-9.:=_,+-]");
			goto out;
		}
		argv[i + first] = words[i];
	}
	memset(x, 0, sizeof(*x));
	/* the pid too: two agents on one host (the local platform) share /run */
	snprintf(x->out, sizeof(x->out), AGENT_END_DIR "/mp-end-%d-%u.out", (int)getpid(),
		 e->next_id + 1);
	{
		struct proc_spawn s = {.netns = ns ? ns->val : NULL, .argv = argv, .log = x->out};

		rc = proc_spawn(&s, &x->pid);
	}
	if (rc) {
		fail(err, len, rc, "cannot start %s: %s", rr ? "mir-trafgen rr" : "iperf3",
		     strerror(-rc));
		unlink(x->out);
		memset(x, 0, sizeof(*x));
		goto out;
	}
	x->id = ++e->next_id;
	json_kv_u64(w, "id", x->id);
	/* on the guest's console (saved by the harness): what ran where */
	log_info("end %u: %s %s%s%s (pid %d)", x->id, rr ? "mir-trafgen rr" : "iperf3", args->val,
		 ns ? " in namespace " : "", ns ? ns->val : "", (int)x->pid);
out:
	free(argv);
	proc_argv_free(words);
	return rc;
}

/* A TCP socket of pid's namespace in LISTEN on port (any address). */
static int listening(pid_t pid, unsigned port)
{
	char path[64], line[256], want[16];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/tcp", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	snprintf(want, sizeof(want), ":%04X", port);
	while (!found && fgets(line, sizeof(line), f)) {
		char local[64], remote[64], st[8];

		found = sscanf(line, " %*[0-9]: %63s %63s %7s", local, remote, st) == 3 &&
			strlen(local) > 5 && !strcmp(local + strlen(local) - 5, want) &&
			!strcmp(st, "0A");
	}
	fclose(f);
	return found;
}

static int end_poll(struct end *x, const struct json_field *f, int n, struct json_writer *w,
		    char *err, size_t len)
{
	unsigned long long port;
	struct stat st;
	int rc;

	rc = get_uint(f, n, "port", 0, &port, err, len);
	if (rc < 0)
		return rc;
	if (!rc && (port == 0 || port > 65535))
		return fail(err, len, -EINVAL, "\"port\": expected 1..65535, got %llu", port);
	/* before proc_poll: a reaped process has no /proc/PID/net */
	if (!rc && !x->ended)
		json_kv_bool(w, "listening", listening(x->pid, (unsigned)port));
	if (!x->ended && proc_poll(x->pid, &x->status))
		x->ended = 1;
	json_kv_bool(w, "running", !x->ended);
	if (x->ended)
		json_kv_u64(w, "status", (unsigned)x->status);
	json_kv_u64(w, "size", stat(x->out, &st) ? 0 : (uint64_t)st.st_size);
	return 0;
}

static int end_read(struct end *x, const struct json_field *f, int n, struct json_writer *w,
		    char *err, size_t len)
{
	unsigned long long off;
	char buf[AGENT_END_CHUNK + 1];
	struct stat st;
	ssize_t got;
	int fd, rc;

	rc = get_uint(f, n, "offset", 1, &off, err, len);
	if (rc)
		return rc;
	fd = open(x->out, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return fail(err, len, -errno, "%s: %s", x->out, strerror(errno));
	got = pread(fd, buf, AGENT_END_CHUNK, (off_t)off);
	rc = got < 0 || fstat(fd, &st) ? -errno : 0;
	close(fd);
	if (rc)
		return fail(err, len, rc, "%s: %s", x->out, strerror(-rc));
	buf[got] = '\0';
	for (ssize_t i = 0; i < got; i++)
		if (!buf[i])
			buf[i] = '?';
	json_kv_str(w, "data", buf);
	json_kv_bool(w, "eof", x->ended && (off_t)off + got >= st.st_size);
	return 0;
}

int agent_ends_request(struct agent_ends *e, const char *cmd, const struct json_field *f, int n,
		       struct json_writer *w, char *err, size_t errlen)
{
	struct end *x;
	int rc;

	if (!strcmp(cmd, "end_start"))
		return end_start(e, f, n, w, err, errlen);
	x = find(e, f, n, err, errlen, &rc);
	if (!x)
		return rc;
	if (!strcmp(cmd, "end_poll"))
		return end_poll(x, f, n, w, err, errlen);
	if (!strcmp(cmd, "end_read"))
		return end_read(x, f, n, w, err, errlen);
	end_release(x); /* end_stop */
	return 0;
}
