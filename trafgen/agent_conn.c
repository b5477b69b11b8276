/* The agent's listening socket and connection slots (agent_conn.h). */
#include "trafgen/agent_conn.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/mtime.h"

#define AGENT_SEND_TIMEOUT_S 5

void agent_conn_drop(struct agent_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->authed = 0;
	c->in_len = 0;
	c->discarding = 0;
	c->closing = 0;
}

void agent_conns_init(struct agent_conns *s)
{
	unsigned i;

	s->lfd = -1;
	s->unix_bound = 0;
	s->path = NULL;
	for (i = 0; i < AGENT_CONNS; i++) {
		s->c[i].fd = -1;
		agent_conn_drop(&s->c[i]);
	}
}

int agent_conns_listen(struct agent_conns *s, const struct endpoint *ep, char *err, size_t errlen)
{
	int one = 1, rc;
	mode_t old;

	s->lfd = socket(ep->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->lfd < 0)
		goto fail;
	if (ep->family == AF_UNIX) {
		struct stat st;

		/* Replace only a stale socket, never any other file. */
		if (!lstat(ep->path, &st)) {
			if (!S_ISSOCK(st.st_mode)) {
				snprintf(err, errlen, "'%.200s' exists and is not a socket",
					 ep->path);
				return -EEXIST;
			}
			unlink(ep->path);
		}
		/* The socket file is made 0600 by bind itself (fchmod on an
		 * unbound unix socket sets the mode bind gives it, and the umask
		 * covers kernels that ignore that): never chmod by path after. */
		if (fchmod(s->lfd, 0600))
			goto fail;
		old = umask(0177);
		rc = bind(s->lfd, (const struct sockaddr *)&ep->addr, ep->len);
		umask(old);
		if (rc)
			goto fail;
		s->unix_bound = 1;
		s->path = ep->path;
	} else {
		setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(s->lfd, (const struct sockaddr *)&ep->addr, ep->len))
			goto fail;
	}
	if (listen(s->lfd, AGENT_CONNS))
		goto fail;
	return 0;
fail:
	rc = -errno;
	snprintf(err, errlen, "cannot listen: %s", strerror(errno));
	return rc;
}

int agent_conns_has_session(const struct agent_conns *s, const struct agent_conn *self)
{
	unsigned i;

	for (i = 0; i < AGENT_CONNS; i++)
		if (&s->c[i] != self && s->c[i].fd >= 0 && s->c[i].authed)
			return 1;
	return 0;
}

void agent_conn_send(struct agent_conn *c, const char *s, size_t len)
{
	while (len && c->fd >= 0) {
		ssize_t n = send(c->fd, s, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			agent_conn_drop(c);
			return;
		}
		s += n;
		len -= (size_t)n;
	}
}

/* A line over PROTO_LINE_MAX is reported once its end arrives, and the rest
 * of it is never buffered. */
void agent_conn_input(struct agent_conn *c, const struct agent_conn_ops *ops, void *ctx)
{
	char buf[4096];
	ssize_t n;
	size_t i;

	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		agent_conn_drop(c);
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
			char why[64];

			snprintf(why, sizeof(why), "request longer than %d bytes", PROTO_LINE_MAX);
			ops->bad(ctx, c, -E2BIG, why);
		} else {
			c->in[c->in_len] = '\0';
			if (memchr(c->in, '\0', c->in_len))
				ops->bad(ctx, c, -EINVAL, "request holds a NUL byte");
			else
				ops->line(ctx, c, c->in);
		}
		c->in_len = 0;
		c->discarding = 0;
	}
	if (c->closing)
		agent_conn_drop(c);
}

/* A free slot; when every one is taken, the oldest connection that has not
 * authenticated makes room (a flood of idle connections cannot lock the
 * real client out). At most one connection is authenticated, so there is
 * always one to drop; NULL only if that ever changed. */
static struct agent_conn *free_slot(struct agent_conns *s)
{
	struct agent_conn *oldest = NULL;
	unsigned i;

	for (i = 0; i < AGENT_CONNS; i++) {
		struct agent_conn *c = &s->c[i];

		if (c->fd < 0)
			return c;
		if (!c->authed && (!oldest || c->accepted_ns < oldest->accepted_ns))
			oldest = c;
	}
	if (oldest) {
		log_warn("dropped a client that had not authenticated: too many connections");
		agent_conn_drop(oldest);
	}
	return oldest;
}

void agent_conns_accept(struct agent_conns *s)
{
	struct timeval tv = {.tv_sec = AGENT_SEND_TIMEOUT_S};
	struct agent_conn *c;
	int fd;

	fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	c = free_slot(s);
	if (!c) {
		close(fd);
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c->fd = fd;
	c->accepted_ns = mtime_now_ns();
}

void agent_conns_expire(struct agent_conns *s, uint64_t now_ns, uint64_t timeout_ns)
{
	unsigned i;

	for (i = 0; i < AGENT_CONNS; i++) {
		struct agent_conn *c = &s->c[i];

		if (c->fd >= 0 && !c->authed && now_ns - c->accepted_ns > timeout_ns) {
			log_warn("dropped a client that sent no hello in time");
			agent_conn_drop(c);
		}
	}
}

void agent_conns_close(struct agent_conns *s)
{
	unsigned i;

	for (i = 0; i < AGENT_CONNS; i++)
		agent_conn_drop(&s->c[i]);
	if (s->lfd >= 0)
		close(s->lfd);
	s->lfd = -1;
	if (s->unix_bound)
		unlink(s->path);
	s->unix_bound = 0;
}
