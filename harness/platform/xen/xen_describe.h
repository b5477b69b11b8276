/* --dry-run's topology text of the xen platform: the bridges and domains
 * platform_xen.c's create() would make for cfg (xl_config.c's
 * configurations), from cfg alone: no root, nothing touched. Apart from
 * platform_xen.c, which makes them, as the local platform's
 * local_topo_describe.c. */
#ifndef MP_XEN_DESCRIBE_H
#define MP_XEN_DESCRIBE_H

#include <stdio.h>

#include "harness/config/run_cfg.h"

void xen_describe(FILE *f, const struct run_cfg *cfg);

#endif
