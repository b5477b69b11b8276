#include "harness/config/cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>

#include "harness/config/dut_form.h"
#include "harness/config/quote.h"
#include "lib/log.h"

#ifndef MP_DATADIR
#define MP_DATADIR "/usr/local/share/mir-perf"
#endif

const char *const cli_libraries[] = {"mirage-net-xen", NULL};

enum {
	OPT_SIZES = 256,
	OPT_RATES,
	OPT_DUT,
	OPT_TRIALS,
	OPT_CLEANUP,
	OPT_SEARCH,
	OPT_NDR_LOSS,
	OPT_PDR_LOSS,
	OPT_PRECISION,
	OPT_MAX_RATE,
	OPT_SEARCH_MODE,
	OPT_SOURCES,
	OPT_REPO,
	OPT_GEN_THREADS,
	OPT_MODE,
	OPT_BUFSIZES,
	OPT_STREAMS,
	OPT_PROTOCOL,
	OPT_BITRATE,
	OPT_SERVER,
	OPT_ON_DUT_STOP,
	OPT_DUT_AS_ROOT,
	OPT_RR_SIZES,
	OPT_RR_TIMEOUT
};

static const struct option cli_options[] = {
    {"platform", required_argument, NULL, 'p'},
    {"cfg", required_argument, NULL, 'c'},
    {"out", required_argument, NULL, 'o'},
    {"duration", required_argument, NULL, 'd'},
    {"sizes", required_argument, NULL, OPT_SIZES},
    {"rates", required_argument, NULL, OPT_RATES},
    {"dut", required_argument, NULL, OPT_DUT},
    {"trials", required_argument, NULL, OPT_TRIALS},
    {"search", required_argument, NULL, OPT_SEARCH},
    {"ndr-loss", required_argument, NULL, OPT_NDR_LOSS},
    {"pdr-loss", required_argument, NULL, OPT_PDR_LOSS},
    {"precision", required_argument, NULL, OPT_PRECISION},
    {"max-rate", required_argument, NULL, OPT_MAX_RATE},
    {"search-mode", required_argument, NULL, OPT_SEARCH_MODE},
    {"sources", required_argument, NULL, OPT_SOURCES},
    {"repo", required_argument, NULL, OPT_REPO},
    {"gen-threads", required_argument, NULL, OPT_GEN_THREADS},
    {"mode", required_argument, NULL, OPT_MODE},
    {"bufsizes", required_argument, NULL, OPT_BUFSIZES},
    {"streams", required_argument, NULL, OPT_STREAMS},
    {"protocol", required_argument, NULL, OPT_PROTOCOL},
    {"bitrate", required_argument, NULL, OPT_BITRATE},
    {"server", required_argument, NULL, OPT_SERVER},
    {"on-dut-stop", required_argument, NULL, OPT_ON_DUT_STOP},
    {"rr-sizes", required_argument, NULL, OPT_RR_SIZES},
    {"rr-timeout", required_argument, NULL, OPT_RR_TIMEOUT},
    {"dut-as-root", no_argument, NULL, OPT_DUT_AS_ROOT},
    {"dry-run", no_argument, NULL, 'n'},
    {"cleanup", no_argument, NULL, OPT_CLEANUP},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* What a missing value should look like, per option. */
static const char *cli_value_form(int val)
{
	switch (val) {
	case 'p':
		return "auto, local or xen";
	case 'c':
		return "a directory holding range-psz, range-pps and mir-perf.conf";
	case 'o':
		return "a directory for this run's results";
	case 'd':
		return "a duration like 10, 10s or 500ms";
	case OPT_SIZES:
		return "a list of frame sizes like '64 512 1518' or 64..1518:64";
	case OPT_RATES:
		return "a list of rates like '10k 100k 1M' or 100k..1M:100k";
	case OPT_DUT:
		return DUT_FORMS;
	case OPT_TRIALS:
		return "a number of trials from 1 to 1000";
	case OPT_SEARCH:
		return "ndr, pdr, ndr,pdr or off";
	case OPT_NDR_LOSS:
	case OPT_PDR_LOSS:
		return "a loss ratio like 0.5%";
	case OPT_PRECISION:
		return "a relative precision like 1%";
	case OPT_MAX_RATE:
		return "a rate like 2M, or max";
	case OPT_SEARCH_MODE:
		return "mlr or binary";
	case OPT_SOURCES:
		return "a source mirror directory (sources.txt, src/, overlays/)";
	case OPT_REPO:
		return "a URL, a local repository or a git bundle";
	case OPT_GEN_THREADS:
		return "auto or a number of sending threads from 1 to 8";
	case OPT_MODE:
		return "frames, goodput or rr";
	case OPT_BUFSIZES:
		return "a list of write sizes like '64 1460 65536' or 64..65536:64";
	case OPT_STREAMS:
		return "stream counts like '1 4'";
	case OPT_PROTOCOL:
		return "tcp, udp or tcp,udp";
	case OPT_BITRATE:
		return "UDP bitrates like '10M 100M'";
	case OPT_SERVER:
		return "sink or dut";
	case OPT_ON_DUT_STOP:
		return "stop or continue";
	case OPT_RR_SIZES:
		return "request/response sizes like '1 64/1024'";
	case OPT_RR_TIMEOUT:
		return "a timeout like 2s";
	}
	return "a value";
}

static const char *cli_option_name(int val)
{
	const struct option *o;

	for (o = cli_options; o->name; o++)
		if (o->val == val)
			return o->name;
	return "?";
}

int cli_fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, len, "%s: ", log_prog());
	if (n >= 0 && (size_t)n < len) {
		va_start(ap, fmt);
		vsnprintf(err + n, len - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

const char *cli_q(char *buf, size_t len, const char *s)
{
	return quote_text(buf, len, s, strlen(s), 60);
}

static int cli_is_commit(const char *s, size_t *ndigits)
{
	size_t n = strlen(s), i;

	*ndigits = n;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return n >= 7 && n <= 40;
}

static int cli_positional(struct cli_args *a, char *word, char *err, size_t len)
{
	char q[256];
	size_t i, nd;

	if (!a->library) {
		for (i = 0; cli_libraries[i]; i++)
			if (!strcmp(word, cli_libraries[i])) {
				a->library = word;
				return 0;
			}
		if (cli_is_commit(word, &nd))
			return cli_fail(err, len,
					"unknown library '%s'; it looks like a commit id: put the "
					"library first, e.g. mir-perf mirage-net-xen %s",
					cli_q(q, sizeof(q), word), cli_q(q, sizeof(q), word));
		return cli_fail(err, len, "unknown library '%s'; the known library is %s",
				cli_q(q, sizeof(q), word), cli_libraries[0]);
	}
	if (!a->commit) {
		if (!cli_is_commit(word, &nd)) {
			if (nd > 40 && strspn(word, "0123456789abcdefABCDEF") == nd)
				return cli_fail(err, len,
						"'%s' is not a commit id: expected 7 to 40 hex "
						"digits, got %zu",
						cli_q(q, sizeof(q), word), nd);
			return cli_fail(err, len,
					"'%s' is not a commit id: expected 7 to 40 hex digits",
					cli_q(q, sizeof(q), word));
		}
		for (i = 0; i < nd; i++)
			word[i] = (char)tolower((unsigned char)word[i]);
		a->commit = word;
		return 0;
	}
	if (!a->commit_b && cli_is_commit(word, &nd)) {
		/* LIBRARY COMMIT_A COMMIT_B: both, then compared */
		for (i = 0; i < nd; i++)
			word[i] = (char)tolower((unsigned char)word[i]);
		a->commit_b = word;
		return 0;
	}
	return cli_fail(err, len,
			"unexpected argument '%s': expected [LIBRARY [COMMIT [COMMIT_B]]]",
			cli_q(q, sizeof(q), word));
}

int cli_parse_args(int argc, char **argv, struct cli_args *a, char *err, size_t errlen)
{
	int c, dry_run = 0, cleanup = 0, help = 0, version = 0;
	char q[256];

	memset(a, 0, sizeof(*a));
	opterr = 0;
	optind = 0; /* 0: GNU getopt starts afresh (tests parse many lines) */
	while ((c = getopt_long(argc, argv, ":p:c:o:d:nqvhV", cli_options, NULL)) != -1) {
		switch (c) {
		case 'p':
			a->platform = optarg;
			break;
		case 'c':
			a->cfg_dir = optarg;
			break;
		case 'o':
			a->out_dir = optarg;
			break;
		case 'd':
			a->duration = optarg;
			break;
		case OPT_SIZES:
			a->sizes = optarg;
			break;
		case OPT_RATES:
			a->rates = optarg;
			break;
		case OPT_DUT:
			if (a->dut && a->dut_b)
				return cli_fail(
				    err, errlen,
				    "--dut given three times: two DUTs are measured and "
				    "compared, not more");
			if (a->dut)
				a->dut_b = optarg;
			else
				a->dut = optarg;
			break;
		case OPT_TRIALS:
			a->trials = optarg;
			break;
		case OPT_SEARCH:
			a->search = optarg;
			break;
		case OPT_NDR_LOSS:
			a->ndr_loss = optarg;
			break;
		case OPT_PDR_LOSS:
			a->pdr_loss = optarg;
			break;
		case OPT_PRECISION:
			a->precision = optarg;
			break;
		case OPT_MAX_RATE:
			a->max_rate = optarg;
			break;
		case OPT_SOURCES:
			a->sources = optarg;
			break;
		case OPT_REPO:
			a->repo = optarg;
			break;
		case OPT_SEARCH_MODE:
			a->search_mode = optarg;
			break;
		case OPT_GEN_THREADS:
			a->gen_threads = optarg;
			break;
		case OPT_MODE:
			a->mode = optarg;
			break;
		case OPT_BUFSIZES:
			a->bufsizes = optarg;
			break;
		case OPT_STREAMS:
			a->streams = optarg;
			break;
		case OPT_PROTOCOL:
			a->protocol = optarg;
			break;
		case OPT_BITRATE:
			a->bitrate = optarg;
			break;
		case OPT_SERVER:
			a->server = optarg;
			break;
		case OPT_ON_DUT_STOP:
			a->on_dut_stop = optarg;
			break;
		case OPT_RR_SIZES:
			a->rr_sizes = optarg;
			break;
		case OPT_RR_TIMEOUT:
			a->rr_timeout = optarg;
			break;
		case OPT_DUT_AS_ROOT:
			a->dut_as_root = 1;
			break;
		case 'n':
			dry_run = 1;
			break;
		case OPT_CLEANUP:
			cleanup = 1;
			break;
		case 'q':
			a->quiet = 1;
			break;
		case 'v':
			a->verbose++;
			break;
		case 'h':
			help = 1;
			break;
		case 'V':
			version = 1;
			break;
		case ':':
			return cli_fail(err, errlen, "option --%s needs a value: %s",
					cli_option_name(optopt), cli_value_form(optopt));
		default: {
			const char *word = argv[optind - 1];

			if (optopt && !strncmp(word, "--", 2) && strchr(word, '='))
				return cli_fail(err, errlen,
						"option '%s' takes no value; see %s "
						"--help",
						cli_q(q, sizeof(q), word), log_prog());
			if (optopt && strncmp(word, "--", 2))
				return cli_fail(err, errlen, "unknown option '-%c'; see %s --help",
						isprint(optopt) ? optopt : '?', log_prog());
			return cli_fail(err, errlen, "unknown option '%s'; see %s --help",
					cli_q(q, sizeof(q), word), log_prog());
		}
		}
	}
	if (help) {
		a->action = CLI_HELP;
		return 0;
	}
	if (version) {
		a->action = CLI_VERSION;
		return 0;
	}
	for (; optind < argc; optind++) {
		int rc = cli_positional(a, argv[optind], err, errlen);

		if (rc)
			return rc;
	}
	if (a->quiet && a->verbose)
		return cli_fail(err, errlen, "--quiet and --verbose contradict each other");
	if (cleanup) {
		if (dry_run)
			return cli_fail(err, errlen,
					"--cleanup removes what killed runs left; it "
					"has no --dry-run");
		if (a->library)
			return cli_fail(err, errlen, "--cleanup takes no LIBRARY or COMMIT");
		if (a->dut_b)
			return cli_fail(err, errlen, "--cleanup takes no --dut");
		a->action = CLI_CLEANUP;
		return 0;
	}
	a->action = dry_run ? CLI_DRY_RUN : CLI_RUN;
	return 0;
}

int cli_exit_status(int rc)
{
	if (!rc)
		return MP_EXIT_OK;
	if (rc == -EINVAL)
		return MP_EXIT_USAGE;
	if (rc == -EINTR)
		return MP_EXIT_INTERRUPTED;
	return MP_EXIT_FAILURE;
}

void cli_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTIONS] [LIBRARY [COMMIT [COMMIT_B]]]\n"
		"       %s COMMAND [ARGS]\n"
		"\n"
		"Measure how fast a network driver forwards packets: every frame size of\n"
		"range-psz against every rate of range-pps, counted at every hop of\n"
		"generator -> if1 -> tap0 -> DUT -> tap1 -> if2 -> sink.\n"
		"\n"
		"LIBRARY is a recipe built into a Xen unikernel at COMMIT (7 to 40 hex\n"
		"digits; default: the newest commit of the default branch that the\n"
		"toolchain can build, said when taken). Known: %s.\n"
		"Without LIBRARY the DUT is --dut (or `dut =` in mir-perf.conf).\n"
		"With COMMIT_B, or --dut given twice, both are measured and compared.\n"
		"\n"
		"Options:\n"
		"  -p, --platform auto|local|xen  where to run (auto: xen on a Xen dom0, else\n"
		"                                 local network namespaces)\n"
		"  -c, --cfg DIR       range-psz, range-pps and mir-perf.conf (default ./cfg\n"
		"                      when present, else %s/cfg)\n"
		"  -o, --out DIR       this run's results directory (default\n"
		"                      RESULTS/<dut or library>-<commit or local>-<UTC time>)\n"
		"  -d, --duration S    seconds per point: 10, 10s, 500ms (overrides duration)\n"
		"      --sizes LIST    frame sizes with FCS, 64..9018: '64 512 1518',\n"
		"                      64..1518:64 (overrides range-psz)\n"
		"      --rates LIST    packets per second: '10k 1.5M max', 100k..1M:100k\n"
		"                      (overrides range-pps)\n"
		"      --dut KIND      local: fwd, tap-fwd, bridge, exec:COMMAND;\n"
		"                      xen: image:PATH, linux-fwd (overrides dut)\n"
		"      --dut-as-root   run an exec: DUT as root; by default it runs as the\n"
		"                      user who ran sudo (as nobody without sudo)\n"
		"      --trials N      measure every point N times (overrides trials); with\n"
		"                      --search, each final bound N times in all\n"
		"      --search ndr,pdr  instead of sweeping range-pps, search every size's\n"
		"                      NDR (no loss) and/or PDR (loss <= --pdr-loss), RFC 2544\n"
		"      --ndr-loss R    loss the NDR tolerates (default 0%%)\n"
		"      --pdr-loss R    loss the PDR tolerates (default 0.5%%)\n"
		"      --precision P   relative width of the final bounds (default 1%%)\n"
		"      --max-rate R    top rate of the search (default max: the generator's)\n"
		"      --search-mode M  mlr (default) or binary (the baseline, for benchmarks)\n"
		"      --sources DIR   build LIBRARY offline from this source mirror: the\n"
		"                      MirageOS toolchain once (cached), the duniverse from\n"
		"                      its archives (default: online, opam's mirage and\n"
		"                      make depend; overrides mirage_sources)\n"
		"      --repo REPO     LIBRARY's repository: a URL, a local repository or a\n"
		"                      git bundle (default upstream; overrides mirage_repo)\n"
		"      --gen-threads N  the generator's sending threads, 1..8, or auto (the\n"
		"                      cores the sink and the DUT leave; overrides gen_threads)\n"
		"      --mode M        frames (default), goodput: TCP/UDP streams of iperf3\n"
		"                      through the DUT, client and server in two namespaces,\n"
		"                      or rr: TCP request/response (mir-trafgen rr) the same way\n"
		"      --bufsizes LIST  goodput: write sizes, '64 1460 65536' (overrides\n"
		"                      range-bufsz)\n"
		"      --streams LIST  goodput: parallel streams, rr: connections, '1 4'\n"
		"                      (overrides streams)\n"
		"      --protocol P    goodput: tcp, udp or tcp,udp (overrides protocol)\n"
		"      --bitrate LIST  goodput: UDP target bitrates, '10M 100M' (overrides\n"
		"                      bitrate)\n"
		"      --server sink|dut  goodput: iperf3's server behind the DUT (sink,\n"
		"                      default), or the DUT itself: xen, LIBRARY's recipe\n"
		"                      built as a MirageOS iperf3 server, TCP (overrides server)\n"
		"      --rr-sizes LIST  rr: request sizes Q or Q/R (R-byte responses), '1 64/1024'\n"
		"                      (overrides range-rrsz)\n"
		"      --rr-timeout T  rr: a transaction's timeout (default 2s; overrides\n"
		"                      rr_timeout)\n"
		"      --on-dut-stop stop|continue  after a point at which the DUT stopped\n"
		"                      transmitting: end the run (default) or keep measuring\n"
		"  -n, --dry-run       print the plan: platform and why, topology, every\n"
		"                      point, estimated time; touches nothing, needs no root\n"
		"      --cleanup       remove what killed runs left behind, then exit\n"
		"  -q, --quiet         no progress, only errors and the results' location\n"
		"  -v, --verbose       more detail (twice: debug)\n"
		"  -h, --help          this help\n"
		"  -V, --version       the version\n",
		log_prog(), log_prog(), cli_libraries[0], MP_DATADIR);
}

void cli_usage_footer(FILE *f)
{
	fprintf(f, "\n"
		   "Exit status: 0 done, 1 failure at run time, 2 bad usage or cfg, 130\n"
		   "interrupted. Files: range-psz, range-pps and mir-perf.conf in the cfg\n"
		   "directory; see mir-perf(1).\n");
}
