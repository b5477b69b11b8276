/* `mir-monitor [watch]`: argv -> struct watch_cfg (monitor/watch.h) -> the
 * sampler, the live view, the CSV and the capture -> the summary. Every
 * usage error is found by the parse, before anything is opened. */
#include "monitor/cmd.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "lib/usage.h"
#include "monitor/capture.h"
#include "monitor/monitor.h"
#include "monitor/summary.h"
#include "monitor/view.h"
#include "monitor/watch.h"

#define HELP "mir-monitor --help"

void watch_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [watch] [-i INTERVAL] [-d DURATION] [--csv FILE] [--json]\n"
		"       %*s [--pcap IF:FILE[:COUNT]] " HOP_FORM "...\n"
		"       %s help | -h | --help | --version\n"
		"\n"
		"Sample the packet counters of every " HOP_FORM " (the default command):\n"
		"  -i, --interval INTERVAL  sampling interval, at least 1ms (default 1s)\n"
		"  -d, --duration DURATION  stop after this long (default: at Ctrl-C)\n"
		"      --csv FILE           every sample of every interface as CSV\n"
		"      --json               the summary as JSON on stdout\n"
		"      --pcap IF:FILE[:COUNT]  write the first COUNT (default %d) frames\n"
		"                           crossing " HOP_FORM " to a pcap file\n"
		"Durations: 100ms, 1s, 1.5s, 250us, 2m.\n"
		"Exit status: 0 done, 1 failed or an interface vanished, 2 bad input.\n",
		log_prog(), (int)strlen(log_prog()) + 8, "", log_prog(), WATCH_PCAP_DEFAULT);
}

/* "[NETNS/]IF" into spec; what = the option or operand, for the message. */
static int parse_ifspec(const char *arg, const char *what, struct ifspec *spec)
{
	const char *slash = strchr(arg, '/');
	const char *ifname = slash ? slash + 1 : arg;
	size_t nslen = slash ? (size_t)(slash - arg) : 0;
	char expected[128];
	const char *s;

	memset(spec, 0, sizeof(*spec));
	if (slash) {
		if (nslen == 0 || nslen > NETNS_NAME_MAX) {
			snprintf(expected, sizeof(expected),
				 HOP_FORM " with a NETNS of 1 to %d characters before the '/'",
				 NETNS_NAME_MAX);
			return usage_error(what, expected, arg);
		}
		memcpy(spec->netns, arg, nslen);
		if (!netns_name_valid(spec->netns))
			return usage_error(what, HOP_FORM " with a NETNS of [A-Za-z0-9_.-]", arg);
	}
	for (s = ifname; *s; s++)
		if (*s == '/' || *s == ':' || *s <= ' ' || *s == 0x7f)
			break;
	if (!*ifname || *s || strlen(ifname) >= IFNAMSIZ || !strcmp(ifname, ".") ||
	    !strcmp(ifname, "..")) {
		snprintf(expected, sizeof(expected),
			 HOP_FORM " with an IF of 1 to %d characters, no '/', ':' or spaces",
			 IFNAMSIZ - 1);
		return usage_error(what, expected, arg);
	}
	memcpy(spec->ifname, ifname, strlen(ifname) + 1);
	return 0;
}

static int parse_duration_opt(const char *opt, const char *arg, uint64_t min_ns, uint64_t *ns)
{
	int rc = units_parse_duration(arg, ns);

	if (rc == -EINVAL)
		return usage_error(opt, "a duration like 100ms, 1s, 1.5s, 250us, 2m", arg);
	if (rc || *ns < min_ns)
		return usage_error(opt,
				   min_ns >= NSEC_PER_MSEC
				       ? "a duration of at least 1ms, like 100ms or 1s"
				       : "a duration above 0, like 10s",
				   arg);
	return 0;
}

/* "IF:FILE[:COUNT]": interface names hold no ':', so the first ends IF; a last
 * ":COUNT" is taken when it is a count. */
static int parse_pcap(struct watch_cfg *o, const char *arg)
{
	const char *colon = strchr(arg, ':');
	char ifbuf[NETNS_NAME_MAX + IFNAMSIZ + 2];
	char *file, *last;
	uint64_t count;
	int rc;

	if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof(ifbuf))
		return usage_error("--pcap", "IF:FILE[:COUNT] with IF as " HOP_FORM, arg);
	memcpy(ifbuf, arg, (size_t)(colon - arg));
	ifbuf[colon - arg] = '\0';
	rc = parse_ifspec(ifbuf, "--pcap", &o->pcap_if);
	if (rc)
		return rc;
	free(o->pcap_file_buf);
	o->pcap_file_buf = file = strdup(colon + 1);
	if (!file) {
		log_err("--pcap: %s", strerror(ENOMEM));
		return MP_EXIT_FAILURE;
	}
	o->pcap_count = WATCH_PCAP_DEFAULT;
	last = strrchr(file, ':');
	if (last) {
		if (units_parse_count(last + 1, &count) == 0 && count > 0) {
			o->pcap_count = count;
			*last = '\0';
		} else if (units_parse_count(last + 1, &count) == 0) {
			return usage_error("--pcap", "IF:FILE[:COUNT] with a COUNT of at least 1",
					   arg);
		}
	}
	if (!*file)
		return usage_error("--pcap", "IF:FILE[:COUNT] with a FILE", arg);
	o->pcap_file = file;
	return 0;
}

/* argv into o. 0; -1 when --help or --version was answered (status 0); or
 * the usage error was printed and its exit status is returned. */
static int watch_parse(int argc, char **argv, struct watch_cfg *o)
{
	enum { OPT_CSV = 256, OPT_JSON, OPT_PCAP, OPT_VERSION };
	static const struct option lopts[] = {
	    {"interval", required_argument, NULL, 'i'},	 {"duration", required_argument, NULL, 'd'},
	    {"csv", required_argument, NULL, OPT_CSV},	 {"json", no_argument, NULL, OPT_JSON},
	    {"pcap", required_argument, NULL, OPT_PCAP}, {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, OPT_VERSION}, {NULL, 0, NULL, 0},
	};
	char got[16];
	int c, i, rc;

	o->interval_ns = NSEC_PER_SEC;
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":i:d:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			rc = parse_duration_opt("-i", optarg, NSEC_PER_MSEC, &o->interval_ns);
			if (rc)
				return rc;
			break;
		case 'd':
			rc = parse_duration_opt("-d", optarg, 1, &o->duration_ns);
			if (rc)
				return rc;
			break;
		case OPT_CSV:
			if (!*optarg)
				return usage_error("--csv", "a file name", optarg);
			o->csv_path = optarg;
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_PCAP:
			if (o->pcap_file)
				return usage_error("--pcap", "one --pcap per run, not a second",
						   optarg);
			rc = parse_pcap(o, optarg);
			if (rc)
				return rc;
			break;
		case 'h':
			help_main(argc, argv);
			return -1;
		case OPT_VERSION:
			printf("mir-monitor %s\n", MP_VERSION);
			return -1;
		default:
			return usage_bad_option(c, argv, optind, HELP);
		}
	}
	if (optind >= argc)
		return usage_error("interfaces", "at least one " HOP_FORM, NULL);
	if (argc - optind > WATCH_MAX_HOPS) {
		snprintf(got, sizeof(got), "%d", argc - optind);
		return usage_error("interfaces", "at most 64 of them", got);
	}
	for (i = optind; i < argc; i++) {
		struct ifspec *s = &o->ifs[o->n];

		rc = parse_ifspec(argv[i], "interface", s);
		if (rc)
			return rc;
		o->hops[o->n].label = argv[i];
		o->hops[o->n].netns = s->netns;
		o->hops[o->n].ifname = s->ifname;
		o->n++;
	}
	return 0;
}

/* The usage error for a [NETNS/]IF that names nothing (-ENOENT: no such
 * namespace, -ENODEV: no such interface in it), or 0 for other errors. */
static int lookup_error(int rc, const char *what, const struct ifspec *s)
{
	char expected[NETNS_NAME_MAX + 64];

	if (rc == -ENOENT)
		return usage_error(what, "a network namespace of " NETNS_RUN_DIR, s->netns);
	if (rc != -ENODEV)
		return 0;
	if (*s->netns)
		snprintf(expected, sizeof(expected), "an interface of network namespace '%s'",
			 s->netns);
	else
		snprintf(expected, sizeof(expected), "an interface of this network namespace");
	return usage_error(what, expected, s->ifname);
}

/* Say which hop monitor_open refused, and why. Returns the exit status. */
static int open_error(const struct watch_cfg *o, int rc, unsigned bad)
{
	const struct ifspec *s = bad < o->n ? &o->ifs[bad] : NULL;
	int status = s ? lookup_error(rc, o->hops[bad].label, s) : 0;

	if (status)
		return status;
	if (s)
		log_err("'%s': cannot read its counters: %s%s", o->hops[bad].label, strerror(-rc),
			rc == -EPERM ? " (entering a namespace needs root)" : "");
	else
		log_err("cannot open the monitor: %s", strerror(-rc));
	return rc == -EINVAL ? MP_EXIT_USAGE : MP_EXIT_FAILURE;
}

/* Wait for the duration, a signal, or every interface gone. */
static void wait_for_end(struct monitor *m, const struct watch_cfg *o, const sigset_t *sigs,
			 uint64_t t_begin)
{
	uint64_t now, left;
	struct timespec ts;
	int sig;

	for (;;) {
		now = mtime_now_ns();
		if (o->duration_ns && now - t_begin >= o->duration_ns)
			return;
		left = 100 * NSEC_PER_MSEC;
		if (o->duration_ns && o->duration_ns - (now - t_begin) < left)
			left = o->duration_ns - (now - t_begin);
		ts.tv_sec = (time_t)(left / NSEC_PER_SEC);
		ts.tv_nsec = (long)(left % NSEC_PER_SEC);
		sig = sigtimedwait(sigs, NULL, &ts);
		if (sig > 0)
			return;
		if (monitor_vanished(m) == o->n) {
			log_err("every interface vanished");
			return;
		}
	}
}

int watch_main(int argc, char **argv)
{
	struct watch_cfg o = {0};
	struct monitor *m = NULL;
	struct capture *cap = NULL;
	struct view *view = NULL;
	struct mon_hop_window w[WATCH_MAX_HOPS];
	FILE *csv = NULL, *vf;
	char err[512];
	uint64_t t_begin, run_ns, frames = 0;
	unsigned bad = 0, i, vanished = 0;
	sigset_t sigs;
	int rc, status = MP_EXIT_FAILURE;

	rc = watch_parse(argc, argv, &o);
	if (rc) {
		status = rc < 0 ? MP_EXIT_OK : rc;
		goto out;
	}
	/* Signals wait for the main thread in sigtimedwait; every thread
	 * started from here on inherits the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);

	rc = monitor_open(o.hops, o.n, o.interval_ns, &m, &bad);
	if (rc) {
		status = open_error(&o, rc, bad);
		goto out;
	}
	if (o.pcap_file) {
		rc = capture_open(o.pcap_if.netns, o.pcap_if.ifname, o.pcap_file, o.pcap_count,
				  &cap, err, sizeof(err));
		status = lookup_error(rc, "--pcap", &o.pcap_if);
		if (status)
			goto out;
		status = MP_EXIT_FAILURE;
		if (rc) {
			log_err("--pcap: cannot capture on '%s' into '%s': %s", o.pcap_if.ifname,
				o.pcap_file, *err ? err : strerror(-rc));
			goto out;
		}
	}
	if (o.csv_path) {
		csv = fopen(o.csv_path, "w");
		if (!csv) {
			log_err("--csv: cannot create '%s': %s", o.csv_path, strerror(errno));
			goto out;
		}
		monitor_set_csv(m, csv);
	}
	/* With --json, stdout is the JSON alone; the live table goes to a
	 * terminal on stderr if there is one. */
	vf = o.json ? (isatty(STDERR_FILENO) ? stderr : NULL) : stdout;
	if (vf) {
		rc = view_open(vf, isatty(fileno(vf)), o.hops, o.n, o.interval_ns, &view);
		if (rc) {
			log_err("%s", strerror(-rc));
			goto out;
		}
		rc = view_start(view);
		if (rc) {
			log_err("cannot start the output thread: %s", strerror(-rc));
			goto out;
		}
		monitor_set_sample_cb(m, view_sample, view);
	}
	if (cap && (rc = capture_start(cap))) {
		log_err("--pcap: cannot start the capture thread: %s", strerror(-rc));
		goto out;
	}
	/* The window opens before the sampling thread starts and closes after
	 * it stopped, so that every CSV row is a sample of the summary: this
	 * thread preempted between the two (a busy machine) let a scheduled
	 * sample into the CSV outside the window. */
	monitor_window_begin(m);
	rc = monitor_start(m);
	if (rc) {
		log_err("cannot start the sampling thread: %s", strerror(-rc));
		goto out;
	}
	t_begin = mtime_now_ns();
	wait_for_end(m, &o, &sigs, t_begin);
	monitor_stop(m);
	monitor_window_end(m, w, o.n);
	run_ns = mtime_now_ns() - t_begin;
	monitor_set_sample_cb(m, NULL, NULL);
	view_stop(view);
	if (cap) {
		frames = capture_stop(cap, err, sizeof(err));
		if (*err)
			log_warn("--pcap: capture on '%s' ended early: %s", o.pcap_if.ifname, err);
	}
	status = MP_EXIT_OK;
	if (csv && (fflush(csv) || ferror(csv))) {
		log_err("--csv: writing '%s' failed", o.csv_path);
		status = MP_EXIT_FAILURE;
	}
	for (i = 0; i < o.n; i++)
		vanished += !!w[i].vanished;
	if (o.json)
		summary_json(stdout, &o, w, run_ns, cap != NULL, frames);
	else
		summary_text(stdout, &o, w, run_ns);
	if (cap)
		log_info("pcap: %llu of %llu frames from %s%s%s written to %s",
			 (unsigned long long)frames, (unsigned long long)o.pcap_count,
			 o.pcap_if.netns, *o.pcap_if.netns ? "/" : "", o.pcap_if.ifname,
			 o.pcap_file);
	if (vanished) {
		log_err("%u of %u interfaces vanished during the run", vanished, o.n);
		status = MP_EXIT_FAILURE;
	}
	if (fflush(stdout))
		status = MP_EXIT_FAILURE;
out:
	capture_close(cap);
	monitor_close(m);
	view_close(view);
	if (csv && fclose(csv) && status == MP_EXIT_OK)
		status = MP_EXIT_FAILURE;
	free(o.pcap_file_buf);
	return status;
}
