/* The rr mode's part of building the run_cfg from the command line
 * (cli_cfg.c calls these): its options, its size list, what it refuses. */
#ifndef MP_RR_CFG_H
#define MP_RR_CFG_H

#include <stddef.h>

#include "harness/config/cli.h"
#include "harness/config/run_cfg.h"

/* --rr-sizes and --rr-timeout: refused outside the rr mode; the timeout set.
 * 0, or -EINVAL with one line in err. */
int rr_cfg_options(const struct cli_args *a, struct run_cfg *cfg, char *err, size_t len);
/* The size list from --rr-sizes or CFG_DIR/range-rrsz, and the frames
 * mode's options refused. 0, or -EINVAL with one line in err. */
int rr_cfg_lists(const struct cli_args *a, struct run_cfg *cfg, char *err, size_t len);

#endif
