/* The shared secret between the harness and the agent: the file it lives in
 * (read by `mir-trafgen agent` and `ctl`) and the comparison the agent makes
 * of what a client presents. Kept apart from the server (agent.c): ctl
 * reads the same file, and the comparison is checked on its own. */
#ifndef MP_TRAFGEN_AGENT_TOKEN_H
#define MP_TRAFGEN_AGENT_TOKEN_H

#include <stddef.h>

/* Read a token file: a regular file, no group/other permission bits, one
 * line of 1..PROTO_TOKEN_MAX bytes, into token (PROTO_TOKEN_MAX + 1 bytes).
 * 0, or a negative errno with err set. */
int agent_token_read(const char *path, char *token, size_t *token_len, char *err, size_t errlen);

/* Constant-time comparison of a presented token with the expected one:
 * the time depends only on PROTO_TOKEN_MAX, not on where they differ. */
int agent_token_equal(const char *presented, const char *expected, size_t expected_len);

#endif
