/* The local platform's reading of `--dut` (its kinds are checked first by
 * the CLI, harness/config/dut_form.h): the command line each kind runs.
 *   fwd [OPTS]      mir-trafgen fwd from tap0 to tap1 in the DUT namespace
 *   tap-fwd [OPTS]  mir-trafgen fwd --tap on the TAP devices tap0/tap1
 *   bridge          the kernel bridging tap0 to tap1 (bridge br0)
 *   exec:COMMAND    COMMAND in the harness namespace on TAP devices tap0/tap1
 * OPTS are more `mir-trafgen fwd` options (e.g. --max-pps 100k), split like
 * COMMAND: on blanks, with '...' and "..." quoting, no shell. */
#ifndef MP_LOCAL_DUT_H
#define MP_LOCAL_DUT_H

#include <stddef.h>
#include <sys/types.h>

#include "harness/config/run_cfg.h"

struct local_dut {
	enum run_dut_kind kind; /* RUN_DUT_FWD, RUN_DUT_TAP_FWD, RUN_DUT_BRIDGE or RUN_DUT_EXEC */
	char **argv; /* exec: the command; fwd/tap-fwd: the extra options (may be NULL) */
};

/* -EINVAL with err saying what is wrong and what was expected. */
int local_dut_parse(const char *s, struct local_dut *out, char *err, size_t errlen);
void local_dut_free(struct local_dut *d);

/* An exec: command that cannot run (not found in PATH, not executable) is
 * refused, and said so, before anything is made: -ENOENT. */
int local_dut_exec_check(const char *cmd);
/* Who an exec: DUT runs as, when we are root: *as_user = 1 and uid/gid with
 * a label for messages ("nobody (uid 65534)"); not root: nothing changes.
 * -EPERM (said) when no such user exists. */
int local_dut_user(uid_t *uid, gid_t *gid, char *label, size_t len, int *as_user);

#endif
