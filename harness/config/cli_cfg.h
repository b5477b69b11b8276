/* The run configuration of one mir-perf command line: the defaults, the cfg
 * directory's mir-perf.conf and range lists, then the options (the command
 * line wins), the platform (harness/config/platform_select.h) and the DUT for that
 * platform. Only reads, so it is safe without root and before anything runs. */
#ifndef MP_CLI_CFG_H
#define MP_CLI_CFG_H

#include <stddef.h>
#include <stdio.h>

#include "harness/config/cli.h"
#include "harness/config/run_cfg.h"

/* defaults -> cfg dir's mir-perf.conf -> range lists -> command line ->
 * platform (caps_path: PLATFORM_XEN_CAPS except in tests) -> DUT for that
 * platform. 0; -EINVAL for bad usage or cfg (status 2); another -errno for a
 * condition of this machine (status 1). One message in err. Warnings go to
 * diag. Release cfg with cli_cfg_release() whatever the result. */
int cli_build_cfg(const struct cli_args *a, const char *caps_path, struct run_cfg *cfg, FILE *diag,
		  char *err, size_t errlen);
void cli_cfg_release(struct run_cfg *cfg);

#endif
