#include "harness/platform/xen/xen_stale.h"

#include <errno.h>
#include <libxl.h>
#include <libxl_utils.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xentoollog.h>

#include "harness/platform/xen/xl_config.h"
#include "harness/run/stale.h"
#include "lib/log.h"
#include "lib/nl.h"

#define XEN_PROC "/proc/xen"

/* The one kind only this platform makes (stale.h has checked its name). */
static int undo_domain(const struct state_rec *r, void *arg)
{
	libxl_ctx *ctx = arg;
	uint32_t domid;

	if (libxl_name_to_domid(ctx, r->name, &domid))
		return 0; /* gone already */
	if (libxl_domain_destroy(ctx, domid, NULL)) {
		log_err("cleanup: cannot destroy domain %s", r->name);
		return -EIO;
	}
	log_verbose("cleanup: domain %s destroyed", r->name);
	return 0;
}

static const struct stale_kind xen_kinds[] = {{STATE_DOMAIN, undo_domain}};
/* the links a xen run makes in dom0's namespace: its bridges */
static const char *const xen_root_links[] = {XL_BRIDGE_IN, XL_BRIDGE_OUT, XL_CTL_BRIDGE, NULL};

/* Domains named mp-* and the control bridge, recorded or not. */
static int sweep_orphans(libxl_ctx *ctx)
{
	libxl_dominfo *doms;
	struct nlh *nl = NULL;
	int n = 0, i, rc = 0;

	doms = libxl_list_domain(ctx, &n);
	for (i = 0; doms && i < n; i++) {
		char *name = libxl_domid_to_name(ctx, doms[i].domid);

		if (name && !strncmp(name, XL_DOMAIN_PREFIX, strlen(XL_DOMAIN_PREFIX))) {
			log_info("destroying stale domain %s", name);
			if (libxl_domain_destroy(ctx, doms[i].domid, NULL))
				rc = rc ? rc : -EIO;
		}
		free(name);
	}
	if (doms)
		libxl_dominfo_list_free(doms, n);
	if (nlh_open(NULL, &nl) == 0) {
		struct nlh_link l;

		if (nlh_link_get(nl, XL_CTL_BRIDGE, &l) == 0) {
			log_info("removing stale bridge " XL_CTL_BRIDGE);
			if (nlh_link_del(nl, XL_CTL_BRIDGE))
				rc = rc ? rc : -EIO;
		}
		nlh_close(nl);
	}
	return rc;
}

int xen_cleanup_stale(void)
{
	struct stale_platform xen = {
	    .name = "xen", .kinds = xen_kinds, .nkinds = 1, .root_links = xen_root_links};
	xentoollog_logger_stdiostream *lg = NULL;
	libxl_ctx *ctx = NULL;
	unsigned runs;
	int rc, r;

	if (access(XEN_PROC, F_OK))
		return 0;
	lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, XTL_STDIOSTREAM_HIDE_PROGRESS);
	if (!lg || libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, (xentoollog_logger *)lg)) {
		rc = -ENODEV;
		goto out;
	}
	xen.arg = ctx;
	rc = stale_cleanup(&xen, &runs);
	r = sweep_orphans(ctx);
	if (r && !rc)
		rc = r;
out:
	if (ctx)
		libxl_ctx_free(ctx);
	if (lg)
		xtl_logger_destroy((xentoollog_logger *)lg);
	return rc;
}
