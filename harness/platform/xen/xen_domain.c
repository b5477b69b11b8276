#include "harness/platform/xen/xen_domain.h"

#include <errno.h>
#include <fcntl.h>
#include <libxl_utils.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness/platform/dut_activity.h"
#include "harness/platform/xen/xen_console.h"
#include "harness/platform/xen/xl_redact.h"
#include "harness/run/state.h"
#include "lib/log.h"
#include "lib/mtime.h"

#define CONSOLE_LOGDIR "/var/log/xen/console"

void xen_domain_init(struct xen_domain *d, const char *role)
{
	memset(d, 0, sizeof(*d));
	d->role = role;
	d->domid = XEN_NO_DOMID;
}

static int record_domain(struct run_state *st, const char *name, int add)
{
	struct state_rec r;

	memset(&r, 0, sizeof(r));
	r.kind = STATE_DOMAIN;
	snprintf(r.name, sizeof(r.name), "%s", name);
	return add ? run_state_add(st, &r) : run_state_release(st, &r);
}

int xen_domain_start(const struct xen_dom_env *e, struct xen_domain *d, libxl_domain_config *dc)
{
	uint32_t domid = XEN_NO_DOMID;
	char path[PATH_MAX + 32], why[512];
	int rc, made = 0;

	snprintf(d->name, sizeof(d->name), "%s", dc->c_info.name);
	rc = record_domain(e->st, d->name, 1);
	if (rc) {
		log_err("recording domain %s in the run state: %s", d->name, strerror(-rc));
		goto out;
	}
	log_info("creating domain %s (%s)", d->name,
		 dc->c_info.type == LIBXL_DOMAIN_TYPE_PVH ? "PVH" : "PV");
	made = 1;
	xl_redact_take_error(e->redact, why, sizeof(why)); /* only this call's */
	rc = libxl_domain_create_new(e->ctx, dc, &domid, NULL, NULL);
	if (rc) {
		xl_redact_take_error(e->redact, why, sizeof(why));
		if (d->image)
			log_err("Xen refused to boot the DUT image %s: %s (libxl error %d; its "
				"messages are in %s/xen.log)",
				d->image, why[0] ? why : "no reason logged", rc, e->run_dir);
		else
			log_err("libxl could not create domain %s (libxl error %d%s%s); libxl's "
				"messages are in %s/xen.log",
				d->name, rc, why[0] ? ": " : "", why, e->run_dir);
		rc = -EIO;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/console-%s.log", e->run_dir, d->role);
	if (xen_console_start(e->ctx, domid, path, e->token, &d->console))
		log_warn("no console pty for %s; its console is copied from %s at teardown",
			 d->name, CONSOLE_LOGDIR);
	rc = libxl_domain_unpause(e->ctx, domid, NULL);
	if (rc) {
		log_err("libxl could not unpause domain %s (libxl error %d)", d->name, rc);
		rc = -EIO;
		goto out;
	}
	d->domid = domid;
	domid = XEN_NO_DOMID;
out:
	if (domid != XEN_NO_DOMID) {
		xen_console_stop(d->console);
		d->console = NULL;
		libxl_domain_destroy(e->ctx, domid, NULL);
	}
	if (rc && made && libxl_name_to_domid(e->ctx, d->name, &domid))
		record_domain(e->st, d->name, 0); /* nothing is left of it */
	return rc;
}

int xen_domain_state(const struct xen_dom_env *e, const struct xen_domain *d, char *why, size_t len)
{
	libxl_dominfo info;
	int rc = 0;

	if (d->domid == XEN_NO_DOMID)
		return 0;
	libxl_dominfo_init(&info);
	if (libxl_domain_info(e->ctx, &info, d->domid)) {
		snprintf(why, len, "domain %s is gone (see %s/console-%s.log)", d->name, e->run_dir,
			 d->role);
		rc = -ESRCH;
	} else if (info.shutdown || info.dying) {
		snprintf(why, len, "domain %s stopped (%s); its console is in %s/console-%s.log",
			 d->name,
			 info.shutdown ? libxl_shutdown_reason_to_string(info.shutdown_reason)
				       : "dying",
			 e->run_dir, d->role);
		rc = -ESRCH;
	}
	libxl_dominfo_dispose(&info);
	return rc;
}

int xen_domain_sample(const struct xen_dom_env *e, const struct xen_domain *d,
		      struct dut_sample *s)
{
	libxl_dominfo info;
	int rc = 0;

	if (d->domid == XEN_NO_DOMID)
		return -ENOENT;
	libxl_dominfo_init(&info);
	if (libxl_domain_info(e->ctx, &info, d->domid)) {
		rc = -ESRCH;
		goto out;
	}
	memset(s, 0, sizeof(*s));
	s->at_ns = mtime_now_ns();
	s->cpu_ns = info.cpu_time;
	/* Xen's view: a vCPU on a CPU, all vCPUs blocked, paused, or runnable
	 * and waiting for a CPU (busy all the same). */
	s->busy = info.running || (!info.blocked && !info.paused && !info.shutdown && !info.dying);
	snprintf(s->state, sizeof(s->state), "%s",
		 info.shutdown || info.dying ? "shut down"
		 : info.paused		     ? "paused"
		 : info.running		     ? "running"
		 : info.blocked		     ? "blocked"
					     : "runnable");
out:
	libxl_dominfo_dispose(&info);
	return rc;
}

void xen_domain_shutdown(const struct xen_dom_env *e, const struct xen_domain *d, uint64_t wait_ns)
{
	uint64_t deadline = mtime_now_ns() + wait_ns;
	char why[512];

	if (d->domid == XEN_NO_DOMID || libxl_domain_shutdown(e->ctx, d->domid, NULL))
		return;
	while (!xen_domain_state(e, d, why, sizeof(why)) && mtime_now_ns() < deadline)
		usleep(100 * 1000);
}

/* Copy xenconsoled's own log of a guest (--log=guest) when the pty gave nothing. */
static void console_fallback(const struct xen_dom_env *e, const struct xen_domain *d)
{
	char src[PATH_MAX], dst[PATH_MAX + 32], buf[8192];
	struct xl_redact_stream rs;
	int in, outfd;
	ssize_t n;

	snprintf(src, sizeof(src), CONSOLE_LOGDIR "/guest-%s.log", d->name);
	snprintf(dst, sizeof(dst), "%s/console-%s.log", e->run_dir, d->role);
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return;
	/* the console shows the kernel command line: the token is redacted,
	 * and the file is root's alone all the same */
	outfd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (outfd >= 0 && !xl_redact_stream_init(&rs, e->token)) {
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (xl_redact_stream_write(&rs, outfd, buf, (size_t)n, 0))
				break;
		(void)xl_redact_stream_write(&rs, outfd, "", 0, 1);
	}
	if (outfd >= 0)
		close(outfd);
	close(in);
}

void xen_domain_destroy(const struct xen_dom_env *e, struct xen_domain *d)
{
	int had_console = xen_console_bytes(d->console) > 0;

	if (d->domid != XEN_NO_DOMID) {
		int rc = libxl_domain_destroy(e->ctx, d->domid, NULL);

		if (rc)
			log_warn("destroying domain %s: libxl error %d", d->name, rc);
		else
			record_domain(e->st, d->name, 0);
	}
	xen_console_stop(d->console);
	d->console = NULL;
	if (d->name[0] && !had_console)
		console_fallback(e, d);
}
