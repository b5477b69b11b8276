#include "harness/platform/xen/xl_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/netns.h"

#define XL_STR_(x) #x
#define XL_STR(x)  XL_STR_(x)

/* 02:6d:70 ("mp", locally administered), then role. */
static const struct xl_vif_desc vifs[XL_VIF_COUNT] = {
    [XL_VIF_GEN_DATA] = {XL_BRIDGE_IN, "mpg0", "eth0", {0x02, 0x6d, 0x70, 0x01, 0x00, 0x00}},
    [XL_VIF_GEN_SINK] = {XL_BRIDGE_OUT, "mpg1", "eth1", {0x02, 0x6d, 0x70, 0x01, 0x00, 0x01}},
    [XL_VIF_GEN_CTL] = {XL_CTL_BRIDGE, "mpgc", "eth2", {0x02, 0x6d, 0x70, 0x01, 0x00, 0x02}},
    [XL_VIF_DUT_IN] = {XL_BRIDGE_IN, "tap0", "eth0", {0x02, 0x6d, 0x70, 0x02, 0x00, 0x00}},
    [XL_VIF_DUT_OUT] = {XL_BRIDGE_OUT, "tap1", "eth1", {0x02, 0x6d, 0x70, 0x02, 0x00, 0x01}},
};

const struct xl_vif_desc *xl_vif(enum xl_vif_role role)
{
	return (unsigned)role < XL_VIF_COUNT ? &vifs[role] : NULL;
}

int xl_tsc_mode_parse(const char *s, libxl_tsc_mode *out)
{
	static const struct {
		const char *name;
		libxl_tsc_mode mode;
	} modes[] = {
	    {"native", LIBXL_TSC_MODE_NATIVE},
	    {"default", LIBXL_TSC_MODE_DEFAULT},
	    {"always_emulate", LIBXL_TSC_MODE_ALWAYS_EMULATE},
	    {"native_paravirt", LIBXL_TSC_MODE_NATIVE_PARAVIRT},
	};
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(s, modes[i].name)) {
			*out = modes[i].mode;
			return 0;
		}
	}
	return -EINVAL;
}

int xl_domain_name(char *buf, size_t len, const char *run_id, const char *role)
{
	int n;

	/* The run id also names namespaces and files: the same character set. */
	if (!netns_name_valid(run_id))
		return -EINVAL;
	n = snprintf(buf, len, XL_DOMAIN_PREFIX "%s-%s", run_id, role);
	if (n < 0 || (size_t)n >= len)
		return -EINVAL;
	return 0;
}

static int token_valid(const char *t)
{
	size_t n = t ? strlen(t) : 0;
	size_t i;

	if (n < 16 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = t[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

/* Absolute path without whitespace or quotes: it goes into xenstore and logs. */
static int path_valid(const char *p)
{
	if (!p || p[0] != '/' || strlen(p) >= PATH_MAX)
		return 0;
	return strpbrk(p, " \t\n\r'\"\\") == NULL;
}

static int set_str(char **dst, const char *src)
{
	*dst = strdup(src);
	return *dst ? 0 : -ENOMEM;
}

static int add_vifs(libxl_domain_config *dc, const enum xl_vif_role *roles, int n,
		    const char *script)
{
	int i, rc;

	dc->nics = calloc(n, sizeof(*dc->nics));
	if (!dc->nics)
		return -ENOMEM;
	dc->num_nics = n;
	for (i = 0; i < n; i++)
		libxl_device_nic_init(&dc->nics[i]);
	for (i = 0; i < n; i++) {
		const struct xl_vif_desc *v = &vifs[roles[i]];
		libxl_device_nic *nic = &dc->nics[i];

		nic->devid = i;
		nic->nictype = LIBXL_NIC_TYPE_VIF;
		memcpy(nic->mac, v->mac, sizeof(nic->mac));
		rc = set_str(&nic->bridge, v->bridge);
		if (!rc)
			rc = set_str(&nic->ifname, v->vifname);
		if (!rc && script)
			rc = path_valid(script) ? set_str(&nic->script, script) : -EINVAL;
		if (rc)
			return rc;
	}
	return 0;
}

/* The parts both domains share. A crashed domain is kept (preserve) so its
 * console can still be read and dut_check can say how it ended; teardown
 * destroys it. */
static int base_config(const struct run_cfg *cfg, const struct xl_run_files *f,
		       libxl_domain_type type, const char *role, unsigned memory_mb,
		       libxl_domain_config *dc)
{
	char name[96];
	int rc;

	rc = xl_domain_name(name, sizeof(name), f->run_id, role);
	if (rc)
		return rc;
	if (memory_mb < 32 || memory_mb > 65536)
		return -EINVAL;
	/* libxl_domain_config_init ran libxl_domain_create_info_init; libxl 4.17
	 * has no libxl_domain_create_info_init_type, so the type is set by hand. */
	dc->c_info.type = type;
	libxl_domain_build_info_init_type(&dc->b_info, type);
	rc = set_str(&dc->c_info.name, name);
	if (rc)
		return rc;
	dc->b_info.max_vcpus = 1;
	dc->b_info.max_memkb = (uint64_t)memory_mb * 1024;
	dc->b_info.target_memkb = dc->b_info.max_memkb;
	/* tsc_mode comes from cfg, default "native": under an emulator (Xen in
	 * qemu without KVM) a PVH guest executing RDTSCP crashes the domain
	 * ("Insn len emulation failed") unless the TSC is native. */
	rc = xl_tsc_mode_parse(cfg->tsc_mode[0] ? cfg->tsc_mode : "native", &dc->b_info.tsc_mode);
	if (rc)
		return rc;
	dc->on_poweroff = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
	dc->on_reboot = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
	dc->on_watchdog = LIBXL_ACTION_ON_SHUTDOWN_PRESERVE;
	dc->on_crash = LIBXL_ACTION_ON_SHUTDOWN_PRESERVE;
	return 0;
}

/* max_vcpus alone boots with vCPU 0 online only (libxl's default
 * avail_vcpus, as xl without vcpus=): every vCPU online from the start.
 * The bitmap is allocated by hand (libxl_bitmap_alloc wants a ctx) and
 * freed by libxl_domain_config_dispose. */
static int online_vcpus(libxl_domain_config *dc, unsigned n)
{
	libxl_bitmap *b = &dc->b_info.avail_vcpus;
	unsigned i;

	b->size = (n + 7) / 8;
	b->map = calloc(b->size, 1);
	if (!b->map) {
		b->size = 0;
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		b->map[i / 8] |= (uint8_t)(1u << (i % 8));
	dc->b_info.max_vcpus = (int)n;
	return 0;
}

/* The traff-gen Linux image as a PV guest: PV needs no tsc workaround and
 * boots any bzImage or (better under emulation) an uncompressed vmlinux. */
static int linux_config(const struct run_cfg *cfg, const struct xl_run_files *f,
			enum xl_guest_mode mode, libxl_domain_config *dc)
{
	static const enum xl_vif_role gen_roles[] = {XL_VIF_GEN_DATA, XL_VIF_GEN_SINK,
						     XL_VIF_GEN_CTL};
	static const enum xl_vif_role fwd_roles[] = {XL_VIF_DUT_IN, XL_VIF_DUT_OUT};
	/* the goodput and rr modes (two ends): the server's namespace in gen,
	 * both ways in fwd */
	const char *goodput =
	    cfg->mode == MODE_GOODPUT || cfg->mode == MODE_RR ? " mirperf.goodput=1" : "";
	char cmdline[512];
	unsigned mem, vcpus = 1;
	int rc;

	if (!path_valid(f->gen_kernel) || !path_valid(f->initramfs))
		return -EINVAL;
	if (mode == XL_MODE_GEN) {
		if (!token_valid(f->token))
			return -EINVAL;
		/* One netfront queue per sending thread (netfront's own default is
		 * one per vCPU, and the sink's vCPU needs no TX queue). */
		snprintf(cmdline, sizeof(cmdline),
			 "console=hvc0 quiet mirperf.mode=gen mirperf.ctl=%s/%d mirperf.port=%d "
			 "mirperf.token=%s xen_netfront.max_queues=%u%s",
			 XL_CTL_GUEST_ADDR, XL_CTL_PREFIX, XL_AGENT_PORT, f->token,
			 cfg->gen_threads ? cfg->gen_threads : 1, goodput);
		mem = cfg->gen_memory_mb ? cfg->gen_memory_mb : 256;
		vcpus = cfg->gen_vcpus ? cfg->gen_vcpus : 1;
		if (vcpus > XL_GEN_VCPUS_MAX)
			return -EINVAL;
	} else {
		snprintf(cmdline, sizeof(cmdline), "console=hvc0 quiet mirperf.mode=fwd%s", goodput);
		mem = cfg->dut_memory_mb ? cfg->dut_memory_mb : 256;
	}
	rc =
	    base_config(cfg, f, LIBXL_DOMAIN_TYPE_PV, mode == XL_MODE_GEN ? "gen" : "dut", mem, dc);
	if (!rc && vcpus > 1)
		rc = online_vcpus(dc, vcpus);
	if (!rc)
		rc = set_str(&dc->b_info.kernel, f->gen_kernel);
	if (!rc)
		rc = set_str(&dc->b_info.ramdisk, f->initramfs);
	if (!rc)
		rc = set_str(&dc->b_info.cmdline, cmdline);
	if (rc)
		return rc;
	if (mode == XL_MODE_GEN)
		return add_vifs(dc, gen_roles, 3, f->vif_script);
	return add_vifs(dc, fwd_roles, 2, f->vif_script);
}

int xl_config_gen(const struct run_cfg *cfg, const struct xl_run_files *f, libxl_domain_config *dc)
{
	int rc;

	libxl_domain_config_init(dc);
	rc = linux_config(cfg, f, XL_MODE_GEN, dc);
	if (rc)
		libxl_domain_config_dispose(dc);
	return rc;
}

int xl_config_dut(const struct run_cfg *cfg, const struct xl_run_files *f, libxl_domain_config *dc)
{
	/* the library's iperf3 server in place of its forwarder (the CLI
	 * allows server = dut for a library in the goodput mode only) */
	int server = run_cfg_dut_serves(cfg);
	enum xl_vif_role roles[2];
	int rc;

	libxl_domain_config_init(dc);
	if (!f->dut_kernel) {
		rc = linux_config(cfg, f, XL_MODE_FWD, dc);
		goto out;
	}
	/* MirageOS 4 builds Xen unikernels for PVH only. */
	rc = -EINVAL;
	roles[0] = f->dut_netif[0];
	roles[1] = f->dut_netif[1];
	if (!path_valid(f->dut_kernel))
		goto out;
	if (server && roles[0] != XL_VIF_DUT_IN)
		goto out;
	if (!server && (roles[0] == roles[1] ||
			(roles[0] != XL_VIF_DUT_IN && roles[0] != XL_VIF_DUT_OUT) ||
			(roles[1] != XL_VIF_DUT_IN && roles[1] != XL_VIF_DUT_OUT)))
		goto out;
	rc = base_config(cfg, f, LIBXL_DOMAIN_TYPE_PVH, "dut",
			 cfg->dut_memory_mb ? cfg->dut_memory_mb : 256, dc);
	if (!rc)
		rc = set_str(&dc->b_info.kernel, f->dut_kernel);
	/* The two-ended modes need both ways: our recipe's forwarder takes
	 * --bidir (recipes/mirage-net-xen/unikernel.ml), on its command line
	 * (solo5 hands the PVH cmdline to the runtime's arguments). Another
	 * image's arguments are not ours to know (the CLI refuses it there). */
	/* The iperf3 server (server = dut) takes its address there too, the
	 * one the client's route already reaches on if1; no --bidir, no if2. */
	if (!rc && server)
		rc = set_str(&dc->b_info.cmdline, "--ipv4=" XL_SERVER_ADDR "/" XL_STR(XL_ENDS_PREFIX)
						  " --ipv4-only=true");
	else if (!rc && cfg->dut_kind == RUN_DUT_LIBRARY &&
		 (cfg->mode == MODE_GOODPUT || cfg->mode == MODE_RR))
		rc = set_str(&dc->b_info.cmdline, "--bidir");
	if (!rc)
		rc = add_vifs(dc, roles, server ? 1 : 2, f->vif_script);
out:
	if (rc)
		libxl_domain_config_dispose(dc);
	return rc;
}
