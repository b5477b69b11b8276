/* The DUT forms of --dut and `dut =`: which program forwards between tap0 and
 * tap1, and on which platform it can run. */
#ifndef MP_DUT_FORM_H
#define MP_DUT_FORM_H

#include <stddef.h>

#include "harness/config/run_cfg.h"

/* Parse "fwd [OPTS]", "tap-fwd [OPTS]", "bridge", "exec:COMMAND",
 * "image:PATH" or "linux-fwd". 0, or -EINVAL with what was expected in
 * `expected` (the caller names the origin and quotes the value). COMMAND,
 * PATH and OPTS (more mir-trafgen fwd options) must be non-empty, without
 * control characters; the local platform (local_dut.h) splits and checks
 * them further. */
int dut_form_parse(const char *s, enum run_dut_kind *kind, char *expected, size_t len);
/* The platform a kind runs on: PLATFORM_LOCAL or PLATFORM_XEN. */
enum run_platform dut_form_platform(enum run_dut_kind kind);
/* "fwd", "exec", "mirage-net-xen"... for messages. */
const char *dut_form_name(enum run_dut_kind kind);
/* The COMMAND of exec:, the PATH of image:, the OPTS of fwd and tap-fwd; ""
 * for the other kinds. */
const char *dut_form_arg(const char *dut);

#define DUT_FORMS "fwd, tap-fwd, bridge, exec:COMMAND, image:PATH or linux-fwd"

#endif
