/* Test driver of the local platform: the run lifecycle mir-perf goes through
 * (lock, cleanup of killed runs, state file, create, ..., destroy) with
 * actions in between, so the integration tests can exercise the platform on
 * its own.
 *
 *   platform_drive [OPTIONS] [ACTION...]      create, run the actions, destroy
 *   platform_drive [--wait-lock S] --cleanup  only remove leftovers
 * Options: --run-id ID  --dut SPEC  --dut-timeout SECONDS  --bindir DIR
 *          --no-agent  --dir RUNDIR  --wait-lock SECONDS
 * Actions: size=BYTES             prepare_size
 *          probe=COUNT[:BYTES]    frames eth0 -> DUT -> eth1; prints how many arrived
 *          show                   namespaces, hops, agent endpoint
 *          hold                   print "ready", wait for SIGINT/SIGTERM
 * Exit: 0, 1 on an error (after teardown), 2 for usage, 128+N after signal N. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/run/lock.h"
#include "harness/platform/platform.h"
#include "harness/platform/local/platform_local.h"
#include "harness/platform/local/probe.h"
#include "harness/run/state.h"
#include "harness/run/stop.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"

static int usage(const char *why)
{
	fprintf(stderr, "platform_drive: %s\n", why);
	return 2;
}

static int act_probe(const struct platform_ops *ops, struct platform *p, const char *arg)
{
	struct tg_tx_params tx;
	struct tg_rx_params rx;
	struct mon_hop hops[8];
	enum hop_dir dir[8];
	struct probe *pr = NULL;
	unsigned count, size = 64, got = 0;
	char *end;
	int rc;

	count = (unsigned)strtoul(arg, &end, 10);
	if (*end == ':')
		size = (unsigned)strtoul(end + 1, &end, 10);
	if (*end || !count) {
		log_err("probe=%s: expected COUNT[:BYTES]", arg);
		return -EINVAL;
	}
	memset(&tx, 0, sizeof(tx));
	memset(&rx, 0, sizeof(rx));
	ops->traffic(p, &tx, &rx);
	ops->hops(p, hops, dir, 8);
	rc = probe_open(hops[HOP_GEN_TX].netns, tx.dev, rx.dev, tx.src_mac, tx.dst_mac, &pr);
	if (!rc)
		/* paced at 20 kpps: a test of passing, not of speed */
		rc = probe_run(pr, count, size, 50 * NSEC_PER_USEC, NSEC_PER_SEC, &got);
	probe_close(pr);
	if (rc) {
		log_err("probe: %s", strerror(-rc));
		return rc;
	}
	printf("probe sent %u received %u size %u\n", count, got, size);
	return 0;
}

static void act_show(const struct platform_ops *ops, struct platform *p)
{
	struct mon_hop hops[8];
	enum hop_dir dir[8];
	unsigned n, i;

	n = ops->hops(p, hops, dir, 8);
	for (i = 0; i < n; i++)
		printf("hop %u %s %s %s %s\n", i, hops[i].label, hops[i].netns, hops[i].ifname,
		       dir[i] == HOP_DIR_TX ? "tx" : "rx");
	printf("agent %s token-bytes %zu\n", *ops->agent_endpoint(p) ? ops->agent_endpoint(p) : "-",
	       strlen(ops->agent_token(p)));
}

static int run_actions(const struct platform_ops *ops, struct platform *p, int argc, char **argv)
{
	char why[300];
	int i, rc = 0;

	for (i = 0; i < argc && !rc; i++) {
		if (!strncmp(argv[i], "size=", 5)) {
			rc = ops->prepare_size(p, (unsigned)strtoul(argv[i] + 5, NULL, 10));
			if (!rc)
				printf("size %s ok\n", argv[i] + 5);
		} else if (!strncmp(argv[i], "probe=", 6)) {
			rc = act_probe(ops, p, argv[i] + 6);
		} else if (!strcmp(argv[i], "show")) {
			act_show(ops, p);
		} else if (!strcmp(argv[i], "hold")) {
			printf("ready\n");
			fflush(stdout);
			while (!stop_requested()) {
				if (ops->dut_check(p, why, sizeof(why))) {
					log_err("%s", why);
					rc = -ECHILD;
					break;
				}
				mtime_sleep_until(mtime_now_ns() + 100 * NSEC_PER_MSEC);
			}
		} else {
			log_err("unknown action '%s'", argv[i]);
			rc = -EINVAL;
		}
		fflush(stdout);
		if (!rc && stop_requested())
			rc = -EINTR;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct platform_ops *ops = &platform_local_ops;
	const char *run_id = NULL, *dir = NULL;
	struct run_state *st = NULL;
	struct run_lock *lock = NULL;
	struct platform *p = NULL;
	struct run_cfg *cfg = NULL;
	uint64_t wait_ns = 0;
	int cleanup_only = 0, i, rc, status = 1;
	pid_t holder;

	log_init("platform_drive");
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return 1;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "--no-agent")) {
			platform_local_set_agent(0);
		} else if (!strcmp(o, "--cleanup")) {
			cleanup_only = 1;
		} else if (!strcmp(o, "-v")) {
			log_set_level(LOG_VERBOSE);
		} else if (!v) {
			return usage("option needs a value");
		} else if (!strcmp(o, "--run-id")) {
			run_id = v, i++;
		} else if (!strcmp(o, "--dut")) {
			snprintf(cfg->dut, sizeof(cfg->dut), "%s", v), i++;
		} else if (!strcmp(o, "--bindir")) {
			platform_local_set_bindir(v), i++;
		} else if (!strcmp(o, "--dir")) {
			dir = v, i++;
		} else if (!strcmp(o, "--dut-timeout") || !strcmp(o, "--wait-lock")) {
			uint64_t ns;

			if (units_parse_duration(v, &ns))
				return usage("bad duration");
			if (!strcmp(o, "--wait-lock"))
				wait_ns = ns;
			else
				cfg->dut_timeout_ns = ns;
			i++;
		} else {
			return usage("unknown option");
		}
	}
	if (!cleanup_only && !dir)
		return usage("--dir RUNDIR is needed");
	if (stop_install())
		return 1;
	rc = run_lock_take(wait_ns, &lock, &holder);
	if (rc == -EBUSY) {
		log_err("another run (pid %d) holds %s/lock", (int)holder, state_dir());
		goto out;
	}
	if (rc) {
		log_err("cannot take the run lock: %s", strerror(-rc));
		goto out;
	}
	rc = ops->cleanup_stale();
	if (rc || cleanup_only) {
		status = rc ? 1 : 0;
		goto out;
	}
	rc = run_state_create(run_id, &st);
	if (rc) {
		log_err("cannot create the state file: %s", strerror(-rc));
		goto out;
	}
	rc = ops->create(cfg, dir, st, &p);
	if (!rc) {
		rc = run_actions(ops, p, argc - i, argv + i);
		ops->destroy(p);
	}
	if (run_state_close(st))
		log_err("some resources could not be removed: run --cleanup");
	status = rc ? 1 : 0;
out:
	run_lock_release(lock);
	free(cfg);
	if (stop_requested())
		status = stop_exit_status();
	return status;
}
