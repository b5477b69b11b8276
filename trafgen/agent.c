#include "trafgen/agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "trafgen/endpoint.h"
#include "trafgen/proto.h"
#include "trafgen/report.h"
#include "trafgen/rx.h"
#include "trafgen/tx.h"

/* A connection must authenticate within this: an idle or hostile one only
 * holds a slot that long, and the real client (which sends its hello at
 * once) is never kept waiting behind it. */
#define AGENT_HELLO_TIMEOUT_NS (1 * NSEC_PER_SEC)
#define AGENT_SEND_TIMEOUT_S   5
/* Connections at once: the one authenticated session and pending ones. */
#define AGENT_CONNS 16
#define AGENT_NICE  (-10)

struct conn {
	int fd; /* -1: free slot */
	int authed;
	uint64_t accepted_ns;
	size_t in_len;
	int discarding; /* inside a line longer than PROTO_LINE_MAX */
	int closing;	/* close the client after this reply */
	char in[PROTO_LINE_MAX + 1];
};

struct agent {
	struct endpoint ep;
	int lfd, sfd;
	int unix_bound; /* this agent made ep.path and removes it */
	char token[PROTO_TOKEN_MAX + 1];
	size_t token_len;
	struct conn conns[AGENT_CONNS];
	struct conn *c; /* the connection being served */
	struct tx_engine *tx;
	struct rx_engine *rx;
	struct tg_tx_params tx_params;
};

int agent_token_equal(const char *presented, const char *expected, size_t expected_len)
{
	size_t plen = strnlen(presented, PROTO_TOKEN_MAX + 1), i;
	unsigned char diff = (unsigned char)(plen != expected_len);

	for (i = 0; i < PROTO_TOKEN_MAX; i++) {
		unsigned char a = i < plen ? (unsigned char)presented[i] : 0;
		unsigned char b = i < expected_len ? (unsigned char)expected[i] : 0;

		diff |= a ^ b;
	}
	return diff == 0;
}

int agent_token_read(const char *path, char *token, size_t *token_len, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen,
			 "'%.200s': %s; expected a file of mode 0600 holding the token", path,
			 strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%.200s': expected a regular file", path);
		rc = -EINVAL;
		goto out;
	}
	/* Only we (or root) may have put it there: another user's file could
	 * hold a token they know. */
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		snprintf(err, errlen, "'%.200s' belongs to uid %u; expected uid %u (ours) or root",
			 path, (unsigned)st.st_uid, (unsigned)geteuid());
		rc = -EACCES;
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(
		    err, errlen,
		    "'%.200s' has mode %04o: group or others may read it; expected 0600 or 0400",
		    path, (unsigned)(st.st_mode & 07777));
		rc = -EACCES;
		goto out;
	}
	n = read(fd, token, PROTO_TOKEN_MAX + 1);
	if (n < 0) {
		rc = -errno;
		snprintf(err, errlen, "'%.200s': %s", path, strerror(errno));
		goto out;
	}
	while (n > 0 && (token[n - 1] == '\n' || token[n - 1] == '\r'))
		n--;
	if (n <= 0 || (size_t)n > PROTO_TOKEN_MAX || memchr(token, '\n', (size_t)n) ||
	    memchr(token, '\0', (size_t)n)) {
		snprintf(err, errlen, "'%.200s': expected one line of 1..%d bytes", path,
			 PROTO_TOKEN_MAX);
		rc = -EINVAL;
		goto out;
	}
	token[n] = '\0';
	*token_len = (size_t)n;
	rc = 0;
out:
	close(fd);
	return rc;
}

static int agent_listen(struct agent *a, char *err, size_t errlen)
{
	int one = 1, rc;
	mode_t old;

	a->lfd = socket(a->ep.family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (a->lfd < 0)
		goto fail;
	if (a->ep.family == AF_UNIX) {
		struct stat st;

		/* Replace only a stale socket, never any other file. */
		if (!lstat(a->ep.path, &st)) {
			if (!S_ISSOCK(st.st_mode)) {
				snprintf(err, errlen, "'%.200s' exists and is not a socket",
					 a->ep.path);
				return -EEXIST;
			}
			unlink(a->ep.path);
		}
		/* The socket file is made 0600 by bind itself (fchmod on an
		 * unbound unix socket sets the mode bind gives it, and the umask
		 * covers kernels that ignore that): never chmod by path after. */
		if (fchmod(a->lfd, 0600))
			goto fail;
		old = umask(0177);
		rc = bind(a->lfd, (struct sockaddr *)&a->ep.addr, a->ep.len);
		umask(old);
		if (rc)
			goto fail;
		a->unix_bound = 1;
	} else {
		setsockopt(a->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(a->lfd, (struct sockaddr *)&a->ep.addr, a->ep.len))
			goto fail;
	}
	if (listen(a->lfd, AGENT_CONNS))
		goto fail;
	return 0;
fail:
	rc = -errno;
	snprintf(err, errlen, "cannot listen: %s", strerror(errno));
	return rc;
}

int agent_open(const char *listen, const char *token_file, struct agent **out, const char **bad_opt,
	       char *err, size_t errlen)
{
	struct agent *a;
	sigset_t sigs;
	unsigned i;
	int rc;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->lfd = a->sfd = -1;
	for (i = 0; i < AGENT_CONNS; i++)
		a->conns[i].fd = -1;
	a->c = &a->conns[0];
	*bad_opt = "--listen";
	rc = endpoint_parse(listen, &a->ep, err, errlen);
	if (rc)
		goto err;
	*bad_opt = "--token-file";
	rc = agent_token_read(token_file, a->token, &a->token_len, err, errlen);
	if (rc)
		goto err;
	*bad_opt = "--listen";
	rc = agent_listen(a, err, errlen);
	if (rc)
		goto err;
	*bad_opt = NULL;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	a->sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (a->sfd < 0) {
		rc = -errno;
		snprintf(err, errlen, "signalfd: %s", strerror(errno));
		goto err;
	}
	*out = a;
	return 0;
err:
	agent_close(a);
	return rc;
}

static void conn_drop(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->authed = 0;
	c->in_len = 0;
	c->discarding = 0;
	c->closing = 0;
}

static void agent_drop_client(struct agent *a)
{
	conn_drop(a->c);
}

/* The authenticated connection other than the one being served, if any. */
static int agent_has_session(const struct agent *a)
{
	unsigned i;

	for (i = 0; i < AGENT_CONNS; i++)
		if (&a->conns[i] != a->c && a->conns[i].fd >= 0 && a->conns[i].authed)
			return 1;
	return 0;
}

/* Send one reply line; a client that does not read for AGENT_SEND_TIMEOUT_S
 * is dropped. */
static void agent_send(struct agent *a, const char *s, size_t len)
{
	while (len && a->c->fd >= 0) {
		ssize_t n = send(a->c->fd, s, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			agent_drop_client(a);
			return;
		}
		s += n;
		len -= (size_t)n;
	}
}

struct reply {
	char *buf;
	size_t len;
	FILE *f;
	struct json_writer w;
};

static int reply_begin(struct reply *r, int ok)
{
	r->buf = NULL;
	r->f = open_memstream(&r->buf, &r->len);
	if (!r->f)
		return -ENOMEM;
	json_init(&r->w, r->f, 0);
	json_obj_begin(&r->w);
	json_kv_bool(&r->w, "ok", ok);
	return 0;
}

static void reply_end(struct agent *a, struct reply *r)
{
	json_obj_end(&r->w);
	fputc('\n', r->f);
	if (!fclose(r->f))
		agent_send(a, r->buf, r->len);
	free(r->buf);
}

static void reply_error(struct agent *a, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reply_error(struct agent *a, int err, const char *fmt, ...)
{
	struct reply r;
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (reply_begin(&r, 0))
		return;
	json_kv_str(&r.w, "error", text);
	json_kv_u64(&r.w, "errno", (uint64_t)(err < 0 ? -err : err));
	reply_end(a, &r);
}

static void agent_status_fields(struct agent *a, struct json_writer *w)
{
	struct tg_tx_report tx;
	struct tg_rx_report rx;

	json_kv_bool(w, "has_tx", a->tx != NULL);
	if (a->tx) {
		tx_engine_report(a->tx, &tx);
		proto_tx_report_write(w, "tx_", &tx);
	}
	json_kv_bool(w, "has_rx", a->rx != NULL);
	if (a->rx) {
		rx_engine_report(a->rx, &rx);
		proto_rx_report_write(w, "rx_", &rx);
	}
}

static const char *const agent_skip_cmd[] = {"cmd", NULL};

static void agent_tx_start(struct agent *a, const struct json_field *f, int n)
{
	struct tg_tx_params p;
	char err[256];
	struct reply r;
	int rc;

	rc = proto_tx_params_read(f, n, agent_skip_cmd, &p, err, sizeof(err));
	if (rc) {
		reply_error(a, rc, "tx_start: %s", err);
		return;
	}
	if (a->tx && !tx_engine_done(a->tx)) {
		reply_error(a, -EBUSY, "tx_start: the generator is running; tx_stop first");
		return;
	}
	tx_engine_free(a->tx);
	a->tx = NULL;
	rc = tx_engine_start(&p, &a->tx);
	if (rc) {
		report_engine_error(err, sizeof(err), rc, p.dev);
		reply_error(a, rc, "tx_start: %s", err);
		return;
	}
	a->tx_params = p;
	log_verbose("tx started on %s", p.dev);
	if (!reply_begin(&r, 1))
		reply_end(a, &r);
}

static void agent_rx_start(struct agent *a, const struct json_field *f, int n)
{
	struct tg_rx_params p;
	char err[256];
	struct reply r;
	int rc;

	rc = proto_rx_params_read(f, n, agent_skip_cmd, &p, err, sizeof(err));
	if (rc) {
		reply_error(a, rc, "rx_start: %s", err);
		return;
	}
	if (a->rx && !rx_engine_done(a->rx)) {
		reply_error(a, -EBUSY, "rx_start: the sink is running; rx_stop first");
		return;
	}
	rx_engine_free(a->rx);
	a->rx = NULL;
	rc = rx_engine_start(&p, 0, &a->rx);
	if (rc) {
		report_engine_error(err, sizeof(err), rc, p.dev);
		reply_error(a, rc, "rx_start: %s", err);
		return;
	}
	log_verbose("rx started on %s", p.dev);
	if (!reply_begin(&r, 1))
		reply_end(a, &r);
}

static void agent_stop(struct agent *a, int tx)
{
	struct tg_tx_report txr;
	struct tg_rx_report rxr;
	struct reply r;
	int rc;

	if (tx ? !a->tx : !a->rx) {
		reply_error(a, -ENOENT, "%s: nothing was started", tx ? "tx_stop" : "rx_stop");
		return;
	}
	if (tx) {
		rc = tx_engine_join(a->tx);
		tx_engine_report(a->tx, &txr);
	} else {
		rc = rx_engine_join(a->rx);
		rx_engine_report(a->rx, &rxr);
	}
	if (reply_begin(&r, 1))
		return;
	if (tx)
		proto_tx_report_write(&r.w, "tx_", &txr);
	else
		proto_rx_report_write(&r.w, "rx_", &rxr);
	if (rc) {
		/* The figures are still true up to the error; say what ended the run. */
		json_kv_str(&r.w, "run_error", strerror(-rc));
	}
	reply_end(a, &r);
}

static void agent_request(struct agent *a, char *line)
{
	struct json_field f[PROTO_MAX_FIELDS];
	const struct json_field *cmd, *tok;
	struct reply r;
	int n;

	n = json_flat_parse(line, f, PROTO_MAX_FIELDS);
	cmd = n > 0 ? json_flat_get(f, n, "cmd") : NULL;
	if (!a->c->authed) {
		tok = n > 0 ? json_flat_get(f, n, "token") : NULL;
		if (!cmd || cmd->type != JSON_T_STRING || strcmp(cmd->val, "hello") || !tok ||
		    tok->type != JSON_T_STRING ||
		    !agent_token_equal(tok->val, a->token, a->token_len)) {
			log_warn("refused a client: no hello with the right token");
			reply_error(a, -EACCES, "token refused");
			a->c->closing = 1;
			return;
		}
		/* one session at a time: the engines have one owner */
		if (agent_has_session(a)) {
			reply_error(a, -EBUSY, "busy: another client is connected");
			a->c->closing = 1;
			return;
		}
		a->c->authed = 1;
		if (!reply_begin(&r, 1)) {
			json_kv_str(&r.w, "version", MP_VERSION);
			json_kv_u64(&r.w, "proto", PROTO_VERSION);
			reply_end(a, &r);
		}
		return;
	}
	if (n < 0) {
		reply_error(a, n, "malformed request: expected one flat JSON object per line");
		return;
	}
	if (!cmd || cmd->type != JSON_T_STRING) {
		reply_error(a, -EINVAL, "request without a \"cmd\" string");
		return;
	}
	if (!strcmp(cmd->val, "hello")) {
		reply_error(a, -EINVAL, "hello: already authenticated");
	} else if (!strcmp(cmd->val, "tx_start")) {
		agent_tx_start(a, f, n);
	} else if (!strcmp(cmd->val, "rx_start")) {
		agent_rx_start(a, f, n);
	} else if (!strcmp(cmd->val, "tx_stop")) {
		agent_stop(a, 1);
	} else if (!strcmp(cmd->val, "rx_stop")) {
		agent_stop(a, 0);
	} else if (!strcmp(cmd->val, "status")) {
		if (!reply_begin(&r, 1)) {
			agent_status_fields(a, &r.w);
			reply_end(a, &r);
		}
	} else if (!strcmp(cmd->val, "bye")) {
		if (!reply_begin(&r, 1))
			reply_end(a, &r);
		a->c->closing = 1;
	} else {
		reply_error(a, -EINVAL,
			    "unknown cmd \"%.64s\": expected hello, tx_start, rx_start, status, "
			    "tx_stop, rx_stop or bye",
			    cmd->val);
	}
}

/* Split what arrived on a->c into lines; a line over PROTO_LINE_MAX is
 * answered with an error once its end arrives, and the rest of it is never
 * buffered. */
static void agent_client_input(struct agent *a)
{
	struct conn *c = a->c;
	char buf[4096];
	ssize_t n;
	size_t i;

	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_drop(c);
		return;
	}
	for (i = 0; i < (size_t)n && c->fd >= 0 && !c->closing; i++) {
		char ch = buf[i];

		if (ch != '\n') {
			if (c->discarding)
				continue;
			if (c->in_len == PROTO_LINE_MAX) {
				c->discarding = 1;
				continue;
			}
			c->in[c->in_len++] = ch;
			continue;
		}
		if (c->discarding) {
			reply_error(a, -E2BIG, "request longer than %d bytes", PROTO_LINE_MAX);
			if (!c->authed)
				c->closing = 1;
		} else {
			c->in[c->in_len] = '\0';
			if (memchr(c->in, '\0', c->in_len)) {
				reply_error(a, -EINVAL, "request holds a NUL byte");
				if (!c->authed)
					c->closing = 1;
			} else {
				agent_request(a, c->in);
			}
		}
		c->in_len = 0;
		c->discarding = 0;
	}
	if (c->closing)
		conn_drop(c);
}

/* A free slot; when every one is taken, the oldest connection that has not
 * authenticated makes room (a flood of idle connections cannot lock the
 * real client out). At most one connection is authenticated, so there is
 * always one to drop; NULL only if that ever changed. */
static struct conn *agent_free_slot(struct agent *a)
{
	struct conn *oldest = NULL;
	unsigned i;

	for (i = 0; i < AGENT_CONNS; i++) {
		struct conn *c = &a->conns[i];

		if (c->fd < 0)
			return c;
		if (!c->authed && (!oldest || c->accepted_ns < oldest->accepted_ns))
			oldest = c;
	}
	if (oldest) {
		log_warn("dropped a client that had not authenticated: too many connections");
		conn_drop(oldest);
	}
	return oldest;
}

static void agent_accept(struct agent *a)
{
	struct timeval tv = {.tv_sec = AGENT_SEND_TIMEOUT_S};
	struct conn *c;
	int fd;

	fd = accept4(a->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	c = agent_free_slot(a);
	if (!c) {
		close(fd);
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c->fd = fd;
	c->accepted_ns = mtime_now_ns();
}

/* The agent is the measuring instrument: the pacer and the sink it starts
 * run at AGENT_NICE (threads inherit it), so that other work on a busy
 * machine delays them less than it delays the DUT, which keeps the default
 * priority. A pacer stalled past a DUT's queue depth sends what was due in
 * one burst, and the DUT's loss is then the generator's stall (seen: NDR 11 %
 * low behind a 75 ms tbf burst, one core hogged, load 12). Without
 * CAP_SYS_NICE it runs as it is, and says so. */
static void agent_raise_priority(void)
{
	if (setpriority(PRIO_PROCESS, 0, AGENT_NICE))
		log_warn("agent: cannot raise its priority to nice %d (%s): a busy machine may "
			 "delay its pacer",
			 AGENT_NICE, strerror(errno));
	else
		log_verbose("agent: running at nice %d", AGENT_NICE);
}

int agent_serve(struct agent *a)
{
	agent_raise_priority();
	log_verbose("agent: ready");
	for (;;) {
		struct pollfd p[2 + AGENT_CONNS];
		uint64_t now;
		unsigned i;
		int n;

		p[0] = (struct pollfd){.fd = a->sfd, .events = POLLIN};
		p[1] = (struct pollfd){.fd = a->lfd, .events = POLLIN};
		for (i = 0; i < AGENT_CONNS; i++)
			p[2 + i] = (struct pollfd){.fd = a->conns[i].fd, .events = POLLIN};
		/* wake for the next authentication deadline */
		n = poll(p, 2 + AGENT_CONNS, 100);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n < 0)
			continue;
		if (p[0].revents & POLLIN)
			break;
		for (i = 0; i < AGENT_CONNS; i++) {
			if (a->conns[i].fd < 0 || !(p[2 + i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			a->c = &a->conns[i];
			agent_client_input(a);
		}
		if (p[1].revents & POLLIN)
			agent_accept(a);
		now = mtime_now_ns();
		for (i = 0; i < AGENT_CONNS; i++) {
			struct conn *c = &a->conns[i];

			if (c->fd >= 0 && !c->authed &&
			    now - c->accepted_ns > AGENT_HELLO_TIMEOUT_NS) {
				log_warn("dropped a client that sent no hello in time");
				conn_drop(c);
			}
		}
	}
	/* SIGINT/SIGTERM: end the runs, report what they measured. */
	if (a->tx) {
		struct tg_tx_report r;

		tx_engine_join(a->tx);
		tx_engine_report(a->tx, &r);
		report_tx_human(stdout, &a->tx_params, &r);
	}
	if (a->rx) {
		struct tg_rx_report r;

		rx_engine_join(a->rx);
		rx_engine_report(a->rx, &r);
		report_rx_human(stdout, &r, NULL, 0);
	}
	return 0;
}

void agent_close(struct agent *a)
{
	unsigned i;

	if (!a)
		return;
	tx_engine_free(a->tx);
	rx_engine_free(a->rx);
	for (i = 0; i < AGENT_CONNS; i++)
		conn_drop(&a->conns[i]);
	if (a->lfd >= 0)
		close(a->lfd);
	if (a->unix_bound)
		unlink(a->ep.path);
	if (a->sfd >= 0)
		close(a->sfd);
	free(a);
}
