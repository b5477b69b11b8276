/* The harness's side of the agent protocol (contract: agent_client.h). */
#include "trafgen/agent_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "trafgen/endpoint.h"
#include "trafgen/proto.h"

#define CLIENT_REPLY_MAX 16384

struct agent_client {
	int fd;
	uint64_t timeout_ns;
	size_t have; /* bytes in buf not yet consumed */
	char buf[CLIENT_REPLY_MAX];
	char line[CLIENT_REPLY_MAX];
	struct json_field fields[2 * PROTO_MAX_FIELDS];
	int nfields;
	char error[256];
};

static int client_connect_fd(const struct endpoint *ep, uint64_t timeout_ns)
{
	struct pollfd pfd;
	int fd, rc, soerr = 0;
	socklen_t sl = sizeof(soerr);

	fd = socket(ep->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&ep->addr, ep->len) && errno != EINPROGRESS) {
		rc = -errno;
		goto err;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	rc = poll(&pfd, 1, (int)(timeout_ns / NSEC_PER_MSEC));
	if (rc <= 0) {
		rc = rc ? -errno : -ETIMEDOUT;
		goto err;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) || soerr) {
		rc = soerr ? -soerr : -errno;
		goto err;
	}
	return fd;
err:
	close(fd);
	return rc;
}

static int client_send(struct agent_client *c, const char *s, size_t len)
{
	uint64_t deadline = mtime_now_ns() + c->timeout_ns;

	while (len) {
		ssize_t n = send(c->fd, s, len, MSG_NOSIGNAL);

		if (n > 0) {
			s += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = {.fd = c->fd, .events = POLLOUT};
			uint64_t now = mtime_now_ns();

			if (now >= deadline)
				return -ETIMEDOUT;
			poll(&pfd, 1, (int)((deadline - now) / NSEC_PER_MSEC) + 1);
		}
	}
	return 0;
}

/* Read one reply line into c->line. */
static int client_read_line(struct agent_client *c)
{
	uint64_t deadline = mtime_now_ns() + c->timeout_ns;

	for (;;) {
		char *nl = memchr(c->buf, '\n', c->have);
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		uint64_t now;
		ssize_t n;

		if (nl) {
			size_t len = (size_t)(nl - c->buf);

			memcpy(c->line, c->buf, len);
			c->line[len] = '\0';
			c->have -= len + 1;
			memmove(c->buf, nl + 1, c->have);
			return 0;
		}
		if (c->have == sizeof(c->buf))
			return -EPROTO;
		now = mtime_now_ns();
		if (now >= deadline)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)((deadline - now) / NSEC_PER_MSEC) + 1) < 0 &&
		    errno != EINTR)
			return -errno;
		n = recv(c->fd, c->buf + c->have, sizeof(c->buf) - c->have, 0);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		if (n > 0)
			c->have += (size_t)n;
	}
}

/* Send the request in req (a complete JSON object, no newline), read the
 * reply into c->fields. Returns 0 for {"ok":true}, the agent's errno for an
 * error reply (its text in c->error), or a transport error. */
static int client_call(struct agent_client *c, const char *req, size_t len)
{
	const struct json_field *ok, *err, *eno;
	uint64_t v;
	int rc;

	c->error[0] = '\0';
	rc = client_send(c, req, len);
	if (!rc)
		rc = client_send(c, "\n", 1);
	/* An agent that refuses us (busy, token) may have answered and closed
	 * before our request was written: its reply is still to be read. */
	if (!rc || rc == -EPIPE || rc == -ECONNRESET)
		rc = client_read_line(c);
	if (rc) {
		snprintf(c->error, sizeof(c->error), "agent connection: %s", strerror(-rc));
		return rc;
	}
	c->nfields = json_flat_parse(c->line, c->fields, 2 * PROTO_MAX_FIELDS);
	ok = c->nfields > 0 ? json_flat_get(c->fields, c->nfields, "ok") : NULL;
	if (!ok || ok->type != JSON_T_BOOL) {
		snprintf(c->error, sizeof(c->error), "agent sent a reply that is not ours");
		return -EPROTO;
	}
	if (ok->val[0] == 't')
		return 0;
	err = json_flat_get(c->fields, c->nfields, "error");
	eno = json_flat_get(c->fields, c->nfields, "errno");
	snprintf(c->error, sizeof(c->error), "%s",
		 err && err->type == JSON_T_STRING ? err->val : "error without text");
	if (eno && eno->type == JSON_T_NUMBER && !units_parse_uint(eno->val, 1, 4095, &v))
		return -(int)v;
	return -EREMOTEIO;
}

/* A request being written: {"cmd":CMD, ...}. */
struct client_req {
	char *buf;
	size_t len;
	FILE *f;
	struct json_writer w;
};

static int req_begin(struct client_req *r, const char *cmd)
{
	r->buf = NULL;
	r->len = 0;
	r->f = open_memstream(&r->buf, &r->len);
	if (!r->f)
		return -ENOMEM;
	json_init(&r->w, r->f, 0);
	json_obj_begin(&r->w);
	json_kv_str(&r->w, "cmd", cmd);
	return 0;
}

static int req_call(struct agent_client *c, struct client_req *r)
{
	int rc;

	json_obj_end(&r->w);
	rc = fclose(r->f) ? -ENOMEM : client_call(c, r->buf, r->len);
	free(r->buf);
	return rc;
}

static int client_simple(struct agent_client *c, const char *cmd)
{
	struct client_req r;

	return req_begin(&r, cmd) ?: req_call(c, &r);
}

int agent_client_connect(const char *endpoint, const char *token, uint64_t timeout_ns,
			 struct agent_client **out)
{
	struct agent_client *c = NULL;
	struct client_req r;
	struct endpoint ep;
	char err[256];
	int rc;

	rc = endpoint_parse(endpoint, &ep, err, sizeof(err));
	if (rc)
		return rc;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->timeout_ns = timeout_ns ? timeout_ns : 10 * NSEC_PER_SEC;
	c->fd = client_connect_fd(&ep, c->timeout_ns);
	if (c->fd < 0) {
		rc = c->fd;
		goto err;
	}
	rc = req_begin(&r, "hello");
	if (rc)
		goto err;
	json_kv_str(&r.w, "token", token);
	rc = req_call(c, &r);
	if (rc == -ECONNRESET || rc == -EREMOTEIO || rc == -EACCES)
		rc = -EACCES;
	if (rc)
		goto err;
	*out = c;
	return 0;
err:
	agent_client_close(c);
	return rc;
}

void agent_client_close(struct agent_client *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

int agent_client_tx_start(struct agent_client *c, const struct tg_tx_params *p)
{
	struct client_req r;

	if (req_begin(&r, "tx_start"))
		return -ENOMEM;
	proto_tx_params_write(&r.w, p);
	return req_call(c, &r);
}

int agent_client_rx_start(struct agent_client *c, const struct tg_rx_params *p)
{
	struct client_req r;

	if (req_begin(&r, "rx_start"))
		return -ENOMEM;
	proto_rx_params_write(&r.w, p);
	return req_call(c, &r);
}

static int client_has(struct agent_client *c, const char *key)
{
	const struct json_field *x = json_flat_get(c->fields, c->nfields, key);

	return x && x->type == JSON_T_BOOL && x->val[0] == 't';
}

int agent_client_status(struct agent_client *c, struct tg_tx_report *tx, struct tg_rx_report *rx)
{
	int rc = client_simple(c, "status");

	if (rc)
		return rc;
	if (tx) {
		memset(tx, 0, sizeof(*tx));
		if (client_has(c, "has_tx") &&
		    proto_tx_report_read(c->fields, c->nfields, "tx_", tx))
			return -EPROTO;
	}
	if (rx) {
		memset(rx, 0, sizeof(*rx));
		if (client_has(c, "has_rx") &&
		    proto_rx_report_read(c->fields, c->nfields, "rx_", rx))
			return -EPROTO;
	}
	return 0;
}

int agent_client_tx_stop(struct agent_client *c, struct tg_tx_report *tx)
{
	struct tg_tx_report tmp;
	int rc = client_simple(c, "tx_stop");

	if (rc)
		return rc;
	return proto_tx_report_read(c->fields, c->nfields, "tx_", tx ? tx : &tmp);
}

int agent_client_rx_stop(struct agent_client *c, struct tg_rx_report *rx)
{
	struct tg_rx_report tmp;
	int rc = client_simple(c, "rx_stop");

	if (rc)
		return rc;
	return proto_rx_report_read(c->fields, c->nfields, "rx_", rx ? rx : &tmp);
}

int agent_client_call_raw(struct agent_client *c, const char *line, const char **reply)
{
	int rc;

	c->error[0] = '\0';
	rc = client_send(c, line, strlen(line));
	if (!rc)
		rc = client_send(c, "\n", 1);
	if (!rc)
		rc = client_read_line(c);
	if (rc) {
		snprintf(c->error, sizeof(c->error), "agent connection: %s", strerror(-rc));
		return rc;
	}
	*reply = c->line;
	return 0;
}

const char *agent_client_last_error(const struct agent_client *c)
{
	return c ? c->error : "";
}
