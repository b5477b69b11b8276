/* The rr client; see rr_client.h. */
#include "trafgen/rr_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/mtime.h"
#include "trafgen/rr_wire.h"

#define RR_TICK_MS 5 /* timeouts and the end are checked at least this often */

enum conn_phase { PH_DEAD = 0, PH_SEND, PH_RECV, PH_DONE };

struct conn {
	int fd;
	enum conn_phase phase;
	uint32_t off;
	uint64_t t0;
	int measured; /* started inside the window */
};

struct client {
	const struct rr_client_opts *o;
	struct rr_client_result *r;
	int ep;
	uint64_t tw, te; /* the window: warm-up end, end */
	struct conn *c;
	char *req, *buf;
	size_t buflen;
};

static void set_timeo(int fd, uint64_t ns)
{
	struct timeval tv = {.tv_sec = (time_t)(ns / NSEC_PER_SEC),
			     .tv_usec = (suseconds_t)(ns % NSEC_PER_SEC / 1000)};

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/* A blocking connection with the header sent (connect, send and receive give
 * up after timeout): the fd, or a negative errno. */
static int rr_connect(const struct rr_client_opts *o, uint32_t kind)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(o->port)};
	struct rr_wire_hdr h = {htonl(RR_MAGIC), htonl(kind), htonl(o->req), htonl(o->resp)};
	int fd, one = 1, rc;

	sa.sin_addr.s_addr = htonl(o->ip);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	set_timeo(fd, o->timeout_ns);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    send(fd, &h, sizeof(h), MSG_NOSIGNAL) != (ssize_t)sizeof(h)) {
		rc = errno == EINPROGRESS || errno == EAGAIN ? -ETIMEDOUT : -errno;
		close(fd);
		return rc ? rc : -EIO;
	}
	return fd;
}

static uint64_t be64(uint64_t v)
{
	return ((uint64_t)ntohl((uint32_t)v) << 32) | ntohl((uint32_t)(v >> 32));
}

/* The server's CPU time, clock and count now; 0 or a negative errno. */
static int server_stats(const struct rr_client_opts *o, struct rr_wire_stats *s)
{
	size_t off = 0;
	int fd = rr_connect(o, RR_KIND_STATS);

	if (fd < 0)
		return fd;
	while (off < sizeof(*s)) {
		ssize_t n = recv(fd, (char *)s + off, sizeof(*s) - off, 0);

		if (n <= 0) {
			int rc = n < 0 ? -errno : -EPIPE;

			close(fd);
			return rc == -EAGAIN ? -ETIMEDOUT : rc;
		}
		off += (size_t)n;
	}
	close(fd);
	s->cpu_ns = be64(s->cpu_ns);
	s->mono_ns = be64(s->mono_ns);
	s->served = be64(s->served);
	return 0;
}

static uint64_t cpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void conn_close(struct client *cl, struct conn *c)
{
	if (c->fd >= 0) {
		epoll_ctl(cl->ep, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->fd = -1;
	c->phase = PH_DEAD;
}

static int conn_open(struct client *cl, struct conn *c)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
	int fd = rr_connect(cl->o, RR_KIND_DATA);

	if (fd < 0)
		return fd;
	cl->r->connects++;
	set_timeo(fd, 0);
	if (epoll_ctl(cl->ep, EPOLL_CTL_ADD, fd, &ev)) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	c->fd = fd;
	return 0;
}

static void want(struct client *cl, struct conn *c, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = c};

	epoll_ctl(cl->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* The transaction on c ended without its response: count it and close the
 * connection (its byte stream is out of step); sweep_conns() opens a new one
 * while the window lasts. */
static void txn_lost(struct client *cl, struct conn *c, int timed_out, int err)
{
	if (c->measured && timed_out)
		cl->r->timed_out++;
	else if (c->measured)
		cl->r->failed++;
	else
		cl->r->warmup_lost++;
	if (err)
		snprintf(cl->r->last_error, sizeof(cl->r->last_error), "%s", strerror(err));
	conn_close(cl, c);
}

static void txn_start(struct client *cl, struct conn *c, uint64_t now);

static void txn_recv(struct client *cl, struct conn *c)
{
	while (c->off < cl->o->resp) {
		size_t want_n = cl->o->resp - c->off;
		/* never block: the other connections and the timeouts wait on this loop */
		ssize_t n = recv(c->fd, cl->buf, want_n < cl->buflen ? want_n : cl->buflen,
				 MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			txn_lost(cl, c, 0, n < 0 ? errno : EPIPE);
			return;
		}
		c->off += (uint32_t)n;
	}
	{
		uint64_t now = mtime_now_ns();

		/* a response later than the timeout is a timeout, even when it came
		 * before the tick that would have said so */
		if (now - c->t0 > cl->o->timeout_ns) {
			if (c->measured)
				cl->r->timed_out++;
			else
				cl->r->warmup_lost++;
		} else if (c->measured) {
			cl->r->completed++;
			histo_add(&cl->r->lat, now - c->t0);
		}
		txn_start(cl, c, now);
	}
}

static void txn_send(struct client *cl, struct conn *c)
{
	while (c->off < cl->o->req) {
		ssize_t n = send(c->fd, cl->req + c->off, cl->o->req - c->off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			want(cl, c, EPOLLOUT);
			return;
		}
		if (n < 0) {
			txn_lost(cl, c, 0, errno);
			return;
		}
		c->off += (uint32_t)n;
	}
	/* the response is read when epoll says it is there: no recursion
	 * between a response and the next request */
	c->phase = PH_RECV;
	c->off = 0;
	want(cl, c, EPOLLIN);
}

static void txn_start(struct client *cl, struct conn *c, uint64_t now)
{
	if (now >= cl->te) {
		c->phase = PH_DONE;
		conn_close(cl, c);
		c->phase = PH_DONE;
		return;
	}
	c->t0 = now;
	c->measured = now >= cl->tw;
	if (c->measured)
		cl->r->started++;
	else
		cl->r->warmup_transactions++;
	c->phase = PH_SEND;
	c->off = 0;
	txn_send(cl, c);
}

/* Time out transactions older than the timeout, reopen lost connections
 * while the window lasts; 1 while any connection still has work. */
static int sweep_conns(struct client *cl, uint64_t now)
{
	unsigned i;
	int busy = 0, rc;

	for (i = 0; i < cl->o->conns; i++) {
		struct conn *c = &cl->c[i];

		if ((c->phase == PH_SEND || c->phase == PH_RECV) && now - c->t0 > cl->o->timeout_ns)
			txn_lost(cl, c, 1, 0);
		if (c->phase == PH_DEAD && now < cl->te) {
			/* a refused or lost SYN: tried again at the next tick */
			rc = conn_open(cl, c);
			if (rc)
				snprintf(cl->r->last_error, sizeof(cl->r->last_error),
					 "reconnecting: %s", strerror(-rc));
			else
				txn_start(cl, c, mtime_now_ns());
		}
		if (c->phase == PH_DEAD && mtime_now_ns() >= cl->te)
			c->phase = PH_DONE;
		busy |= c->phase != PH_DONE;
	}
	return busy;
}

static int run_loop(struct client *cl, int sfd)
{
	struct epoll_event ev[64];
	struct epoll_event sev = {.events = EPOLLIN, .data.ptr = NULL};
	unsigned i;
	int n, k;

	if (epoll_ctl(cl->ep, EPOLL_CTL_ADD, sfd, &sev))
		return -errno;
	for (i = 0; i < cl->o->conns; i++)
		txn_start(cl, &cl->c[i], mtime_now_ns());
	for (;;) {
		n = epoll_wait(cl->ep, ev, 64, RR_TICK_MS);
		if (n < 0 && errno != EINTR)
			return -errno;
		for (k = 0; k < n; k++) {
			struct conn *c = ev[k].data.ptr;

			if (!c) {
				cl->r->interrupted = 1;
				return 0;
			}
			if (c->phase == PH_SEND)
				txn_send(cl, c);
			else if (c->phase == PH_RECV)
				txn_recv(cl, c);
		}
		if (!sweep_conns(cl, mtime_now_ns()))
			return 0;
	}
}

int rr_client_run(const struct rr_client_opts *o, struct rr_client_result *r, char *err,
		  size_t len)
{
	struct client cl = {.o = o, .r = r, .ep = -1};
	struct rr_wire_stats s0, s1;
	uint64_t cpu0, wall0, now;
	int sfd = -1, rc, have_s0;
	unsigned i;
	sigset_t sigs;

	memset(r, 0, sizeof(*r));
	histo_reset(&r->lat);
	r->cpu_server_pct = -1;
	r->server_transactions = -1;
	err[0] = '\0';
	cpu0 = cpu_now_ns();
	wall0 = mtime_now_ns();
	rc = server_stats(o, &s0);
	if (rc) {
		snprintf(err, len, "cannot reach the rr server: %s", strerror(-rc));
		return rc;
	}
	have_s0 = 1;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	cl.ep = epoll_create1(EPOLL_CLOEXEC);
	cl.c = calloc(o->conns, sizeof(*cl.c));
	cl.buflen = o->resp < 65536 ? o->resp : 65536;
	cl.req = calloc(1, o->req);
	cl.buf = malloc(cl.buflen);
	if (sfd < 0 || cl.ep < 0 || !cl.c || !cl.req || !cl.buf) {
		rc = sfd < 0 || cl.ep < 0 ? -errno : -ENOMEM;
		snprintf(err, len, "cannot set up: %s", strerror(-rc));
		goto out;
	}
	for (i = 0; i < o->conns; i++)
		cl.c[i].fd = -1;
	for (i = 0; i < o->conns; i++) {
		rc = conn_open(&cl, &cl.c[i]);
		if (rc) {
			snprintf(err, len, "cannot open connection %u of %u to the rr server: %s",
				 i + 1, o->conns, strerror(-rc));
			goto out;
		}
	}
	now = mtime_now_ns();
	cl.tw = now + o->warmup_ns;
	cl.te = cl.tw + o->duration_ns;
	rc = run_loop(&cl, sfd);
	if (rc) {
		snprintf(err, len, "epoll: %s", strerror(-rc));
		goto out;
	}
	now = mtime_now_ns();
	r->seconds = now < cl.tw ? 0 : (double)((now < cl.te ? now : cl.te) - cl.tw) / 1e9;
	for (i = 0; i < o->conns; i++)
		if (cl.c[i].measured &&
		    (cl.c[i].phase == PH_SEND || cl.c[i].phase == PH_RECV))
			r->unfinished++;
out:
	for (i = 0; cl.c && i < o->conns; i++)
		if (cl.c[i].fd >= 0)
			close(cl.c[i].fd);
	now = mtime_now_ns();
	if (now > wall0)
		r->cpu_client_pct = (double)(cpu_now_ns() - cpu0) * 100.0 / (double)(now - wall0);
	if (have_s0 && !server_stats(o, &s1) && s1.mono_ns > s0.mono_ns) {
		r->cpu_server_pct =
		    (double)(s1.cpu_ns - s0.cpu_ns) * 100.0 / (double)(s1.mono_ns - s0.mono_ns);
		r->server_transactions = (int64_t)(s1.served - s0.served);
	}
	free(cl.c);
	free(cl.req);
	free(cl.buf);
	if (cl.ep >= 0)
		close(cl.ep);
	if (sfd >= 0)
		close(sfd);
	return rc;
}
