/* Control channel endpoints: "unix:/absolute/path" or "tcp:A.B.C.D:PORT". */
#ifndef MP_TRAFGEN_ENDPOINT_H
#define MP_TRAFGEN_ENDPOINT_H

#include <stddef.h>
#include <sys/socket.h>

struct endpoint {
	struct sockaddr_storage addr;
	socklen_t len;
	int family;	/* AF_UNIX or AF_INET */
	char path[108]; /* AF_UNIX */
};

/* 0, or -EINVAL with err saying what was expected. */
int endpoint_parse(const char *s, struct endpoint *ep, char *err, size_t errlen);

#endif
