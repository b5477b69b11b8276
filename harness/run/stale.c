#include "harness/run/stale.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/config/quote.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/netns.h"
#include "lib/nl.h"
#include "lib/proc.h"

#define STOP_GRACE_NS (3 * NSEC_PER_SEC)

static const char *const kind_words[STATE_KINDS] = {"namespace", "link", "process", "file",
						    "domain"};

/* mp-<id> or mp-<id>-<more>, in the character set of namespace names. */
static int run_owns_name(const char *name, const char *id)
{
	size_t n = strlen(id);

	if (strncmp(name, "mp-", 3) || strncmp(name + 3, id, n) || !netns_name_valid(name))
		return 0;
	return name[3 + n] == '\0' || (name[3 + n] == '-' && name[4 + n] != '\0');
}

/* Absolute, and no component is "." or ".." (nor empty: no "//"). */
static int path_plain_abs(const char *p)
{
	if (p[0] != '/')
		return 0;
	while (*p == '/') {
		const char *c = p + 1;
		size_t n = strcspn(c, "/");

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		p = c + n;
	}
	return 1;
}

static int root_link_ours(const char *ifname, const char *const *root_links)
{
	for (; root_links && *root_links; root_links++)
		if (!strcmp(ifname, *root_links))
			return 1;
	return 0;
}

int stale_rec_check(const struct state_rec *r, const char *run_id, const struct stale_platform *pf)
{
	char name[1024], ifname[256];
	const char *why = NULL;

	switch (r->kind) {
	case STATE_NETNS:
	case STATE_DOMAIN:
		if (!run_owns_name(r->name, run_id))
			why = "not named mp-<run id> or mp-<run id>-*";
		break;
	case STATE_LINK:
		if (!nlh_ifname_valid(r->ifname))
			why = "not a valid interface name";
		else if (!r->name[0] && !root_link_ours(r->ifname, pf->root_links))
			why = "in the root namespace, where this platform makes no such link";
		else if (r->name[0] && !run_owns_name(r->name, run_id))
			why = "in a namespace not named mp-<run id> or mp-<run id>-*";
		break;
	case STATE_FILE:
		if (!path_plain_abs(r->name))
			why = "not an absolute path without '.' or '..' components";
		break;
	case STATE_PROC:
		if (r->pid <= 1)
			why = "not a process a run starts";
		break;
	default:
		why = "of no kind mir-perf records";
	}
	if (!why)
		return 0;
	/* the names come from a file: quoted, so none reaches the terminal raw */
	quote_text(name, sizeof(name), r->name, strlen(r->name), 200);
	quote_text(ifname, sizeof(ifname), r->ifname, strlen(r->ifname), 40);
	if (r->kind == STATE_PROC)
		log_err("cleanup: run %s: process %d is %s; left alone", run_id, (int)r->pid, why);
	else if (r->kind == STATE_LINK)
		log_err("cleanup: run %s: link '%s' in namespace '%s' is %s; left alone", run_id,
			ifname, r->name[0] ? name : "(root)", why);
	else
		log_err("cleanup: run %s: %s '%s' is %s; left alone", run_id,
			(unsigned)r->kind < STATE_KINDS ? kind_words[r->kind] : "record", name,
			why);
	return -EPERM;
}

/* Signalled only while the pid still has the recorded start time: once the
 * process ended, its pid (and group id) may be anybody's. */
static int undo_proc(const struct state_rec *r, const char *id)
{
	uint64_t now;
	int rc;

	if (proc_stat(r->pid, &now, NULL))
		return 0; /* gone */
	if (now != r->starttime) {
		log_warn("cleanup: run %s: pid %d is now another process (start time %llu, the "
			 "run's was %llu); left alone",
			 id, (int)r->pid, (unsigned long long)now,
			 (unsigned long long)r->starttime);
		return 0; /* the run's process is gone: nothing of it is left */
	}
	rc = proc_stop_stale(r->pid, r->starttime, STOP_GRACE_NS);
	if (rc)
		log_err("cleanup: process %d survived SIGKILL", (int)r->pid);
	else
		log_verbose("cleanup: process %d stopped", (int)r->pid);
	return rc;
}

static int undo_file(const struct state_rec *r)
{
	if (unlink(r->name) && errno == EISDIR)
		rmdir(r->name);
	if (access(r->name, F_OK) == 0) {
		log_err("cleanup: cannot remove %s", r->name);
		return -EBUSY;
	}
	return 0;
}

static int undo_link(const struct state_rec *r)
{
	struct nlh *h = NULL;
	int rc;

	if (r->name[0] && !netns_exists(r->name))
		return 0; /* went with its namespace */
	rc = nlh_open(r->name[0] ? r->name : NULL, &h);
	if (!rc)
		rc = nlh_link_del(h, r->ifname);
	if (rc)
		log_err("cleanup: cannot remove link %s in %s: %s%s%s", r->ifname,
			r->name[0] ? r->name : "the root namespace", strerror(-rc),
			h && nlh_error(h)[0] ? ": " : "", h ? nlh_error(h) : "");
	else
		log_verbose("cleanup: link %s removed", r->ifname);
	nlh_close(h);
	return rc;
}

static int undo(const struct stale_platform *pf, const struct state_rec *r, const char *id)
{
	unsigned i;
	int rc = stale_rec_check(r, id, pf);

	if (rc)
		return rc;
	for (i = 0; i < pf->nkinds; i++)
		if (pf->kinds[i].kind == r->kind)
			return pf->kinds[i].undo(r, pf->arg);
	switch (r->kind) {
	case STATE_PROC:
		return undo_proc(r, id);
	case STATE_FILE:
		return undo_file(r);
	case STATE_LINK:
		return undo_link(r);
	default:
		log_err("cleanup: run %s: a %s record ('%s') is for another platform than %s; "
			"left for it",
			id, kind_words[r->kind], r->name, pf->name);
		return -EOPNOTSUPP;
	}
}

static int owner_alive(const struct state_file *sf)
{
	uint64_t st;

	return proc_stat(sf->owner, &st, NULL) == 0 && st == sf->owner_start;
}

/* One state file: 1 when it is another's (a live owner, another platform),
 * else 0 once every record was undone, or the first error. */
static int clean_file(const struct stale_platform *pf, const char *path)
{
	struct state_file sf;
	char err[300];
	int rc = 0, r;
	unsigned i;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return 1; /* gone meanwhile: not ours to count */
	r = state_parse(f, &sf, err, sizeof(err));
	fclose(f);
	if (r) {
		log_warn("%s: %s: left alone", path, err);
		return -EINVAL;
	}
	if (owner_alive(&sf) || (sf.platform[0] && strcmp(pf->name, sf.platform))) {
		state_file_free(&sf);
		return 1;
	}
	for (i = sf.n; i-- > 0;) {
		r = undo(pf, &sf.recs[i], sf.id);
		if (r)
			rc = -EBUSY;
	}
	state_file_free(&sf);
	if (!rc)
		unlink(path);
	return rc;
}

int stale_cleanup(const struct stale_platform *pf, unsigned *runs)
{
	char path[PATH_MAX + 300];
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	*runs = 0;
	dir = opendir(state_dir());
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((d = readdir(dir))) {
		size_t n = strlen(d->d_name);
		int r;

		if (n < 11 || strncmp(d->d_name, "run-", 4) || strcmp(d->d_name + n - 6, ".state"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", state_dir(), d->d_name);
		r = clean_file(pf, path);
		if (r == 0)
			(*runs)++;
		else if (r < 0 && !rc)
			rc = r;
	}
	closedir(dir);
	if (*runs)
		log_info("cleanup: removed what %u killed run%s left behind", *runs,
			 *runs == 1 ? "" : "s");
	return rc;
}
