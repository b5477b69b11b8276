#include "harness/platform/xen/xen_guest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "harness/platform/xen/initramfs.h"
#include "harness/platform/xen/recipe.h"
#include "lib/log.h"

/* The traff-gen kernel: cfg gen_kernel, else dom0's own, an uncompressed
 * vmlinux first (libxl then skips the decompression that failed under
 * emulation, see the xen-in-qemu note), else its vmlinuz. */
static int resolve_kernel(const struct run_cfg *cfg, struct xen_guest *g)
{
	struct utsname u;
	unsigned i;

	if (cfg->gen_kernel[0]) {
		if (!realpath(cfg->gen_kernel, g->kernel)) {
			int rc = -errno;

			log_err("traff-gen kernel %s (gen_kernel): %s", cfg->gen_kernel,
				strerror(-rc));
			return rc;
		}
		return 0;
	}
	uname(&u);
	for (i = 0; i < 2; i++) {
		snprintf(g->kernel, sizeof(g->kernel), "/boot/vmlinu%c-%s", i ? 'z' : 'x',
			 u.release);
		if (access(g->kernel, R_OK) == 0)
			return 0;
	}
	log_err("no kernel for the traff-gen guest: neither /boot/vmlinux-%s nor "
		"/boot/vmlinuz-%s is readable; set gen_kernel in mir-perf.conf",
		u.release, u.release);
	return -ENOENT;
}

/* mir-geninit and mir-trafgen.static are installed beside mir-perf. */
static int beside_me(char *out, size_t len, const char *name)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		return -errno;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	if (snprintf(out, len, "%s/%s", self, name) >= (int)len)
		return -ENAMETOOLONG;
	if (access(out, R_OK)) {
		log_err("%s is missing (it is built by `make` beside mir-perf)", out);
		return -ENOENT;
	}
	return 0;
}

/* The goodput mode's iperf3: this machine's (Debian's package, the one the
 * local platform runs too), the first in PATH, as the CLI checked. */
static int find_iperf3(char *out, size_t len)
{
	const char *path = getenv("PATH"), *dir, *end;

	for (dir = path && *path ? path : "/usr/bin:/bin"; *dir; dir = end + (*end == ':')) {
		end = strchrnul(dir, ':');
		if (end > dir && snprintf(out, len, "%.*s/iperf3", (int)(end - dir), dir) < (int)len &&
		    access(out, X_OK) == 0)
			return 0;
		if (!*end)
			break;
	}
	log_err("the goodput mode's traff-gen guest carries iperf3, and there is no iperf3 in "
		"PATH; install it: apt-get install iperf3");
	return -ENOENT;
}

static int build_initramfs(const struct run_cfg *cfg, struct xen_guest *g)
{
	char geninit[PATH_MAX], trafgen[PATH_MAX], iperf3[PATH_MAX], err[512];
	struct initramfs_src src = {.geninit = geninit, .trafgen = trafgen, .kernel = g->kernel};
	int rc;

	rc = beside_me(geninit, sizeof(geninit), "mir-geninit");
	if (!rc)
		rc = beside_me(trafgen, sizeof(trafgen), "mir-trafgen.static");
	if (!rc && cfg->mode == MODE_GOODPUT) {
		rc = find_iperf3(iperf3, sizeof(iperf3));
		src.iperf3 = iperf3;
	}
	if (rc)
		return rc;
	rc = initramfs_build(&src, g->initramfs, sizeof(g->initramfs), err, sizeof(err));
	if (rc)
		log_err("traff-gen guest: %s", err);
	else
		log_verbose("traff-gen guest: kernel %s, initramfs %s", g->kernel, g->initramfs);
	return rc;
}

/* The recipe's forwarder sources: beside the binaries in a build tree
 * (bin/../recipes), else where `make install` put them. */
static int recipe_sources(char *out, size_t len, const char *name)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash)
			*slash = '\0';
		if (snprintf(out, len, "%s/../recipes/%s", self, name) < (int)len &&
		    access(out, R_OK) == 0)
			return 0;
	}
	if (snprintf(out, len, "%s/recipes/%s", MP_DATADIR, name) < (int)len &&
	    access(out, R_OK) == 0)
		return 0;
	log_err("the sources of recipe %s are neither beside mir-perf nor in %s/recipes", name,
		MP_DATADIR);
	return -ENOENT;
}

/* A unikernel built by its recipe; the .xl.in template says which netif is
 * which: our forwarder reads from netif "0" (if1) and writes to "1" (if2).
 * With server = dut the recipe's iperf3 server instead: netif "0" alone, on
 * if1, where the client is. */
static int build_library(const struct run_cfg *cfg, struct xen_guest *g)
{
	/* The toolchain key of this process's last offline build and its
	 * mirror: an A/B pair's second build takes the first one's toolchain. */
	static char key_mirror[PATH_MAX], key[65];
	struct recipe_result r;
	struct recipe_opts o = {.commit = cfg->commit,
				.sources = cfg->mirage_sources,
				.repo = cfg->mirage_repo,
				.unikernel = run_cfg_dut_serves(cfg) ? RECIPE_IPERF3
								     : RECIPE_FORWARDER};
	char src[PATH_MAX];
	int i, rc;

	if (cfg->mirage_sources[0] && !strcmp(key_mirror, cfg->mirage_sources))
		o.toolchain_key = key;
	rc = recipe_sources(src, sizeof(src), cfg->library);
	o.src_dir = src;
	if (!rc)
		rc = recipe_build(cfg->library, &o, &r);
	if (rc)
		return rc; /* reported by the recipe */
	if (r.toolchain_key[0]) {
		snprintf(key_mirror, sizeof(key_mirror), "%s", cfg->mirage_sources);
		memcpy(key, r.toolchain_key, sizeof(key));
	}
	log_info("%s at %s%s: %s%s", cfg->library, r.commit,
		 o.unikernel == RECIPE_IPERF3 ? " (the iperf3 server)" : "", r.kernel,
		 r.cache_hit ? " (cached)" : "");
	for (i = 0; i < (o.unikernel == RECIPE_IPERF3 ? 1 : 2); i++) {
		if (!strcmp(r.netif[i], "0"))
			g->dut_netif[i] = XL_VIF_DUT_IN;
		else if (!strcmp(r.netif[i], "1"))
			g->dut_netif[i] = XL_VIF_DUT_OUT;
		else {
			log_err("%s: netif '%s' is neither \"0\" (input) nor \"1\" (output)",
				r.xl_in, r.netif[i]);
			return -EINVAL;
		}
	}
	snprintf(g->dut_kernel, sizeof(g->dut_kernel), "%s", r.kernel);
	g->unikernel = 1;
	return 0;
}

/* Which DUT: a library built at a commit, a unikernel image, or the
 * traff-gen image forwarding (linux-fwd). */
static int resolve_dut(const struct run_cfg *cfg, struct xen_guest *g)
{
	const char *dut = cfg->dut;

	g->dut_netif[0] = XL_VIF_DUT_IN;
	g->dut_netif[1] = XL_VIF_DUT_OUT;
	if (cfg->library[0])
		return build_library(cfg, g);
	if (!strcmp(dut, "linux-fwd")) {
		g->dut_kernel[0] = '\0';
		return 0;
	}
	if (!strncmp(dut, "image:", 6)) {
		if (!realpath(dut + 6, g->dut_kernel)) {
			int rc = -errno;

			log_err("--dut %s: %s", dut, strerror(-rc));
			return rc;
		}
		g->unikernel = 1;
		return 0;
	}
	log_err("--dut %s: the xen platform runs image:PATH, linux-fwd or a built library", dut);
	return -EINVAL;
}

int xen_guest_prepare(const struct run_cfg *cfg, struct xen_guest *g)
{
	int rc;

	memset(g, 0, sizeof(*g));
	rc = resolve_dut(cfg, g);
	if (!rc)
		rc = resolve_kernel(cfg, g);
	if (!rc)
		rc = build_initramfs(cfg, g);
	if (!rc)
		rc = beside_me(g->vif_script, sizeof(g->vif_script), "mir-vif-hotplug");
	return rc;
}
