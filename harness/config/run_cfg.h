/* Everything one mir-perf run needs, after cfg files and command line are
 * merged (command line wins). Filled by cli_build_cfg() (harness/config/cli.c:
 * conf_defaults(), mir-perf.conf, the range lists, the options, the platform
 * and DUT resolved); released with cli_cfg_release(). Read by the sweep, the
 * platforms and the results writers; plan_point() (harness/config/plan.h) gives the
 * sweep's points in order.
 *
 * CONTRACT inside harness/: add fields freely, do not change the meaning of
 * existing ones without updating every user. */
#ifndef MP_RUN_CFG_H
#define MP_RUN_CFG_H

#include <limits.h>
#include <stdint.h>

#define RUN_MAX_POINTS 10000
/* A cfg file (mir-perf.conf, range-psz, range-pps) larger than this is refused:
 * the shipped ones are a few hundred bytes, and /dev/zero never ends. */
#define RUN_CFG_FILE_MAX (1024 * 1024)

enum run_platform { PLATFORM_AUTO = 0, PLATFORM_LOCAL, PLATFORM_XEN };
enum run_order { ORDER_SIZE_MAJOR = 0, ORDER_RATE_MAJOR };

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
	int dut_as_root;	 /* local exec: DUT as root, not as the invoking user */

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

#endif
