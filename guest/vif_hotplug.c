/* mir-vif-hotplug: the vif hotplug script libxl runs for mir-perf's domains
 * (libxl_device_nic.script), in place of /etc/xen/scripts/vif-bridge.
 *
 * Why not vif-bridge: it is a shell script forking some fifty processes per
 * vif; a traff-gen has three vifs set up at once, and under emulation (Xen in
 * qemu without KVM, as `make xen-check` runs it) they overran libxl's 40 s
 * hotplug timeout, failing the domain. This does the same for a bridged vif
 * in a few system calls: rename the backend interface to the vifname libxl
 * wrote, enslave it to its bridge, bring it up, and tell netback through
 * xenstore (hotplug-status = connected). No iptables rules: mir-perf's
 * bridges carry only its own test frames.
 *
 * libxl runs it as: mir-vif-hotplug online|offline|add|remove type_if=vif
 * with XENBUS_PATH (backend/vif/DOMID/DEVID) and vif (the kernel's name,
 * vifDOMID.DEVID) in the environment. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "lib/nl.h"

static int fail(struct xs_handle *xs, const char *xbpath, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Said on stderr (libxl logs it) and in xenstore, where libxl looks. */
static int fail(struct xs_handle *xs, const char *xbpath, const char *fmt, ...)
{
	char msg[256], key[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "mir-vif-hotplug: %s\n", msg);
	if (xs && xbpath) {
		snprintf(key, sizeof(key), "%s/hotplug-error", xbpath);
		xs_write(xs, XBT_NULL, key, msg, strlen(msg));
		snprintf(key, sizeof(key), "%s/hotplug-status", xbpath);
		xs_write(xs, XBT_NULL, key, "error", 5);
	}
	return 1;
}

/* backend/vif/N/N only: it is joined into xenstore paths. */
static int xbpath_valid(const char *p)
{
	unsigned a, b;
	char end;

	return p && strlen(p) < 64 && sscanf(p, "backend/vif/%u/%u%c", &a, &b, &end) == 2;
}

static char *read_key(struct xs_handle *xs, const char *xbpath, const char *key)
{
	char path[256];
	unsigned len;

	snprintf(path, sizeof(path), "%s/%s", xbpath, key);
	return xs_read(xs, XBT_NULL, path, &len);
}

int main(int argc, char **argv)
{
	const char *xbpath = getenv("XENBUS_PATH"), *dev = getenv("vif");
	struct xs_handle *xs = NULL;
	struct nlh *nl = NULL;
	char *vifname = NULL, *bridge = NULL, key[256];
	int rc = 1, err;

	if (argc < 2)
		return fail(NULL, NULL, "usage: mir-vif-hotplug online|offline");
	/* offline: the backend interface goes with the domain, and its bridge
	 * port with it; add/remove concern emulated (HVM) nics, which mir-perf
	 * does not use. */
	if (strcmp(argv[1], "online"))
		return 0;
	if (!xbpath_valid(xbpath) || !nlh_ifname_valid(dev))
		return fail(NULL, NULL, "bad XENBUS_PATH '%s' or vif '%s'", xbpath ? xbpath : "",
			    dev ? dev : "");
	xs = xs_open(0);
	if (!xs)
		return fail(NULL, NULL, "cannot open xenstore");
	vifname = read_key(xs, xbpath, "vifname");
	bridge = read_key(xs, xbpath, "bridge");
	if (!bridge || !nlh_ifname_valid(bridge) || (vifname && !nlh_ifname_valid(vifname))) {
		fail(xs, xbpath, "bad bridge '%s' or vifname '%s' in xenstore",
		     bridge ? bridge : "", vifname ? vifname : "");
		goto out;
	}
	err = nlh_open(NULL, &nl);
	if (err) {
		fail(xs, xbpath, "cannot open rtnetlink: %s", strerror(-err));
		goto out;
	}
	if (vifname && strcmp(vifname, dev) && nlh_link_rename(nl, dev, vifname)) {
		fail(xs, xbpath, "renaming the vif to %s: %s", vifname, nlh_error(nl));
		goto out;
	}
	if (vifname)
		dev = vifname;
	if (nlh_link_set_master(nl, dev, bridge) || nlh_link_set_up(nl, dev, 1)) {
		fail(xs, xbpath, "adding %s to bridge %s", dev, bridge);
		goto out;
	}
	snprintf(key, sizeof(key), "%s/hotplug-status", xbpath);
	if (!xs_write(xs, XBT_NULL, key, "connected", strlen("connected"))) {
		fail(xs, xbpath, "writing %s", key);
		goto out;
	}
	rc = 0;
out:
	if (nl)
		nlh_close(nl);
	free(vifname);
	free(bridge);
	xs_close(xs);
	return rc;
}
