/* The libxl domain configurations of a Xen run, compared as libxl's own JSON
 * against checked-in golden files. libxl_domain_config_to_json needs no
 * hypervisor (NULL ctx), so this runs on any machine with libxen-dev.
 * MP_GOLDEN_UPDATE=1 rewrites the golden files instead and reports the tests
 * skipped (review the diff); under CI (CI set) it fails instead. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "harness/platform/xen/xl_config.h"

#define TOKEN "0123456789abcdefABCDEF0123456789"

static void fixed_cfg(struct run_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->dut_memory_mb = 256;
	cfg->gen_memory_mb = 384;
	strcpy(cfg->tsc_mode, "native");
}

static void fixed_files(struct xl_run_files *f)
{
	memset(f, 0, sizeof(*f));
	f->run_id = "20261125T123456Z";
	f->gen_kernel = "/boot/vmlinux-6.1.0-28-amd64";
	f->initramfs = "/var/cache/mir-perf/initramfs/0123abcd.cpio";
	f->token = TOKEN;
	f->vif_script = "/usr/local/bin/mir-vif-hotplug";
	f->dut_netif[0] = XL_VIF_DUT_IN;
	f->dut_netif[1] = XL_VIF_DUT_OUT;
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		buf = calloc(1, n + 1);
		if (buf && fread(buf, 1, n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(fp);
	return buf;
}

/* MP_GOLDEN_UPDATE=1 (as tests/integration/cli_dry_run.sh; MP_UPDATE_GOLDEN=1
 * is the older name): rewrite the golden files instead of comparing. */
static int golden_update(void)
{
	const char *a = getenv("MP_GOLDEN_UPDATE"), *b = getenv("MP_UPDATE_GOLDEN");

	return (a && !strcmp(a, "1")) || (b && !strcmp(b, "1"));
}

static void check_golden(libxl_domain_config *dc, const char *name)
{
	const char *top = getenv("MP_TOP");
	char path[4096], *json, *want;

	snprintf(path, sizeof(path), "%s/tests/golden/xen/%s", top ? top : ".", name);
	json = libxl_domain_config_to_json(NULL, dc);
	assert_non_null(json);
	if (golden_update()) {
		FILE *fp;

		/* Rewriting then comparing cannot fail: never a pass, never in CI. */
		if (getenv("CI") && *getenv("CI"))
			fail_msg("golden update mode under CI (CI=%s): %s is never rewritten there",
				 getenv("CI"), path);
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(json, fp);
		assert_int_equal(fclose(fp), 0);
		free(json);
		/* tests/run fails on this skip: review the diff, run again without it. */
		skip();
	}
	want = read_file(path);
	if (!want)
		fail_msg("cannot read golden file %s", path);
	if (strcmp(json, want))
		fail_msg("%s differs from libxl's JSON of the built config:\n%s", path, json);
	free(want);
	free(json);
}

static void test_gen_golden(void **state)
{
	struct run_cfg cfg;
	struct xl_run_files f;
	libxl_domain_config dc;

	fixed_cfg(&cfg);
	fixed_files(&f);
	/* two sending threads and the sink's vCPU: 3 vCPUs online, 2 netfront queues */
	cfg.gen_threads = 2;
	cfg.gen_vcpus = 3;
	assert_int_equal(xl_config_gen(&cfg, &f, &dc), 0);
	check_golden(&dc, "gen.json");
	libxl_domain_config_dispose(&dc);
}

static void test_dut_unikernel_golden(void **state)
{
	struct run_cfg cfg;
	struct xl_run_files f;
	libxl_domain_config dc;

	fixed_cfg(&cfg);
	fixed_files(&f);
	f.dut_kernel = "/home/u/.cache/mir-perf/mirage-net-xen/"
		       "0123456789abcdef0123456789abcdef01234567/dist/forward.xen";
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), 0);
	check_golden(&dc, "dut-unikernel.json");
	libxl_domain_config_dispose(&dc);
}

static void test_dut_linux_fwd_golden(void **state)
{
	struct run_cfg cfg;
	struct xl_run_files f;
	libxl_domain_config dc;

	fixed_cfg(&cfg);
	fixed_files(&f);
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), 0);
	check_golden(&dc, "dut-linux-fwd.json");
	libxl_domain_config_dispose(&dc);
}

/* The two-ended modes (goodput, rr): the traff-gen guest splits off the
 * server's namespace and linux-fwd forwards both ways (mirperf.goodput=1 on
 * both command lines); a library's forwarder is booted with --bidir, which
 * our recipe's forwarder takes; a prebuilt image gets no argument of ours,
 * nor does any DUT in the frames mode. */
static void test_two_ended_modes(void **state)
{
	static const enum run_mode modes[] = {MODE_RR, MODE_GOODPUT};
	struct run_cfg cfg;
	struct xl_run_files f;
	libxl_domain_config dc;
	unsigned i;

	for (i = 0; i < 2; i++) {
		fixed_cfg(&cfg);
		fixed_files(&f);
		cfg.mode = modes[i];
		cfg.dut_kind = RUN_DUT_LINUX_FWD;
		assert_int_equal(xl_config_gen(&cfg, &f, &dc), 0);
		assert_non_null(strstr(dc.b_info.cmdline, " mirperf.goodput=1"));
		libxl_domain_config_dispose(&dc);
		assert_int_equal(xl_config_dut(&cfg, &f, &dc), 0);
		assert_string_equal(dc.b_info.cmdline, "console=hvc0 quiet mirperf.mode=fwd "
						       "mirperf.goodput=1");
		libxl_domain_config_dispose(&dc);

		f.dut_kernel = "/tmp/forward.xen";
		cfg.dut_kind = RUN_DUT_LIBRARY;
		assert_int_equal(xl_config_dut(&cfg, &f, &dc), 0);
		assert_string_equal(dc.b_info.cmdline, "--bidir");
		libxl_domain_config_dispose(&dc);
		cfg.dut_kind = RUN_DUT_IMAGE;
		assert_int_equal(xl_config_dut(&cfg, &f, &dc), 0);
		assert_null(dc.b_info.cmdline);
		libxl_domain_config_dispose(&dc);
	}
	fixed_cfg(&cfg);
	fixed_files(&f);
	cfg.mode = MODE_FRAMES;
	cfg.dut_kind = RUN_DUT_LIBRARY;
	assert_int_equal(xl_config_gen(&cfg, &f, &dc), 0);
	assert_null(strstr(dc.b_info.cmdline, "goodput"));
	libxl_domain_config_dispose(&dc);
	f.dut_kernel = "/tmp/forward.xen";
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), 0);
	assert_null(dc.b_info.cmdline);
	libxl_domain_config_dispose(&dc);
}

/* The .xl.in template decides which netif is on which bridge: a template
 * listing the if2 netif first puts tap1 at devid 0. */
static void test_dut_netif_order_from_template(void **state)
{
	struct run_cfg cfg;
	struct xl_run_files f;
	libxl_domain_config dc;

	fixed_cfg(&cfg);
	fixed_files(&f);
	f.dut_kernel = "/tmp/forward.xen";
	f.dut_netif[0] = XL_VIF_DUT_OUT;
	f.dut_netif[1] = XL_VIF_DUT_IN;
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), 0);
	assert_int_equal(dc.num_nics, 2);
	assert_string_equal(dc.nics[0].ifname, "tap1");
	assert_string_equal(dc.nics[0].bridge, "if2");
	assert_int_equal(dc.nics[0].devid, 0);
	assert_string_equal(dc.nics[1].ifname, "tap0");
	assert_int_equal(dc.c_info.type, LIBXL_DOMAIN_TYPE_PVH);
	assert_int_equal(dc.b_info.tsc_mode, LIBXL_TSC_MODE_NATIVE);
	libxl_domain_config_dispose(&dc);

	f.dut_netif[1] = XL_VIF_DUT_OUT;
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), -EINVAL);
}

/* server = dut (the goodput mode): the library's iperf3 server, one vif,
 * devid 0, tap0 on if1 where the client is, its address on the command line
 * (the one the client's route reaches on-link, xen_ends_addr's), no --bidir,
 * nothing on if2. As libxl's JSON too (dut-iperf3.json). */
static void test_dut_server(void **state)
{
	static const uint8_t mac[6] = {0x02, 0x6d, 0x70, 0x02, 0x00, 0x00};
	struct run_cfg cfg;
	struct xl_run_files f;
	libxl_domain_config dc;
	int i;

	fixed_cfg(&cfg);
	fixed_files(&f);
	cfg.mode = MODE_GOODPUT;
	cfg.server = RUN_SERVER_DUT;
	cfg.dut_kind = RUN_DUT_LIBRARY;
	f.dut_kernel = "/home/u/.cache/mir-perf/mirage-net-xen/"
		       "0123456789abcdef0123456789abcdef01234567-iperf3/dist/iperf3.xen";
	f.dut_netif[1] = XL_VIF_COUNT; /* the iperf3 server has no second netif */
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), 0);
	assert_int_equal(dc.c_info.type, LIBXL_DOMAIN_TYPE_PVH);
	assert_int_equal(dc.num_nics, 1);
	assert_int_equal(dc.nics[0].devid, 0);
	assert_string_equal(dc.nics[0].ifname, "tap0");
	assert_string_equal(dc.nics[0].bridge, "if1");
	assert_memory_equal(dc.nics[0].mac, mac, 6);
	assert_string_equal(dc.b_info.cmdline, "--ipv4=198.19.0.1/15 --ipv4-only=true");
	assert_string_equal(XL_SERVER_ADDR, "198.19.0.1");
	for (i = 0; i < dc.num_nics; i++)
		assert_string_not_equal(dc.nics[i].bridge, "if2");
	check_golden(&dc, "dut-iperf3.json");
	libxl_domain_config_dispose(&dc);

	/* a template whose devid 0 is not on if1 is refused */
	f.dut_netif[0] = XL_VIF_DUT_OUT;
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), -EINVAL);
	/* the traff-gen guest boots as for any goodput run */
	fixed_files(&f);
	assert_int_equal(xl_config_gen(&cfg, &f, &dc), 0);
	assert_int_equal(dc.num_nics, 3);
	assert_non_null(strstr(dc.b_info.cmdline, " mirperf.goodput=1"));
	libxl_domain_config_dispose(&dc);
	/* server = dut means nothing outside the goodput mode: the forwarder */
	f.dut_kernel = "/tmp/forward.xen";
	cfg.mode = MODE_RR;
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), 0);
	assert_int_equal(dc.num_nics, 2);
	assert_string_equal(dc.b_info.cmdline, "--bidir");
	libxl_domain_config_dispose(&dc);
}

static void test_bad_inputs(void **state)
{
	struct run_cfg cfg;
	struct xl_run_files f;
	libxl_domain_config dc;

	fixed_cfg(&cfg);
	fixed_files(&f);
	strcpy(cfg.tsc_mode, "nativ");
	assert_int_equal(xl_config_gen(&cfg, &f, &dc), -EINVAL);

	fixed_cfg(&cfg);
	f.token = "short";
	assert_int_equal(xl_config_gen(&cfg, &f, &dc), -EINVAL);
	f.token = "0123456789abcdef 123";
	assert_int_equal(xl_config_gen(&cfg, &f, &dc), -EINVAL);

	fixed_files(&f);
	f.run_id = "../etc";
	assert_int_equal(xl_config_gen(&cfg, &f, &dc), -EINVAL);

	fixed_files(&f);
	f.gen_kernel = "relative/vmlinux";
	assert_int_equal(xl_config_gen(&cfg, &f, &dc), -EINVAL);
	f.gen_kernel = "/boot/vm linux";
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), -EINVAL);

	fixed_files(&f);
	cfg.dut_memory_mb = 8;
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), -EINVAL);
}

static void test_defaults(void **state)
{
	struct run_cfg cfg;
	struct xl_run_files f;
	libxl_domain_config dc;

	memset(&cfg, 0, sizeof(cfg)); /* no memory, no tsc_mode: the defaults */
	fixed_files(&f);
	f.dut_kernel = "/tmp/forward.xen";
	assert_int_equal(xl_config_dut(&cfg, &f, &dc), 0);
	assert_int_equal(dc.b_info.max_memkb, 256 * 1024);
	assert_int_equal(dc.b_info.tsc_mode, LIBXL_TSC_MODE_NATIVE);
	assert_string_equal(dc.c_info.name, "mp-20261125T123456Z-dut");
	libxl_domain_config_dispose(&dc);
}

/* mir-geninit names the guest's interfaces by MAC: 02:6d:70:RR:00:NN is ethNN. */
static void test_macs_name_guest_interfaces(void **state)
{
	unsigned r;
	char want[8];

	for (r = 0; r < XL_VIF_COUNT; r++) {
		const struct xl_vif_desc *v = xl_vif(r);

		assert_int_equal(v->mac[0], 0x02);
		assert_int_equal(v->mac[1], 0x6d);
		assert_int_equal(v->mac[2], 0x70);
		assert_int_equal(v->mac[4], 0);
		snprintf(want, sizeof(want), "eth%u", v->mac[5]);
		assert_string_equal(v->guest_if, want);
	}
	assert_null(xl_vif(XL_VIF_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gen_golden),
	    cmocka_unit_test(test_dut_unikernel_golden),
	    cmocka_unit_test(test_dut_linux_fwd_golden),
	    cmocka_unit_test(test_dut_netif_order_from_template),
	    cmocka_unit_test(test_two_ended_modes),
	    cmocka_unit_test(test_dut_server),
	    cmocka_unit_test(test_bad_inputs),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_macs_name_guest_interfaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
