#include "harness/platform/xen/xen_console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "harness/platform/xen/xl_redact.h"
#include "lib/mtime.h"
#include "lib/thread.h"

struct xen_console {
	int tty;     /* the console pty, O_RDONLY */
	int out;     /* the file in the run directory */
	int stop[2]; /* pipe: a byte asks the thread to finish */
	pthread_t thread;
	_Atomic unsigned long long bytes;
	struct xl_redact_stream redact; /* the kernel prints its command line */
};

static void *pump(void *arg)
{
	struct xen_console *c = arg;
	struct pollfd p[2] = {{.fd = c->tty, .events = POLLIN},
			      {.fd = c->stop[0], .events = POLLIN}};
	uint64_t drain_until = 0, drain_cap = 0;
	char buf[4096];

	for (;;) {
		int tmo = -1;
		ssize_t n;

		if (drain_until) {
			uint64_t now = mtime_now_ns();

			if (now >= drain_until)
				break;
			tmo = (int)((drain_until - now) / NSEC_PER_MSEC) + 1;
		}
		if (poll(p, drain_until ? 1 : 2, tmo) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!drain_until && (p[1].revents & POLLIN)) {
			/* Stop asked: read what the guest still has for 500 ms at most. */
			drain_until = mtime_now_ns() + 500 * NSEC_PER_MSEC;
			drain_cap = drain_until + 1500 * NSEC_PER_MSEC;
			continue;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(c->tty, buf, sizeof(buf));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0)
				break; /* the domain went: xenconsoled closed the pty */
			if (!xl_redact_stream_write(&c->redact, c->out, buf, (size_t)n, 0))
				c->bytes += (unsigned long long)n;
			/* still talking: a little longer, never past the cap */
			if (drain_until && mtime_now_ns() + 100 * NSEC_PER_MSEC > drain_until)
				drain_until = mtime_now_ns() + 100 * NSEC_PER_MSEC;
			if (drain_until > drain_cap && drain_cap)
				drain_until = drain_cap;
		}
	}
	(void)xl_redact_stream_write(&c->redact, c->out, "", 0, 1);
	return NULL;
}

int xen_console_start(libxl_ctx *ctx, uint32_t domid, const char *path, const char *secret,
		      struct xen_console **out)
{
	struct xen_console *c;
	struct termios t;
	char *tty = NULL;
	int i, rc;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->tty = c->out = c->stop[0] = c->stop[1] = -1;
	rc = xl_redact_stream_init(&c->redact, secret);
	if (rc)
		goto out;
	/* xenconsoled publishes the pty in xenstore shortly after the domain appears. */
	for (i = 0; i < 50; i++) {
		if (libxl_console_get_tty(ctx, domid, 0, LIBXL_CONSOLE_TYPE_PV, &tty) == 0 && tty &&
		    tty[0])
			break;
		free(tty);
		tty = NULL;
		usleep(100 * 1000);
	}
	rc = -ENOENT;
	if (!tty)
		goto out;
	c->tty = open(tty, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (c->tty < 0) {
		rc = -errno;
		goto out;
	}
	/* Raw, so the pty neither echoes nor rewrites line ends. */
	if (tcgetattr(c->tty, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(c->tty, TCSANOW, &t);
	}
	/* the kernel prints its command line: the token is redacted, and the
	 * file is root's alone all the same */
	c->out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (c->out < 0 || pipe2(c->stop, O_CLOEXEC)) {
		rc = -errno;
		goto out;
	}
	rc = thread_start(&c->thread, pump, c);
	if (rc)
		goto out;
	*out = c;
	c = NULL;
out:
	free(tty);
	if (c) {
		if (c->tty >= 0)
			close(c->tty);
		if (c->out >= 0)
			close(c->out);
		if (c->stop[0] >= 0) {
			close(c->stop[0]);
			close(c->stop[1]);
		}
		free(c);
	}
	return rc;
}

void xen_console_stop(struct xen_console *c)
{
	if (!c)
		return;
	if (write(c->stop[1], "x", 1) < 0) {
		/* cannot happen with an open pipe; the thread still ends on hangup */
	}
	pthread_join(c->thread, NULL);
	close(c->tty);
	close(c->out);
	close(c->stop[0]);
	close(c->stop[1]);
	free(c);
}

unsigned long long xen_console_bytes(const struct xen_console *c)
{
	return c ? c->bytes : 0;
}

#define CONSOLE_SCAN_MAX (1024 * 1024)

int xen_console_has_line(const char *path, const char *needle, char *last, size_t len)
{
	char *buf, *line, *save = NULL;
	int fd, found = 0;
	ssize_t n;

	if (len)
		last[0] = '\0';
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	buf = malloc(CONSOLE_SCAN_MAX + 1);
	n = buf ? pread(fd, buf, CONSOLE_SCAN_MAX, 0) : -1;
	close(fd);
	if (n <= 0) {
		free(buf);
		return 0;
	}
	buf[n] = '\0';
	for (line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		char *c;

		if (strstr(line, needle))
			found = 1;
		if (!line[strspn(line, " \t")] || !len)
			continue;
		snprintf(last, len, "%.200s", line);
		for (c = last; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	}
	free(buf);
	return found;
}
