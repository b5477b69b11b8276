/* mir-trafgen: generator (tx), sink (rx), reference forwarder (fwd), the
 * control agent the harness drives (agent) and its command-line client
 * (ctl). A table in the style of wireguard-tools' wg.c and of mir-perf's
 * harness/main.c: `mir-trafgen COMMAND ...` runs COMMAND's NAME_main()
 * (trafgen/cmd_NAME.c), which parses its argv into one params struct and
 * applies it. A new command is a file and a line here. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"
#include "lib/usage.h"
#include "trafgen/cmd.h"
#include "trafgen/rr.h"

#ifndef MP_VERSION
#define MP_VERSION "unknown"
#endif

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	 /* the options, after "mir-trafgen NAME " */
	const char *description; /* one line */
} subcommands[] = {
    {"tx", tx_main,
     "--dev IF --size BYTES [--rate PPS|max] [--duration S | --count N]\n"
     "[--src-mac M] [--dst-mac M] [--src-ip A] [--dst-ip A]\n"
     "[--sport P] [--dport P] [--flows N] [--stream ID] [--cpu N]\n"
     "[--threads N] [--backend auto|af_packet|af_xdp] [--json] [-v]",
     "send UDP frames at a rate (the generator)"},
    {"rx", rx_main,
     "--dev IF [--duration S | --count N] [--stream ID] [--io auto|xdp|ring] [--json] [-v]",
     "count, check and time the generator's frames (the sink)"},
    {"fwd", fwd_main,
     "--in IF --out IF [--bidir] [--tap [--delay D]] [--drop-every N] [--max-pps R]\n"
     "[--max-burst DURATION] [--queue-mb M] [--io auto|xdp|ring|mmsg|ring-mmsg]\n"
     "[--duration S] [--json] [-v]",
     "forward every frame from one interface to the other (a reference DUT)"},
    {"agent", agent_main, "--listen unix:PATH|tcp:ADDR:PORT --token-file F [-v]",
     "serve the harness's requests to start and stop tx and rx"},
    {"ctl", ctl_main,
     "--connect unix:PATH|tcp:ADDR:PORT --token-file F [--timeout S]\n"
     "tx-start [tx options] | rx-start [rx options] | status |\n"
     "tx-stop | rx-stop | raw (request lines on stdin)",
     "one request to an agent; its answer as JSON"},
    {"rr", rr_main,
     "server --listen ADDR[:PORT] [-v]\n"
     "client --connect ADDR[:PORT] [--size Q[/R]] [--conns N]\n"
     "[--duration S] [--warmup S] [--timeout S] [--json]",
     "TCP request/response (netperf's TCP_RR), one outstanding per connection"},
    {"help", help_main, "", "this help"},
};

#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void show_usage(FILE *f)
{
	const char *s;
	size_t i;

	fprintf(f, "Usage: %s COMMAND [OPTIONS]\n\nCommands:\n", log_prog());
	for (i = 0; i < NSUBCOMMANDS; i++) {
		fprintf(f, "  %s %s%s", log_prog(), subcommands[i].name,
			*subcommands[i].usage ? " " : "");
		/* continuation lines indented under the command */
		for (s = subcommands[i].usage; *s; s++) {
			fputc(*s, f);
			if (*s == '\n')
				fprintf(f, "      ");
		}
		fprintf(f, "\n      %s\n", subcommands[i].description);
	}
	fputs("\n"
	      "Numbers: 250k, 1.5M; rates in pps or max; durations 10, 10s, 500ms, 2m.\n"
	      "Addresses must be inside 198.18.0.0/15. fwd --drop-every and --max-pps are test\n"
	      "aids: a DUT of known loss and capacity (--max-burst: the token bucket's depth,\n"
	      "50ms). fwd --io: auto (default: xdp where the devices have native XDP, ring\n"
	      "otherwise), xdp (AF_XDP, one UMEM, no copy in user space), TPACKET_V2 rings\n"
	      "both ways, recvmmsg/sendmmsg (the naive forwarder, for comparison), or a\n"
	      "receive ring and sendmmsg from its slots.\n"
	      "fwd --delay D (with --tap): every frame held D before it is sent on, a DUT of\n"
	      "known latency. rr: Q-byte requests, R-byte responses; port 12865.\n"
	      "Exit status: 0 done, 1 failure at run time, 2 bad usage or an interface\n"
	      "that is not there.\n",
	      f);
}

/* "tx, rx, ... or help", from the table. */
static const char *command_names(void)
{
	static char names[256];
	size_t i, len = 0;

	for (i = 0; i < NSUBCOMMANDS && len < sizeof(names); i++)
		len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
					!i		       ? ""
					: i + 1 < NSUBCOMMANDS ? ", "
							       : " or ",
					subcommands[i].name);
	return names;
}

int help_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	show_usage(stdout);
	return MP_EXIT_OK;
}

int main(int argc, char **argv)
{
	sigset_t sigs;
	size_t i;

	log_init(argv[0]);
	if (argc < 2) {
		show_usage(stderr);
		return MP_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return help_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version")) {
		printf("mir-trafgen %s\n", MP_VERSION);
		return MP_EXIT_OK;
	}
	/* SIGINT/SIGTERM are taken synchronously (sigtimedwait, signalfd) so a
	 * run always ends through its normal path and prints its report. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < NSUBCOMMANDS; i++) {
		if (strcmp(argv[1], subcommands[i].name))
			continue;
		usage_set_command(subcommands[i].name);
		opterr = 0;
		return subcommands[i].fn(argc - 1, argv + 1);
	}
	return usage_error("command", command_names(), argv[1]);
}
