/* The local platform's --dry-run text: what local_topo_create() and the
 * platform would build for a run_cfg, written from the configuration alone
 * (nothing is probed or made). Separate from local_topo.c because it shares
 * none of its state (no namespace, socket or netlink handle) and changes with
 * the modes and DUT kinds, not with how the links are made; keep the two in
 * step when the topology changes (the goldens tests/golden/dry-run-*.txt hold it). */
#ifndef MP_LOCAL_TOPO_DESCRIBE_H
#define MP_LOCAL_TOPO_DESCRIBE_H

#include <stdio.h>

#include "harness/config/run_cfg.h"

/* --dry-run (platform.h: describe): the namespaces, bridges, veths or TAP
 * devices and the DUT the local platform would make for cfg, from cfg alone. */
void local_topo_describe(FILE *f, const struct run_cfg *cfg);

#endif
