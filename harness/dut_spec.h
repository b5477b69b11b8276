/* The DUT forms of --dut and `dut =`: which program forwards between tap0 and
 * tap1, and on which platform it can run. */
#ifndef MP_DUT_SPEC_H
#define MP_DUT_SPEC_H

#include <stddef.h>

#include "harness/run_cfg.h"

/* Parse "fwd", "tap-fwd", "bridge", "exec:COMMAND", "image:PATH" or
 * "linux-fwd". 0, or -EINVAL with what was expected in `expected` (the
 * caller names the origin and quotes the value). COMMAND and PATH must be
 * non-empty, without control characters. */
int dut_spec_parse(const char *s, enum run_dut_kind *kind, char *expected, size_t len);
/* The platform a kind runs on: PLATFORM_LOCAL or PLATFORM_XEN. */
enum run_platform dut_spec_platform(enum run_dut_kind kind);
/* "fwd", "exec", "mirage-net-xen"... for messages. */
const char *dut_spec_name(enum run_dut_kind kind);
/* The COMMAND of exec: or the PATH of image:; "" for the other kinds. */
const char *dut_spec_arg(const char *dut);

#define DUT_SPEC_FORMS "fwd, tap-fwd, bridge, exec:COMMAND, image:PATH or linux-fwd"

#endif
