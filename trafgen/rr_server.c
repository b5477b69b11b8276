/* The rr server; see rr_server.h. */
#include "trafgen/rr_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "trafgen/rr_wire.h"

/* Transactions answered since the start, for the stats connection. */
static uint64_t rr_served;

static int read_full(int fd, void *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = read(fd, (char *)buf + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return off ? -EPIPE : -ENODATA; /* ENODATA: a clean end */
		off += (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = send(fd, (const char *)buf + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	return 0;
}

static uint64_t be64(uint64_t v)
{
	return ((uint64_t)htonl((uint32_t)v) << 32) | htonl((uint32_t)(v >> 32));
}

static int answer_stats(int fd)
{
	struct rr_wire_stats s;
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	s.cpu_ns = be64((uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec);
	s.mono_ns = be64(mtime_now_ns());
	s.served = be64(__atomic_load_n(&rr_served, __ATOMIC_RELAXED));
	return write_full(fd, &s, sizeof(s));
}

/* One connection, to its end: the client closes it (or it breaks). */
static void *conn_thread(void *arg)
{
	int fd = (int)(intptr_t)arg, one = 1, rc;
	struct rr_wire_hdr h;
	char *buf = NULL;
	uint32_t q, r;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	rc = read_full(fd, &h, sizeof(h));
	if (rc)
		goto out;
	q = ntohl(h.req);
	r = ntohl(h.resp);
	if (ntohl(h.magic) != RR_MAGIC) {
		log_verbose("rr server: a connection without the rr header, closed");
		goto out;
	}
	if (ntohl(h.kind) == RR_KIND_STATS) {
		answer_stats(fd);
		goto out;
	}
	if (ntohl(h.kind) != RR_KIND_DATA || q < RR_SIZE_MIN || q > RR_SIZE_MAX ||
	    r < RR_SIZE_MIN || r > RR_SIZE_MAX) {
		log_err("rr server: a header asking for kind %u, %u/%u bytes; closed",
			ntohl(h.kind), q, r);
		goto out;
	}
	buf = calloc(1, q > r ? q : r);
	if (!buf) {
		log_err("rr server: no memory for a %u/%u-byte connection", q, r);
		goto out;
	}
	/* the transaction is answered once all of the request is in */
	while (!(rc = read_full(fd, buf, q)) && !(rc = write_full(fd, buf, r)))
		__atomic_add_fetch(&rr_served, 1, __ATOMIC_RELAXED);
	if (rc != -ENODATA)
		log_verbose("rr server: a connection ended: %s", strerror(-rc));
out:
	free(buf);
	close(fd);
	return NULL;
}

static int rr_listen(uint32_t ip, uint16_t port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd, one = 1, rc;
	char a[INET_ADDRSTRLEN];

	sa.sin_addr.s_addr = htonl(ip);
	inet_ntop(AF_INET, &sa.sin_addr, a, sizeof(a));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		log_err("rr server: cannot open a TCP socket: %s", strerror(-rc));
		return rc;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 256)) {
		rc = -errno;
		log_err("rr server: cannot listen on %s:%u: %s", a, port, strerror(-rc));
		close(fd);
		return rc;
	}
	log_verbose("rr server: listening on %s:%u", a, port);
	return fd;
}

int rr_server_run(uint32_t ip, uint16_t port)
{
	int lfd = -1, sfd = -1, rc = 0;
	pthread_attr_t attr;
	sigset_t sigs;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* the threads inherit it */
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0) {
		rc = -errno;
		log_err("rr server: signalfd: %s", strerror(-rc));
		return rc;
	}
	lfd = rr_listen(ip, port);
	if (lfd < 0) {
		rc = lfd;
		goto out;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (;;) {
		struct pollfd pfd[2] = {{.fd = lfd, .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
		pthread_t t;
		int c;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			log_err("rr server: poll: %s", strerror(-rc));
			break;
		}
		if (pfd[1].revents)
			break; /* SIGINT or SIGTERM: the connections end with the process */
		c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			/* a client that gave up, or no file descriptor for now */
			log_verbose("rr server: accept: %s", strerror(errno));
			continue;
		}
		if (pthread_create(&t, &attr, conn_thread, (void *)(intptr_t)c)) {
			log_err("rr server: no thread for a new connection; closed");
			close(c);
		}
	}
	pthread_attr_destroy(&attr);
out:
	if (lfd >= 0)
		close(lfd);
	close(sfd);
	return rc;
}
