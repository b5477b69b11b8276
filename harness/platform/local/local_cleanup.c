#include "harness/platform/local/local_cleanup.h"

#include <string.h>

#include "harness/run/stale.h"
#include "lib/log.h"
#include "lib/netns.h"

/* The one kind only this platform makes (stale.h has done the name checks;
 * processes, links and files are undone there). */
static int undo_netns(const struct state_rec *r, void *arg)
{
	int rc;

	(void)arg;
	if (!netns_exists(r->name))
		return 0;
	rc = netns_delete(r->name);
	if (rc)
		log_err("cleanup: cannot remove namespace %s: %s", r->name, strerror(-rc));
	else
		log_verbose("cleanup: namespace %s removed", r->name);
	return rc;
}

static const struct stale_kind local_kinds[] = {{STATE_NETNS, undo_netns}};

int local_cleanup_stale(void)
{
	static const struct stale_platform local = {
	    .name = "local", .kinds = local_kinds, .nkinds = 1};
	unsigned runs;

	return stale_cleanup(&local, &runs);
}
