/* Which platform a run uses. auto means xen on a Xen dom0 (where
 * /proc/xen/capabilities lists control_d) and local everywhere else. Reads one
 * file, creates nothing, needs no root: --dry-run uses it too. */
#ifndef MP_PLATFORM_SELECT_H
#define MP_PLATFORM_SELECT_H

#include <stddef.h>

#include "harness/config/run_cfg.h"

#define PLATFORM_XEN_CAPS "/proc/xen/capabilities"

/* Resolve `requested` (from `source`, e.g. "--platform" or
 * "cfg/mir-perf.conf") to PLATFORM_LOCAL or PLATFORM_XEN, and say why in
 * `why`. caps_path is PLATFORM_XEN_CAPS except in tests. */
enum run_platform platform_select(enum run_platform requested, const char *source,
				  const char *caps_path, char *why, size_t len);

/* 1 when caps_path says this is a Xen dom0, 0 when not; what it found in
 * `found` ("control_d", "no such file"...). */
int platform_is_xen_dom0(const char *caps_path, char *found, size_t len);

#endif
