#include "trafgen/endpoint.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "lib/units.h"

#define EXPECTED "expected unix:/ABSOLUTE/PATH or tcp:A.B.C.D:PORT"

int endpoint_parse(const char *s, struct endpoint *ep, char *err, size_t errlen)
{
	memset(ep, 0, sizeof(*ep));
	if (!strncmp(s, "unix:", 5)) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ep->addr;
		const char *path = s + 5;
		size_t n = strlen(path);

		if (path[0] != '/' || n >= sizeof(un->sun_path) || n >= sizeof(ep->path)) {
			snprintf(err, errlen, "'%.200s': %s (path at most %zu bytes)", s, EXPECTED,
				 sizeof(un->sun_path) - 1);
			return -EINVAL;
		}
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, path, n + 1);
		memcpy(ep->path, path, n + 1);
		ep->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
		ep->family = AF_UNIX;
		return 0;
	}
	if (!strncmp(s, "tcp:", 4)) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ep->addr;
		const char *colon = strrchr(s + 4, ':');
		char host[INET_ADDRSTRLEN];
		uint64_t port;
		size_t hl;

		if (!colon)
			goto bad;
		hl = (size_t)(colon - (s + 4));
		if (hl == 0 || hl >= sizeof(host))
			goto bad;
		memcpy(host, s + 4, hl);
		host[hl] = '\0';
		if (inet_pton(AF_INET, host, &in->sin_addr) != 1 ||
		    units_parse_uint(colon + 1, 1, 65535, &port))
			goto bad;
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		ep->len = sizeof(*in);
		ep->family = AF_INET;
		return 0;
	}
bad:
	snprintf(err, errlen, "'%.200s': %s", s, EXPECTED);
	return -EINVAL;
}
