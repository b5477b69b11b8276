/* The libxl domain configurations of a Xen run: the traff-gen Linux guest
 * and the DUT (a PVH unikernel, or the traff-gen image in forwarder mode).
 * Every name, bridge and MAC is fixed here, so nothing is discovered by hand:
 * the platform, the golden tests and the guest's init agree through this file.
 *
 * Built with libxl's _init on every type; the caller owns the result and
 * releases it with libxl_domain_config_dispose on every path. */
#ifndef MP_XL_CONFIG_H
#define MP_XL_CONFIG_H

#include <stdint.h>

#include <libxl.h>

#include "harness/config/run_cfg.h"

/* Host-only control link between dom0 and the traff-gen's agent. */
#define XL_CTL_BRIDGE	  "mp-ctl"
#define XL_CTL_HOST_ADDR  "198.18.255.1"
#define XL_CTL_GUEST_ADDR "198.18.255.2"
#define XL_CTL_PREFIX	  30
#define XL_AGENT_PORT	  7000
#define XL_BRIDGE_IN	  "if1" /* generator -> DUT */
#define XL_BRIDGE_OUT	  "if2" /* DUT -> sink */
/* The goodput mode's ends on Xen (xen_ends.c): the client on the traff-gen's
 * eth0, the server on its eth1 in namespace srv, or with server = dut the
 * DUT's own address (the recipe's iperf3 unikernel, on if1 with the client:
 * one /15 holds both, so the client reaches it on-link). */
#define XL_CLIENT_ADDR	  "198.18.0.1"
#define XL_SERVER_ADDR	  "198.19.0.1"
#define XL_ENDS_PREFIX	  15
/* Domain names: mp-<run id>-gen and mp-<run id>-dut. */
#define XL_DOMAIN_PREFIX "mp-"
/* The traff-gen VM's vCPUs: cfg->gen_vcpus (0 = 1), at most this. */
#define XL_GEN_VCPUS_MAX 64u

/* Every vif of a run, with its dom0 backend name, bridge and guest MAC. */
enum xl_vif_role {
	XL_VIF_GEN_DATA = 0, /* traff-gen eth0 on if1, backend mpg0 */
	XL_VIF_GEN_SINK,     /* traff-gen eth1 on if2, backend mpg1 */
	XL_VIF_GEN_CTL,	     /* traff-gen eth2 on the control bridge, backend mpgc */
	XL_VIF_DUT_IN,	     /* DUT netif on if1, backend tap0 */
	XL_VIF_DUT_OUT,	     /* DUT netif on if2, backend tap1 */
	XL_VIF_COUNT
};

struct xl_vif_desc {
	const char *bridge;
	const char *vifname;  /* backend interface in dom0 */
	const char *guest_if; /* name inside a Linux guest; "" for the unikernel */
	uint8_t mac[6];
};

const struct xl_vif_desc *xl_vif(enum xl_vif_role role);

enum xl_guest_mode { XL_MODE_GEN = 0, XL_MODE_FWD };

/* What a run adds to its cfg: resolved files and per-run secrets. */
struct xl_run_files {
	const char *run_id;	/* [A-Za-z0-9_.-], makes the domain names */
	const char *gen_kernel; /* resolved Linux kernel of the traff-gen (and linux-fwd) */
	const char *initramfs;	/* built by harness/platform/xen/initramfs.c */
	const char *token;	/* agent token, [A-Za-z0-9] */
	const char *dut_kernel; /* the unikernel; NULL for linux-fwd */
	const char *vif_script; /* hotplug script of every vif (mir-vif-hotplug); NULL = libxl's */
	/* Which DUT netif (devid order) sits on which bridge, from the recipe's
	 * .xl.in template; {XL_VIF_DUT_IN, XL_VIF_DUT_OUT} for image:PATH. */
	enum xl_vif_role dut_netif[2];
};

/* tsc_mode cfg value: "native", "default", "always_emulate", "native_paravirt". */
int xl_tsc_mode_parse(const char *s, libxl_tsc_mode *out);

/* Fill dc (which must be uninitialised or disposed): 0, -EINVAL for a bad
 * cfg value or name, -ENOMEM. On error dc is disposed already. */
int xl_config_gen(const struct run_cfg *cfg, const struct xl_run_files *f, libxl_domain_config *dc);
/* The DUT: linux-fwd, an image:, a library's forwarder (both vifs, in the
 * order of f->dut_netif; --bidir in the two-ended modes), or with
 * run_cfg_dut_serves(cfg) the library's iperf3 server: one vif, devid
 * 0 on if1 (f->dut_netif[0] must be XL_VIF_DUT_IN), its address on the
 * command line (--ipv4=XL_SERVER_ADDR/XL_ENDS_PREFIX --ipv4-only=true). */
int xl_config_dut(const struct run_cfg *cfg, const struct xl_run_files *f, libxl_domain_config *dc);

/* "mp-<run id>-gen" / "-dut" into buf; -EINVAL for a bad run id or too small buf. */
int xl_domain_name(char *buf, size_t len, const char *run_id, const char *role);

#endif
