/* A hostile client of the generator agent, for tests/integration/security_*:
 * opens N connections to unix:PATH or tcp:ADDR:PORT and, per mode, sends
 * nothing (idle), junk (garbage) or half a hello (partial), then watches
 * them for HOLD seconds and prints one line:
 *   connected N closed K last_close_s T
 * (K: connections the agent closed; T: seconds after connecting the last
 * of them was closed). Exit 0, or 1 when not even one connection was made. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAXC 256

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(const char *ep)
{
	int fd = -1;

	if (!strncmp(ep, "unix:", 5)) {
		struct sockaddr_un a = {.sun_family = AF_UNIX};

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", ep + 5);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a))) {
			close(fd);
			fd = -1;
		}
	} else if (!strncmp(ep, "tcp:", 4)) {
		struct sockaddr_in a = {.sin_family = AF_INET};
		char host[64];
		const char *colon = strrchr(ep + 4, ':');

		if (!colon || (size_t)(colon - ep - 4) >= sizeof(host))
			return -1;
		memcpy(host, ep + 4, (size_t)(colon - ep - 4));
		host[colon - ep - 4] = '\0';
		a.sin_port = htons((unsigned short)atoi(colon + 1));
		if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
			return -1;
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a))) {
			close(fd);
			fd = -1;
		}
	}
	return fd;
}

int main(int argc, char **argv)
{
	static const char garbage[] = "GET / HTTP/1.0\r\n\r\n\x01\x02\xff{\"cmd\":\"tx_start\"}\n";
	static const char partial[] = "{\"cmd\":\"hello\",\"token\":\"";
	struct pollfd p[MAXC];
	double t0, closed_at = 0, hold;
	int n, i, made = 0, closed = 0;

	if (argc != 5 || (strcmp(argv[2], "idle") && strcmp(argv[2], "garbage") &&
			  strcmp(argv[2], "partial"))) {
		fprintf(stderr, "usage: sock_hostile unix:PATH|tcp:ADDR:PORT idle|garbage|partial "
				"N HOLD_S\n");
		return 2;
	}
	n = atoi(argv[3]);
	hold = atof(argv[4]);
	if (n < 1 || n > MAXC)
		return 2;
	t0 = now_s();
	for (i = 0; i < n; i++) {
		p[i].fd = dial(argv[1]);
		p[i].events = POLLIN;
		if (p[i].fd < 0)
			continue;
		made++;
		if (!strcmp(argv[2], "garbage"))
			(void)!write(p[i].fd, garbage, sizeof(garbage) - 1);
		else if (!strcmp(argv[2], "partial"))
			(void)!write(p[i].fd, partial, sizeof(partial) - 1);
	}
	while (now_s() - t0 < hold && closed < made) {
		if (poll(p, (nfds_t)n, 50) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			char buf[512];

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (read(p[i].fd, buf, sizeof(buf)) > 0)
				continue; /* an error reply; the close follows */
			close(p[i].fd);
			p[i].fd = -1;
			closed++;
			closed_at = now_s() - t0;
		}
	}
	printf("connected %d closed %d last_close_s %.2f\n", made, closed, closed_at);
	return made ? 0 : 1;
}
