/* mir-monitor: per-hop interface counters, live, with CSV, JSON and pcap.
 *
 *   mir-monitor [-i INTERVAL] [-d DURATION] [--csv FILE] [--json]
 *               [--pcap IF:FILE[:COUNT]] [NETNS/]IF...
 */
#include "lib/json.h"
#include "lib/log.h"
#include "lib/mtime.h"
#include "lib/netns.h"
#include "lib/units.h"
#include "monitor/capture.h"
#include "monitor/monitor.h"
#include "monitor/view.h"

#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_HOPS	   64
#define PCAP_DEFAULT_COUNT 100
#define HOP_FORM	   "[NETNS/]IF"

struct ifspec {
	char netns[NETNS_NAME_MAX + 1];
	char ifname[IFNAMSIZ];
};

struct opts {
	uint64_t interval_ns, duration_ns;
	const char *csv_path;
	int json;
	const char *pcap_arg;
	struct ifspec pcap_if;
	const char *pcap_file;
	char *pcap_file_buf;
	uint64_t pcap_count;
	unsigned n;
	struct ifspec ifs[MAX_HOPS];
	struct mon_hop hops[MAX_HOPS];
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-i INTERVAL] [-d DURATION] [--csv FILE] [--json]\n"
		"       %*s [--pcap IF:FILE[:COUNT]] " HOP_FORM "...\n"
		"  -i, --interval INTERVAL  sampling interval, at least 1ms (default 1s)\n"
		"  -d, --duration DURATION  stop after this long (default: at Ctrl-C)\n"
		"      --csv FILE           every sample of every interface as CSV\n"
		"      --json               the summary as JSON on stdout\n"
		"      --pcap IF:FILE[:COUNT]  write the first COUNT (default %d) frames\n"
		"                           crossing " HOP_FORM " to a pcap file\n"
		"Durations: 100ms, 1s, 1.5s, 250us, 2m. Status: 0 done, 1 failed or an\n"
		"interface vanished, 2 bad input.\n",
		log_prog(), (int)strlen(log_prog()), "", PCAP_DEFAULT_COUNT);
}

/* "[NETNS/]IF" into spec; what = the option or argument, for the message. */
static int parse_ifspec(const char *arg, const char *what, struct ifspec *spec)
{
	const char *slash = strchr(arg, '/');
	const char *ifname = slash ? slash + 1 : arg;
	size_t nslen = slash ? (size_t)(slash - arg) : 0;
	const char *s;

	memset(spec, 0, sizeof(*spec));
	if (slash) {
		if (nslen == 0 || nslen > NETNS_NAME_MAX) {
			log_err("%s: '%s': expected " HOP_FORM " with a namespace name of 1 to %d "
				"characters before the '/'",
				what, arg, NETNS_NAME_MAX);
			return -EINVAL;
		}
		memcpy(spec->netns, arg, nslen);
		if (!netns_name_valid(spec->netns)) {
			log_err("%s: '%s': namespace '%s' is not a valid name; expected " HOP_FORM
				" with NETNS of [A-Za-z0-9_.-]",
				what, arg, spec->netns);
			return -EINVAL;
		}
	}
	for (s = ifname; *s; s++)
		if (*s == '/' || *s == ':' || *s <= ' ' || *s == 0x7f)
			break;
	if (!*ifname || *s || strlen(ifname) >= IFNAMSIZ || !strcmp(ifname, ".") ||
	    !strcmp(ifname, "..")) {
		log_err("%s: '%s': '%s' is not an interface name; expected " HOP_FORM
			" with IF of 1 to %d characters, no '/', ':' or spaces",
			what, arg, ifname, IFNAMSIZ - 1);
		return -EINVAL;
	}
	memcpy(spec->ifname, ifname, strlen(ifname) + 1);
	return 0;
}

static int parse_duration_opt(const char *opt, const char *arg, uint64_t min_ns, uint64_t *ns)
{
	int rc = units_parse_duration(arg, ns);

	if (rc == -EINVAL) {
		log_err("%s: '%s' is not a duration; expected a number with an optional unit, "
			"e.g. 100ms, 1s, 1.5s, 250us, 2m",
			opt, arg);
		return rc;
	}
	if (rc || *ns < min_ns) {
		if (min_ns >= NSEC_PER_MSEC)
			log_err("%s: '%s' is below the 1 ms minimum; expected a duration of at "
				"least 1ms, e.g. 100ms or 1s",
				opt, arg);
		else
			log_err("%s: '%s' is out of range; expected a duration above 0, e.g. 10s",
				opt, arg);
		return -ERANGE;
	}
	return 0;
}

/* "IF:FILE[:COUNT]": interface names hold no ':', so the first ends IF; a last
 * ":COUNT" is taken when it is a count. */
static int parse_pcap(struct opts *o, const char *arg)
{
	const char *colon = strchr(arg, ':');
	char ifbuf[NETNS_NAME_MAX + IFNAMSIZ + 2];
	char *file, *last;
	uint64_t count;

	if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof(ifbuf)) {
		log_err("--pcap: '%s': expected IF:FILE[:COUNT] with IF as " HOP_FORM, arg);
		return -EINVAL;
	}
	memcpy(ifbuf, arg, (size_t)(colon - arg));
	ifbuf[colon - arg] = '\0';
	if (parse_ifspec(ifbuf, "--pcap", &o->pcap_if))
		return -EINVAL;
	free(o->pcap_file_buf);
	o->pcap_file_buf = file = strdup(colon + 1);
	if (!file)
		return -ENOMEM;
	o->pcap_count = PCAP_DEFAULT_COUNT;
	last = strrchr(file, ':');
	if (last) {
		if (units_parse_count(last + 1, &count) == 0 && count > 0) {
			o->pcap_count = count;
			*last = '\0';
		} else if (units_parse_count(last + 1, &count) == 0) {
			log_err("--pcap: '%s': COUNT must be at least 1; expected IF:FILE[:COUNT]",
				arg);
			return -EINVAL;
		}
	}
	if (!*file) {
		log_err("--pcap: '%s': no FILE; expected IF:FILE[:COUNT]", arg);
		return -EINVAL;
	}
	o->pcap_file = file;
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_CSV = 256, OPT_JSON, OPT_PCAP, OPT_VERSION };
	static const struct option lopts[] = {
	    {"interval", required_argument, NULL, 'i'},	 {"duration", required_argument, NULL, 'd'},
	    {"csv", required_argument, NULL, OPT_CSV},	 {"json", no_argument, NULL, OPT_JSON},
	    {"pcap", required_argument, NULL, OPT_PCAP}, {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, OPT_VERSION}, {NULL, 0, NULL, 0},
	};
	int c, i;

	o->interval_ns = NSEC_PER_SEC;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:d:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (parse_duration_opt("-i", optarg, NSEC_PER_MSEC, &o->interval_ns))
				return -EINVAL;
			break;
		case 'd':
			if (parse_duration_opt("-d", optarg, 1, &o->duration_ns))
				return -EINVAL;
			break;
		case OPT_CSV:
			if (!*optarg) {
				log_err("--csv: empty file name; expected --csv FILE");
				return -EINVAL;
			}
			o->csv_path = optarg;
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_PCAP:
			if (o->pcap_file) {
				log_err("--pcap '%s': only one --pcap per run", optarg);
				return -EINVAL;
			}
			if (parse_pcap(o, optarg))
				return -EINVAL;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case OPT_VERSION:
			printf("mir-monitor %s\n", MP_VERSION);
			return 1;
		case ':':
			log_err("%s needs an argument (try --help)", argv[optind - 1]);
			return -EINVAL;
		default:
			log_err("unknown option '%s' (try --help)", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind >= argc) {
		log_err("no interface given; expected " HOP_FORM "... (try --help)");
		return -EINVAL;
	}
	if (argc - optind > MAX_HOPS) {
		log_err("%d interfaces given; at most %d", argc - optind, MAX_HOPS);
		return -EINVAL;
	}
	for (i = optind; i < argc; i++) {
		struct ifspec *s = &o->ifs[o->n];

		if (parse_ifspec(argv[i], "interface", s))
			return -EINVAL;
		o->hops[o->n].label = argv[i];
		o->hops[o->n].netns = s->netns;
		o->hops[o->n].ifname = s->ifname;
		o->n++;
	}
	return 0;
}

/* Say which hop monitor_open refused, and why. Returns the exit status. */
static int open_error(const struct opts *o, int rc, unsigned bad)
{
	const struct ifspec *s = bad < o->n ? &o->ifs[bad] : NULL;

	if (rc == -ENOENT && s) {
		log_err("'%s': unknown network namespace '%s'; expected " HOP_FORM
			" with NETNS in " NETNS_RUN_DIR,
			o->hops[bad].label, s->netns);
		return 2;
	}
	if (rc == -ENODEV && s) {
		log_err("'%s': unknown interface '%s'%s%s%s; expected " HOP_FORM
			" naming an existing interface",
			o->hops[bad].label, s->ifname, *s->netns ? " in namespace '" : "", s->netns,
			*s->netns ? "'" : "");
		return 2;
	}
	if (s)
		log_err("'%s': cannot read its counters: %s%s", o->hops[bad].label, strerror(-rc),
			rc == -EPERM ? " (entering a namespace needs root)" : "");
	else
		log_err("cannot open the monitor: %s", strerror(-rc));
	return rc == -EINVAL ? 2 : 1;
}

static void print_summary(FILE *f, const struct opts *o, const struct mon_hop_window *w,
			  uint64_t run_ns)
{
	static const char *const dir[2] = {"rx", "tx"};
	int lw = 9;
	unsigned i, d;

	for (i = 0; i < o->n; i++)
		if ((int)strlen(o->hops[i].label) > lw)
			lw = (int)strlen(o->hops[i].label);
	fprintf(f, "\nSummary: %.3f s, every %.3g ms\n", (double)run_ns / 1e9,
		(double)o->interval_ns / 1e6);
	fprintf(f, "%-*s %3s %14s %16s %10s %8s %12s %10s  %12s %10s %12s %12s %8s\n", lw,
		"Interface", "dir", "packets", "bytes", "dropped", "errors", "pps", "Mbit/s",
		"mean pps", "stddev", "min pps", "max pps", "secs");
	for (i = 0; i < o->n; i++) {
		for (d = 0; d < 2; d++) {
			const struct mon_rate_stats *st =
			    d ? &w[i].tx_pps_stats : &w[i].rx_pps_stats;

			fprintf(f,
				"%-*s %3s %14llu %16llu %10llu %8llu %12.1f %10.3f  %12.1f %10.1f "
				"%12.1f %12.1f %8.3f\n",
				lw, d ? "" : o->hops[i].label, dir[d],
				(unsigned long long)mon_counter_get(&w[i].total, 0, d),
				(unsigned long long)mon_counter_get(&w[i].total, 1, d),
				(unsigned long long)mon_counter_get(&w[i].total, 2, d),
				(unsigned long long)mon_counter_get(&w[i].total, 3, d),
				d ? w[i].tx_pps : w[i].rx_pps,
				(d ? w[i].tx_bps : w[i].rx_bps) / 1e6, st->mean, st->stddev,
				st->min, st->max, (double)w[i].elapsed_ns / 1e9);
		}
		if (w[i].vanished)
			fprintf(f, "%-*s     (vanished: totals up to its last sample)\n", lw, "");
		if (w[i].reset)
			fprintf(f, "%-*s     (a counter was reset: counted from zero again)\n", lw,
				"");
	}
}

static void print_json(FILE *f, const struct opts *o, const struct mon_hop_window *w,
		       uint64_t run_ns, int have_pcap, uint64_t pcap_frames)
{
	static const char *const dir[2] = {"rx", "tx"};
	struct json_writer j;
	unsigned i, d, k;

	json_init(&j, f, 1);
	json_obj_begin(&j);
	json_kv_double(&j, "interval_s", (double)o->interval_ns / 1e9);
	json_kv_double(&j, "duration_s", (double)run_ns / 1e9);
	json_key(&j, "interfaces");
	json_arr_begin(&j);
	for (i = 0; i < o->n; i++) {
		json_obj_begin(&j);
		json_kv_str(&j, "label", o->hops[i].label);
		json_kv_str(&j, "netns", o->ifs[i].netns);
		json_kv_str(&j, "ifname", o->ifs[i].ifname);
		json_kv_double(&j, "elapsed_s", (double)w[i].elapsed_ns / 1e9);
		json_kv_u64(&j, "elapsed_ns", w[i].elapsed_ns);
		json_kv_u64(&j, "samples", w[i].samples);
		json_kv_bool(&j, "vanished", w[i].vanished);
		json_kv_bool(&j, "reset", w[i].reset);
		for (d = 0; d < 2; d++) {
			const struct mon_rate_stats *st =
			    d ? &w[i].tx_pps_stats : &w[i].rx_pps_stats;

			json_key(&j, dir[d]);
			json_obj_begin(&j);
			for (k = 0; k < mon_counter_count(); k++)
				json_kv_u64(&j, mon_counter_name(k),
					    mon_counter_get(&w[i].total, k, (int)d));
			json_kv_double(&j, "pps", d ? w[i].tx_pps : w[i].rx_pps);
			json_kv_double(&j, "bps", d ? w[i].tx_bps : w[i].rx_bps);
			json_kv_double(&j, "pps_mean", st->mean);
			json_kv_double(&j, "pps_stddev", st->stddev);
			json_kv_double(&j, "pps_min", st->min);
			json_kv_double(&j, "pps_max", st->max);
			json_obj_end(&j);
		}
		json_obj_end(&j);
	}
	json_arr_end(&j);
	if (have_pcap) {
		json_key(&j, "pcap");
		json_obj_begin(&j);
		json_kv_str(&j, "netns", o->pcap_if.netns);
		json_kv_str(&j, "ifname", o->pcap_if.ifname);
		json_kv_str(&j, "file", o->pcap_file);
		json_kv_u64(&j, "frames", pcap_frames);
		json_obj_end(&j);
	}
	json_obj_end(&j);
	fputc('\n', f);
}

/* Wait for the duration, a signal, or every interface gone. */
static void wait_for_end(struct monitor *m, const struct opts *o, const sigset_t *sigs,
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

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct monitor *m = NULL;
	struct capture *cap = NULL;
	struct view *view = NULL;
	struct mon_hop_window w[MAX_HOPS];
	FILE *csv = NULL, *vf;
	char err[512];
	uint64_t t_begin, run_ns, frames = 0;
	unsigned bad = 0, i, vanished = 0;
	sigset_t sigs;
	int rc, status = 1;

	log_init(argv[0]);
	rc = parse_args(argc, argv, &o);
	if (rc) {
		status = rc > 0 ? 0 : 2;
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
		if (rc == -ENOENT) {
			log_err("--pcap: unknown network namespace '%s'; expected IF:FILE[:COUNT] "
				"with IF as " HOP_FORM,
				o.pcap_if.netns);
			status = 2;
			goto out;
		}
		if (rc == -ENODEV) {
			log_err(
			    "--pcap: unknown interface '%s'%s%s%s; expected IF:FILE[:COUNT] with "
			    "IF naming an existing interface",
			    o.pcap_if.ifname, *o.pcap_if.netns ? " in namespace '" : "",
			    o.pcap_if.netns, *o.pcap_if.netns ? "'" : "");
			status = 2;
			goto out;
		}
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
	status = 0;
	if (csv && (fflush(csv) || ferror(csv))) {
		log_err("--csv: writing '%s' failed", o.csv_path);
		status = 1;
	}
	for (i = 0; i < o.n; i++)
		vanished += !!w[i].vanished;
	if (o.json)
		print_json(stdout, &o, w, run_ns, cap != NULL, frames);
	else
		print_summary(stdout, &o, w, run_ns);
	if (cap)
		log_info("pcap: %llu of %llu frames from %s%s%s written to %s",
			 (unsigned long long)frames, (unsigned long long)o.pcap_count,
			 o.pcap_if.netns, *o.pcap_if.netns ? "/" : "", o.pcap_if.ifname,
			 o.pcap_file);
	if (vanished) {
		log_err("%u of %u interfaces vanished during the run", vanished, o.n);
		status = 1;
	}
	if (fflush(stdout))
		status = 1;
out:
	capture_close(cap);
	monitor_close(m);
	view_close(view);
	if (csv && fclose(csv) && status == 0)
		status = 1;
	free(o.pcap_file_buf);
	return status;
}
