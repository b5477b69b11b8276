/* The agent's connections: its listening socket and the slots of the
 * clients connected to it (the one authenticated session and pending ones),
 * each read into lines of at most PROTO_LINE_MAX bytes. Separate from
 * agent.c, which serves the requests, because what protects the agent from
 * an idle or hostile client lives here in one place: the socket file made
 * 0600 at bind, the hello deadline, the oldest unauthenticated connection
 * giving way to a new one, the send timeout and the bound on every line. */
#ifndef MP_TRAFGEN_AGENT_CONN_H
#define MP_TRAFGEN_AGENT_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "trafgen/endpoint.h"
#include "trafgen/proto.h"

/* Connections at once: the one authenticated session and pending ones. */
#define AGENT_CONNS 16

struct agent_conn {
	int fd; /* -1: free slot */
	int authed;
	uint64_t accepted_ns;
	size_t in_len;
	int discarding; /* inside a line longer than PROTO_LINE_MAX */
	int closing;	/* close the client after this reply */
	char in[PROTO_LINE_MAX + 1];
};

struct agent_conns {
	int lfd;	/* -1 until agent_conns_listen */
	int unix_bound; /* made path and removes it */
	const char *path;
	struct agent_conn c[AGENT_CONNS];
};

/* What agent_conn_input hands each line to: line() a complete line
 * (NUL-terminated, none inside), bad() one that was too long or held a NUL
 * byte (err -E2BIG or -EINVAL, why saying which). Either may set
 * c->closing; the connection is then dropped after the line. */
struct agent_conn_ops {
	void (*line)(void *ctx, struct agent_conn *c, char *line);
	void (*bad)(void *ctx, struct agent_conn *c, int err, const char *why);
};

/* Every slot free, no socket: agent_conns_close is then safe. */
void agent_conns_init(struct agent_conns *s);
/* Listen on ep (kept: its path is removed at close); a unix socket replaces
 * only a stale socket file. 0, or a negative errno and err saying why. */
int agent_conns_listen(struct agent_conns *s, const struct endpoint *ep, char *err, size_t errlen);
/* Accept one connection into a free slot (see agent_conn.c for which). */
void agent_conns_accept(struct agent_conns *s);
/* Drop every connection that has not authenticated within timeout_ns. */
void agent_conns_expire(struct agent_conns *s, uint64_t now_ns, uint64_t timeout_ns);
/* 1 when a connection other than self is authenticated. */
int agent_conns_has_session(const struct agent_conns *s, const struct agent_conn *self);
/* Drop every connection, close the socket, remove the unix socket file. */
void agent_conns_close(struct agent_conns *s);

/* Read what arrived on c and hand each line to ops. */
void agent_conn_input(struct agent_conn *c, const struct agent_conn_ops *ops, void *ctx);
/* Send all of s; a client that does not read within the send timeout, or
 * is gone, is dropped. */
void agent_conn_send(struct agent_conn *c, const char *s, size_t len);
void agent_conn_drop(struct agent_conn *c);

#endif
