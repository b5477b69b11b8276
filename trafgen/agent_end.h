/* The agent's ends (requests end_start, end_poll, end_read, end_stop): the
 * goodput mode's iperf3 client and server, and the rr mode's `mir-trafgen
 * rr` client and server, started by the agent inside a Xen traff-gen guest,
 * where the harness cannot start processes itself. Only iperf3, found in
 * the agent's PATH, or this very binary's `rr client|server`, with
 * plain-word arguments (no shell, no other program): a token holder may run
 * traffic, not commands.
 *
 *   {"cmd":"end_start","args":"-s -B 198.19.0.1 -1","netns":"srv"}
 *       -> {"ok":true,"id":1}    (netns optional: a /run/netns name)
 *   {"cmd":"end_start","prog":"rr","args":"server --listen 198.19.0.1:12865"}
 *       prog: "iperf3" (the default) or "rr" (args' first word client or
 *       server; its words may hold '/', as in --size 64/1024)
 *   {"cmd":"end_poll","id":1,"port":5201}
 *       -> {"ok":true,"running":false,"status":0,"size":1234,"listening":false}
 *          status: as from waitpid; listening (when port is given): a TCP
 *          socket of the process's namespace is in LISTEN on that port
 *   {"cmd":"end_read","id":1,"offset":0}
 *       -> {"ok":true,"data":"...","eof":true}  (its stdout and stderr,
 *          at most AGENT_END_CHUNK bytes a reply; NUL bytes read as '?')
 *   {"cmd":"end_stop","id":1} -> {"ok":true}  (process group stopped, its
 *          output removed)
 * Outputs are kept in AGENT_END_DIR until end_stop. */
#ifndef MP_AGENT_END_H
#define MP_AGENT_END_H

#include <stddef.h>

#include "lib/json.h"

#define AGENT_END_MAX	4
#define AGENT_END_CHUNK 2048
#define AGENT_END_DIR	"/run"

struct agent_ends;

int agent_ends_new(struct agent_ends **out);
/* Stops every end still there and removes its output. */
void agent_ends_free(struct agent_ends *e);
/* 1 when cmd is one of the ends' requests. */
int agent_ends_is_request(const char *cmd);
/* Serve request cmd: the reply's fields go to w (after "ok":true); or a
 * negative errno and err saying what was wrong with which field. */
int agent_ends_request(struct agent_ends *e, const char *cmd, const struct json_field *f, int n,
		       struct json_writer *w, char *err, size_t errlen);

#endif
