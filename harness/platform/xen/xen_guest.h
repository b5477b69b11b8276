/* What the Xen guests boot, resolved before anything is created: the
 * traff-gen's kernel and generated initramfs, the DUT (a library built by its
 * recipe, a unikernel image, or nothing for linux-fwd), and the vif hotplug
 * program. Every failure is reported here, once. */
#ifndef MP_XEN_GUEST_H
#define MP_XEN_GUEST_H

#include <limits.h>

#include "harness/config/run_cfg.h"
#include "harness/platform/xen/xl_config.h"

struct xen_guest {
	char kernel[PATH_MAX];	       /* the traff-gen's (and linux-fwd's) Linux kernel */
	char initramfs[PATH_MAX];      /* harness/platform/xen/initramfs.c, cached */
	char dut_kernel[PATH_MAX];     /* "" for linux-fwd */
	char vif_script[PATH_MAX];     /* mir-vif-hotplug beside mir-perf */
	enum xl_vif_role dut_netif[2]; /* which bridge each DUT netif (devid order) is on */
	int unikernel;		       /* the DUT is a unikernel (not linux-fwd) */
};

/* 0, or a negative errno after saying what is missing or wrong. */
int xen_guest_prepare(const struct run_cfg *cfg, struct xen_guest *g);

#endif
