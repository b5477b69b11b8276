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

#define AGENT_HELLO_TIMEOUT_NS (10 * NSEC_PER_SEC)
#define AGENT_SEND_TIMEOUT_S   5

struct agent {
	struct endpoint ep;
	int lfd, cfd, sfd;
	int unix_bound; /* this agent made ep.path and removes it */
	char token[PROTO_TOKEN_MAX + 1];
	size_t token_len;
	int authed;
	uint64_t accepted_ns;
	char in[PROTO_LINE_MAX + 1];
	size_t in_len;
	int discarding; /* inside a line longer than PROTO_LINE_MAX */
	int closing;	/* close the client after this reply */
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
		old = umask(0177);
		rc = bind(a->lfd, (struct sockaddr *)&a->ep.addr, a->ep.len);
		umask(old);
		if (rc)
			goto fail;
		a->unix_bound = 1;
		if (chmod(a->ep.path, 0600))
			goto fail;
	} else {
		setsockopt(a->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(a->lfd, (struct sockaddr *)&a->ep.addr, a->ep.len))
			goto fail;
	}
	if (listen(a->lfd, 4))
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
	int rc;

	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->lfd = a->cfd = a->sfd = -1;
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

static void agent_drop_client(struct agent *a)
{
	if (a->cfd >= 0)
		close(a->cfd);
	a->cfd = -1;
	a->authed = 0;
	a->in_len = 0;
	a->discarding = 0;
	a->closing = 0;
}

/* Send one reply line; a client that does not read for AGENT_SEND_TIMEOUT_S
 * is dropped. */
static void agent_send(struct agent *a, const char *s, size_t len)
{
	while (len && a->cfd >= 0) {
		ssize_t n = send(a->cfd, s, len, MSG_NOSIGNAL);

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
	if (!a->authed) {
		tok = n > 0 ? json_flat_get(f, n, "token") : NULL;
		if (!cmd || cmd->type != JSON_T_STRING || strcmp(cmd->val, "hello") || !tok ||
		    tok->type != JSON_T_STRING ||
		    !agent_token_equal(tok->val, a->token, a->token_len)) {
			log_warn("refused a client: no hello with the right token");
			reply_error(a, -EACCES, "token refused");
			a->closing = 1;
			return;
		}
		a->authed = 1;
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
		a->closing = 1;
	} else {
		reply_error(a, -EINVAL,
			    "unknown cmd \"%.64s\": expected hello, tx_start, rx_start, status, "
			    "tx_stop, rx_stop or bye",
			    cmd->val);
	}
}

/* Split what arrived into lines; a line over PROTO_LINE_MAX is answered with
 * an error once its end arrives, and the rest of it is never buffered. */
static void agent_client_input(struct agent *a)
{
	char buf[4096];
	ssize_t n;
	size_t i;

	n = recv(a->cfd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		agent_drop_client(a);
		return;
	}
	for (i = 0; i < (size_t)n && a->cfd >= 0 && !a->closing; i++) {
		char c = buf[i];

		if (c != '\n') {
			if (a->discarding)
				continue;
			if (a->in_len == PROTO_LINE_MAX) {
				a->discarding = 1;
				continue;
			}
			a->in[a->in_len++] = c;
			continue;
		}
		if (a->discarding) {
			reply_error(a, -E2BIG, "request longer than %d bytes", PROTO_LINE_MAX);
			if (!a->authed)
				a->closing = 1;
		} else {
			a->in[a->in_len] = '\0';
			if (memchr(a->in, '\0', a->in_len)) {
				reply_error(a, -EINVAL, "request holds a NUL byte");
				if (!a->authed)
					a->closing = 1;
			} else {
				agent_request(a, a->in);
			}
		}
		a->in_len = 0;
		a->discarding = 0;
	}
	if (a->closing)
		agent_drop_client(a);
}

static void agent_accept(struct agent *a)
{
	struct timeval tv = {.tv_sec = AGENT_SEND_TIMEOUT_S};
	int fd;

	fd = accept4(a->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (a->cfd >= 0) {
		static const char busy[] =
		    "{\"ok\":false,\"error\":\"busy: another client is connected\",\"errno\":16}\n";

		send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	a->cfd = fd;
	a->accepted_ns = mtime_now_ns();
}

int agent_serve(struct agent *a)
{
	log_verbose("agent: ready");
	for (;;) {
		struct pollfd p[3] = {
		    {.fd = a->sfd, .events = POLLIN},
		    {.fd = a->lfd, .events = POLLIN},
		    {.fd = a->cfd, .events = POLLIN},
		};
		int n;

		n = poll(p, a->cfd >= 0 ? 3 : 2, 1000);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (p[0].revents & POLLIN)
			break;
		if (a->cfd >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR)))
			agent_client_input(a);
		if (p[1].revents & POLLIN)
			agent_accept(a);
		if (a->cfd >= 0 && !a->authed &&
		    mtime_now_ns() - a->accepted_ns > AGENT_HELLO_TIMEOUT_NS) {
			log_warn("dropped a client that sent no hello in time");
			agent_drop_client(a);
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
	if (!a)
		return;
	tx_engine_free(a->tx);
	rx_engine_free(a->rx);
	agent_drop_client(a);
	if (a->lfd >= 0)
		close(a->lfd);
	if (a->unix_bound)
		unlink(a->ep.path);
	if (a->sfd >= 0)
		close(a->sfd);
	free(a);
}
