/* Everything one mir-perf run needs, after cfg files and command line are
 * merged (command line wins). Filled by cli_build_cfg() (harness/config/cli.c:
 * conf_defaults(), mir-perf.conf, the range lists, the options, the platform
 * and DUT resolved); released with cli_cfg_release(). Read by the sweep, the
 * platforms and the results writers; plan_point() (harness/config/plan.h) gives the
 * sweep's points in order. A field's meaning is what every reader relies on:
 * change one only together with all of them. */
#ifndef MP_RUN_CFG_H
#define MP_RUN_CFG_H

#include <limits.h>
#include <stdint.h>

#define RUN_MAX_POINTS 10000
/* A cfg file (mir-perf.conf, range-psz, range-pps) larger than this is refused:
 * the shipped ones are a few hundred bytes, and /dev/zero never ends. */
#define RUN_CFG_FILE_MAX (1024 * 1024)

/* A rate of range-pps / --rates written "N%" (1..100): N percent of what the
 * DUT carried (sink rx pps) at the same size's `max` point, which the list
 * must name before it. Stored in run_list.v as RUN_RATE_PCT(N), just below
 * UNITS_RATE_MAX; run_rate_pct() gives N back, 0 for any other rate. */
#define RUN_RATE_PCT_BASE (UINT64_MAX - 1000)
#define RUN_RATE_PCT(n)	  (RUN_RATE_PCT_BASE + (uint64_t)(n))
static inline unsigned run_rate_pct(uint64_t v)
{
	return v > RUN_RATE_PCT_BASE && v <= RUN_RATE_PCT_BASE + 100 ? (unsigned)(v - RUN_RATE_PCT_BASE)
								   : 0;
}

enum run_platform { PLATFORM_AUTO = 0, PLATFORM_LOCAL, PLATFORM_XEN };
enum run_order { ORDER_SIZE_MAJOR = 0, ORDER_RATE_MAJOR };
/* What a run measures: frames of sizes x rates through the DUT (the sweep or
 * the search), TCP/UDP goodput with iperf3 (harness/measure/goodput.h), or
 * TCP request/response with mir-trafgen rr (harness/measure/rr.h). */
enum run_mode { MODE_FRAMES = 0, MODE_GOODPUT, MODE_RR };
/* The goodput mode's server end (server = / --server): iperf3 -s behind the
 * DUT (the sink side, default), or the DUT itself: on Xen, the library's
 * recipe built as a MirageOS iperf3 server (TCP, client to server) instead of
 * the forwarder, on if1 only. */
enum run_server { RUN_SERVER_SINK = 0, RUN_SERVER_DUT };
#define RUN_PROTO_TCP	   1U
#define RUN_PROTO_UDP	   2U
#define RUN_MAX_STREAMS_N  8
#define RUN_MAX_BITRATES   8
/* The pacer's tolerance over a point: below target * (1 - this), the
 * generator could not keep up (pacer.h schedules every frame to within one
 * 20 us batch and catches up after a late wake-up, so an on-time generator is
 * far inside it). A guest under an emulator keeps no such time: the real-Xen
 * check sets gen_tolerance wider. */
#define RUN_GEN_TOLERANCE 0.02

/* What a sweep does after a point at which the DUT stopped transmitting. */
enum run_dut_stop { RUN_DUT_STOP_STOP = 0, RUN_DUT_STOP_CONTINUE };

/* The parsed form of run_cfg.dut (harness/config/dut_form.h). */
enum run_dut_kind {
	RUN_DUT_NONE = 0,  /* not resolved yet */
	RUN_DUT_FWD,       /* local: mir-trafgen fwd in a DUT namespace between veths */
	RUN_DUT_TAP_FWD,   /* local: mir-trafgen fwd --tap on TAP devices tap0/tap1 */
	RUN_DUT_BRIDGE,    /* local: the kernel bridging tap0 to tap1 */
	RUN_DUT_EXEC,      /* local: any program on TAP devices tap0/tap1 (dut = "exec:CMD") */
	RUN_DUT_IMAGE,     /* xen: a prebuilt unikernel image (dut = "image:PATH") */
	RUN_DUT_LINUX_FWD, /* xen: the traff-gen Linux image in forwarder mode */
	RUN_DUT_LIBRARY,   /* xen: a unikernel built from library at commit */
};

/* A list of sizes or rates from range-psz / range-pps / --sizes / --rates,
 * in file order, duplicates dropped. */
struct run_list {
	uint64_t *v;
	unsigned n;
	char origin[PATH_MAX]; /* file path or "--sizes" */
};

struct run_cfg {
	/* what is measured */
	char library[64]; /* "" = none (local DUT) or a recipe name e.g. "mirage-net-xen" */
	char commit[41];  /* "" = default branch head; else 7..40 lower-case hex */
	char dut[512];	  /* "fwd", "tap-fwd", "bridge", "exec:CMD", "image:PATH", "linux-fwd";
			   * "" with dut_kind RUN_DUT_LIBRARY */
	enum run_dut_kind dut_kind; /* resolved by the CLI for the chosen platform */
	/* How a library is built (harness/platform/xen/recipe.h): "" = online with opam, else
	 * offline from this source mirror (--sources, mirage_sources); and from
	 * which repository ("" = the upstream URL; --repo, mirage_repo). */
	char mirage_sources[PATH_MAX];
	char mirage_repo[PATH_MAX];
	/* After the CLI: PLATFORM_LOCAL or PLATFORM_XEN, never AUTO; why says how
	 * it was chosen ("auto: /proc/xen/capabilities has control_d: ..."). */
	enum run_platform platform;
	char platform_why[256];

	/* the sweep */
	struct run_list sizes; /* frame sizes with FCS */
	struct run_list rates; /* pps; UNITS_RATE_MAX = max */
	enum run_order order;
	uint64_t duration_ns; /* per point, default 10 s */
	uint64_t warmup_ns;   /* default 2 s */
	uint64_t settle_ns;   /* gap between points, default 1 s */
	uint64_t interval_ns; /* monitor sampling, default 100 ms */
	unsigned trials;      /* default 1 */
	unsigned flows;	      /* UDP flows, default 1 */
	uint64_t dut_timeout_ns; /* local: wait for the DUT to forward a probe; 0 = 30 s */
	enum run_dut_stop on_dut_stop; /* on_dut_stop / --on-dut-stop, default stop */
	/* gen_tolerance: how far below its target the generator's rate over a
	 * sweep point may fall before the point is "generator failed"; default
	 * RUN_GEN_TOLERANCE */
	double gen_tolerance;

	/* the generator (harness/config/gen_threads.h) */
	unsigned gen_threads; /* sending threads, one TX queue each, 1..8; 0 = auto until
			       * the CLI resolves it */
	unsigned gen_vcpus;   /* xen: the traff-gen VM's vCPUs; 0 = auto (gen_threads + 1) */
	char gen_threads_why[192]; /* how gen_threads was chosen, said in the plan */
	/* the goodput mode (mode = goodput): the points are protocol x streams x
	 * write size (x UDP bitrate), each cfg->trials times */
	enum run_mode mode;	/* default MODE_FRAMES */
	struct run_list bufsz;	/* iperf3 write sizes: range-bufsz / --bufsizes */
	unsigned streams[RUN_MAX_STREAMS_N], nstreams; /* parallel streams, default 1 */
	unsigned protocols;	/* RUN_PROTO_* bits, default TCP */
	uint64_t bitrates[RUN_MAX_BITRATES]; /* UDP target bit/s, default 10M */
	unsigned nbitrates;
	enum run_server server; /* default RUN_SERVER_SINK */
	int dut_as_root;	 /* local exec: DUT as root, not as the invoking user */
	/* the rr mode (mode = rr): connections (streams above) x request/response
	 * size, each cfg->trials times */
	struct run_list rrsz;	/* RR_SIZE_PACK(Q, R): range-rrsz / --rr-sizes */
	uint64_t rr_timeout_ns; /* a transaction's timeout, default 2 s */

	/* the throughput search (--search, search = ...) instead of the rate sweep;
	 * harness/measure/search.h */
	unsigned search;     /* SEARCH_NDR | SEARCH_PDR; 0 = sweep range-pps */
	double ndr_loss;     /* loss ratio the NDR tolerates, default 0 */
	double pdr_loss;     /* default 0.005 */
	double precision;    /* final relative width of the bounds, default 0.01 */
	uint64_t max_rate;   /* the search's top rate; UNITS_RATE_MAX = generator max */
	int search_binary;   /* plain binary search (bench-search's baseline) */

	/* Xen */
	unsigned dut_memory_mb;	   /* default 256 */
	unsigned gen_memory_mb;	   /* default 256 */
	char tsc_mode[16];	   /* default "native" (PVH under emulation needs it) */
	char gen_kernel[PATH_MAX]; /* "" = the dom0's own kernel */

	/* where */
	char cfg_dir[PATH_MAX];
	char conf_file[PATH_MAX];   /* the mir-perf.conf read */
	char results_dir[PATH_MAX]; /* default "results" */
	char out_dir[PATH_MAX];	    /* -o: explicit run directory, "" = results/<name> */

	/* how */
	int dry_run;
	int quiet;
	int verbose;
};

/* 1 when the DUT itself is iperf3's server: the goodput mode, server = dut,
 * and a library built by mir-perf (the recipe's iperf3 unikernel; the CLI
 * refuses server = dut anywhere else). Every layer that acts on it asks
 * this, not cfg->server. */
static inline int run_cfg_dut_serves(const struct run_cfg *cfg)
{
	return cfg->mode == MODE_GOODPUT && cfg->server == RUN_SERVER_DUT &&
	       cfg->dut_kind == RUN_DUT_LIBRARY;
}

#endif
