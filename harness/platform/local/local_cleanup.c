#include "harness/platform/local/local_cleanup.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lib/nl.h"
#include "lib/proc.h"
#include "harness/run/state.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/netns.h"

#define STOP_GRACE_NS (3 * NSEC_PER_SEC)

/* Undo one record of a killed run. Only what this platform makes is touched:
 * namespaces named mp-*, links inside them, processes still matching their
 * start time, absolute paths. */
static int undo_stale(const struct state_rec *r, void *arg)
{
	struct nlh *h = NULL;
	int rc = 0;

	switch (r->kind) {
	case STATE_PROC:
		rc = proc_stop_stale(r->pid, r->starttime, STOP_GRACE_NS);
		if (rc)
			log_err("cleanup: process %d survived SIGKILL", (int)r->pid);
		else
			log_verbose("cleanup: process %d stopped", (int)r->pid);
		return rc;
	case STATE_LINK:
		if (strncmp(r->name, "mp-", 3) || !netns_name_valid(r->name)) {
			log_err("cleanup: link %s in namespace '%s' is not one mir-perf makes; "
				"left alone",
				r->ifname, r->name);
			return -EPERM;
		}
		if (!netns_exists(r->name))
			return 0; /* went with its namespace */
		rc = nlh_open(r->name, &h);
		if (!rc)
			rc = nlh_link_del(h, r->ifname);
		if (rc)
			log_err("cleanup: cannot remove link %s in %s: %s", r->ifname, r->name,
				strerror(-rc));
		nlh_close(h);
		return rc;
	case STATE_NETNS:
		if (strncmp(r->name, "mp-", 3) || !netns_name_valid(r->name)) {
			log_err("cleanup: namespace '%s' is not one mir-perf makes; left alone",
				r->name);
			return -EPERM;
		}
		if (!netns_exists(r->name))
			return 0;
		rc = netns_delete(r->name);
		if (rc)
			log_err("cleanup: cannot remove namespace %s: %s", r->name, strerror(-rc));
		else
			log_verbose("cleanup: namespace %s removed", r->name);
		return rc;
	case STATE_FILE:
		if (r->name[0] != '/')
			return -EPERM;
		if (unlink(r->name) && errno == EISDIR)
			rmdir(r->name);
		if (access(r->name, F_OK) == 0) {
			log_err("cleanup: cannot remove %s", r->name);
			return -EBUSY;
		}
		return 0;
	default:
		log_err("cleanup: a %s record is for another platform; left for it",
			r->kind == STATE_DOMAIN ? "Xen domain" : "foreign");
		return -EOPNOTSUPP;
	}
}

int local_cleanup_stale(void)
{
	unsigned runs = 0;
	int rc;

	rc = state_cleanup_stale_for("local", undo_stale, NULL, &runs);
	if (runs)
		log_info("cleanup: removed what %u killed run%s left behind", runs,
			 runs == 1 ? "" : "s");
	return rc;
}
