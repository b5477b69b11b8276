/* The control server the harness drives (protocol: agent_client.h): listens
 * on unix:PATH (a socket of mode 0600) or tcp:ADDR:PORT, serves one client at
 * a time (another is told "busy" and closed), requires the token first
 * (constant-time compare), bounds every line to PROTO_LINE_MAX bytes and
 * answers every request, malformed ones with an error, without ever
 * stopping. The generator and the sink run in threads of their own, so
 * status can be asked while they run. */
#ifndef MP_TRAFGEN_AGENT_H
#define MP_TRAFGEN_AGENT_H

#include <stddef.h>

struct agent;

/* Read the token (the file must be a regular file, not group/world
 * accessible, holding 1..PROTO_TOKEN_MAX bytes on one line) and listen.
 * Errors: -EINVAL/-EACCES/-ENOENT with err naming what is wrong;
 * *bad_opt is "--listen" or "--token-file" to tell which option. */
int agent_open(const char *listen, const char *token_file, struct agent **out, const char **bad_opt,
	       char *err, size_t errlen);
/* Serve until SIGINT or SIGTERM (which the caller has blocked in every
 * thread), then stop the engines and print their final figures on stdout. */
int agent_serve(struct agent *a);
void agent_close(struct agent *a);

#endif
