#include "harness/config/conf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/config/dut_form.h"
#include "harness/config/goodput_opts.h"
#include "harness/config/quote.h"
#include "harness/config/search_opts.h"
#include "lib/units.h"

#define NS_PER_MS 1000000ULL
#define NS_PER_S  1000000000ULL

void conf_defaults(struct run_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->dut, sizeof(cfg->dut), "fwd");
	cfg->platform = PLATFORM_AUTO;
	cfg->order = ORDER_SIZE_MAJOR;
	cfg->duration_ns = 10 * NS_PER_S; /* as the original mirage-perf */
	cfg->warmup_ns = 2 * NS_PER_S;
	cfg->settle_ns = 1 * NS_PER_S;
	cfg->interval_ns = 100 * NS_PER_MS;
	cfg->trials = 1;
	cfg->flows = 1;
	cfg->pdr_loss = 0.005; /* as FD.io CSIT */
	cfg->gen_tolerance = RUN_GEN_TOLERANCE;
	cfg->precision = 0.01;
	cfg->max_rate = UNITS_RATE_MAX;
	cfg->streams[0] = 1;
	cfg->nstreams = 1;
	cfg->protocols = RUN_PROTO_TCP;
	cfg->bitrates[0] = 10000000; /* well within what a busy 2-core machine forwards */
	cfg->nbitrates = 1;
	cfg->rr_timeout_ns = 2 * NS_PER_S; /* RR_TIMEOUT_DEFAULT_NS */
	cfg->dut_memory_mb = 256; /* what mirage configure generates */
	cfg->gen_memory_mb = 256;
	/* PVH guests crash on RDTSCP under an emulator unless the TSC is native. */
	snprintf(cfg->tsc_mode, sizeof(cfg->tsc_mode), "native");
	snprintf(cfg->results_dir, sizeof(cfg->results_dir), "results");
}

/* Setters: 0, or -EINVAL with what was expected. */
typedef int (*conf_setter)(struct run_cfg *cfg, const char *v, char *exp, size_t len);

static int conf_expect(char *exp, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int conf_expect(char *exp, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(exp, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int conf_duration(const char *v, uint64_t min, uint64_t max, const char *range,
			 uint64_t *out, char *exp, size_t len)
{
	uint64_t ns;

	if (units_parse_duration(v, &ns) || ns < min || ns > max)
		return conf_expect(exp, len, "a duration %s, like 10, 10s or 500ms", range);
	*out = ns;
	return 0;
}

static int set_duration(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return conf_duration(v, 100 * NS_PER_MS, 3600 * NS_PER_S, "from 100ms to 1h",
			     &cfg->duration_ns, exp, len);
}

static int set_warmup(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return conf_duration(v, 0, 600 * NS_PER_S, "from 0 to 10m", &cfg->warmup_ns, exp, len);
}

static int set_settle(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return conf_duration(v, 0, 600 * NS_PER_S, "from 0 to 10m", &cfg->settle_ns, exp, len);
}

static int set_interval(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return conf_duration(v, NS_PER_MS, 10 * NS_PER_S, "from 1ms to 10s", &cfg->interval_ns, exp,
			     len);
}

static int conf_uint(const char *v, uint64_t min, uint64_t max, const char *what, unsigned *out,
		     char *exp, size_t len)
{
	uint64_t n;

	if (units_parse_uint(v, min, max, &n))
		return conf_expect(exp, len, "%s from %llu to %llu", what, (unsigned long long)min,
				   (unsigned long long)max);
	*out = (unsigned)n;
	return 0;
}

static int set_trials(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return conf_uint(v, 1, 1000, "a number of trials", &cfg->trials, exp, len);
}

static int set_flows(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return conf_uint(v, 1, 65535, "a number of UDP flows", &cfg->flows, exp, len);
}

/* "auto" leaves 0: the CLI computes it once platform and DUT are known. */
static int set_gen_threads(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	if (!strcmp(v, "auto")) {
		cfg->gen_threads = 0;
		return 0;
	}
	if (conf_uint(v, 1, 8, "", &cfg->gen_threads, exp, len))
		return conf_expect(exp, len, "auto or a number of sending threads from 1 to 8");
	return 0;
}

static int set_gen_vcpus(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	if (!strcmp(v, "auto")) {
		cfg->gen_vcpus = 0;
		return 0;
	}
	if (conf_uint(v, 1, 64, "", &cfg->gen_vcpus, exp, len))
		return conf_expect(exp, len, "auto or a number of vCPUs from 1 to 64");
	return 0;
}

static int set_dut_memory(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return conf_uint(v, 16, 65536, "a memory size in MiB", &cfg->dut_memory_mb, exp, len);
}

static int set_gen_memory(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return conf_uint(v, 64, 65536, "a memory size in MiB", &cfg->gen_memory_mb, exp, len);
}

static int conf_word(const char *v, const char *const *words, int *out)
{
	int i;

	for (i = 0; words[i]; i++)
		if (!strcmp(v, words[i])) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}

static const char *const platform_words[] = {"auto", "local", "xen", NULL};
static const char *const order_words[] = {"size-major", "rate-major", NULL};
static const char *const tsc_words[] = {"native", "default", "always_emulate", "native_paravirt",
					NULL};

static int set_platform(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	int i;

	if (conf_word(v, platform_words, &i))
		return conf_expect(exp, len, "auto, local or xen");
	cfg->platform = (enum run_platform)i;
	return 0;
}

static int set_order(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	int i;

	if (conf_word(v, order_words, &i))
		return conf_expect(exp, len, "size-major or rate-major");
	cfg->order = (enum run_order)i;
	return 0;
}

static int set_tsc_mode(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	int i;

	if (conf_word(v, tsc_words, &i))
		return conf_expect(exp, len, "native, default, always_emulate or native_paravirt");
	snprintf(cfg->tsc_mode, sizeof(cfg->tsc_mode), "%s", tsc_words[i]);
	return 0;
}

/* A path that will reach open(2) or mkdir(2) as root: bounded, no control
 * characters (they would end up in messages and file names). */
static int conf_path(const char *v, int may_be_empty, char *out, size_t outlen, char *exp,
		     size_t len)
{
	size_t n = strlen(v);

	if ((!n && !may_be_empty) || n >= outlen || quote_has_control(v, n))
		return conf_expect(exp, len,
				   "a path%s shorter than %zu bytes, without control "
				   "characters",
				   may_be_empty ? " (or \"\")" : "", outlen);
	memcpy(out, v, n + 1);
	return 0;
}

static int set_results(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return conf_path(v, 0, cfg->results_dir, sizeof(cfg->results_dir), exp, len);
}

static int set_gen_kernel(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return conf_path(v, 1, cfg->gen_kernel, sizeof(cfg->gen_kernel), exp, len);
}

/* The builds run elsewhere (as the user, in their cache): paths absolute. */
static int set_mirage_sources(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	char abs[PATH_MAX];
	struct stat st;

	if (!*v) {
		cfg->mirage_sources[0] = '\0';
		return 0;
	}
	if (quote_has_control(v, strlen(v)) || !realpath(v, abs) || stat(abs, &st) ||
	    !S_ISDIR(st.st_mode) || strlen(abs) >= sizeof(cfg->mirage_sources))
		return conf_expect(exp, len,
				   "an existing directory: a source mirror (sources.txt, src/, "
				   "overlays/), or \"\" for the online build");
	memcpy(cfg->mirage_sources, abs, strlen(abs) + 1);
	return 0;
}

static int set_mirage_repo(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	char abs[PATH_MAX];
	size_t n = strlen(v);
	const char *colon = strchr(v, ':'), *slash = strchr(v, '/');

	if (n >= sizeof(cfg->mirage_repo) || v[0] == '-' || strpbrk(v, " \t") ||
	    quote_has_control(v, n))
		return conf_expect(exp, len, "a URL, a local repository or a git bundle");
	/* a URL (scheme:// or scp-like host:path) is git's to reach */
	if (!n || strstr(v, "://") || (colon && (!slash || colon < slash))) {
		memcpy(cfg->mirage_repo, v, n + 1);
		return 0;
	}
	if (!realpath(v, abs) || strlen(abs) >= sizeof(cfg->mirage_repo))
		return conf_expect(exp, len,
				   "a URL, or an existing local repository or git bundle");
	memcpy(cfg->mirage_repo, abs, strlen(abs) + 1);
	return 0;
}

static int set_dut(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	enum run_dut_kind kind;
	int rc;

	if (strlen(v) >= sizeof(cfg->dut))
		return conf_expect(exp, len, "a DUT shorter than %zu bytes", sizeof(cfg->dut));
	rc = dut_form_parse(v, &kind, exp, len);
	if (rc)
		return rc;
	snprintf(cfg->dut, sizeof(cfg->dut), "%s", v);
	cfg->dut_kind = kind;
	return 0;
}

static int set_search(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	if (!strcmp(v, "off")) {
		cfg->search = 0;
		return 0;
	}
	if (search_parse_targets(v, &cfg->search))
		return conf_expect(exp, len, "ndr, pdr, ndr,pdr or off");
	return 0;
}

static int set_loss(double *out, const char *v, char *exp, size_t len)
{
	if (search_parse_ratio(v, out))
		return conf_expect(exp, len, "a loss ratio from 0%% to below 100%%, like 0.5%%");
	return 0;
}

static int set_ndr_loss(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return set_loss(&cfg->ndr_loss, v, exp, len);
}

static int set_pdr_loss(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	return set_loss(&cfg->pdr_loss, v, exp, len);
}

static int set_precision(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	double p;

	if (search_parse_ratio(v, &p) || p < 0.0001 || p > 0.5)
		return conf_expect(exp, len, "a relative precision from 0.01%% to 50%%, like 1%%");
	cfg->precision = p;
	return 0;
}

static int set_max_rate(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	if (units_parse_rate(v, 1, &cfg->max_rate) || cfg->max_rate < 2000)
		return conf_expect(exp, len, "a rate like 2M, from 2k to 100M, or max");
	return 0;
}

static int set_search_mode(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	static const char *const words[] = {"mlr", "binary", NULL};
	int i;

	if (conf_word(v, words, &i))
		return conf_expect(exp, len, "mlr or binary");
	cfg->search_binary = i;
	return 0;
}

static int set_mode(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	if (goodput_parse_mode(v, &cfg->mode))
		return conf_expect(exp, len, "frames, goodput or rr");
	return 0;
}

static int set_streams(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	if (goodput_parse_streams(v, cfg->streams, &cfg->nstreams))
		return conf_expect(exp, len, "up to %d stream counts from 1 to 128, like 1 4",
				   RUN_MAX_STREAMS_N);
	return 0;
}

static int set_protocol(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	if (goodput_parse_protocols(v, &cfg->protocols))
		return conf_expect(exp, len, "tcp, udp or tcp,udp");
	return 0;
}

static int set_bitrate(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	if (goodput_parse_bitrates(v, cfg->bitrates, &cfg->nbitrates))
		return conf_expect(exp, len,
				   "up to %d UDP bitrates from 1k to 100G bit/s, like 10M 1.5G",
				   RUN_MAX_BITRATES);
	return 0;
}

static int set_server(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	if (goodput_parse_server(v, &cfg->server))
		return conf_expect(exp, len, "'dut' or 'sink'");
	return 0;
}

/* A transaction's timeout in the rr mode: long enough for any DUT that
 * forwards, short enough that a lost one does not stall a point. */
static int set_rr_timeout(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	uint64_t ns;

	if (units_parse_duration(v, &ns) || ns < 10 * NS_PER_MS || ns > 60 * NS_PER_S)
		return conf_expect(exp, len, "a timeout from 10ms to 1m, like 2s or 500ms");
	cfg->rr_timeout_ns = ns;
	return 0;
}

static int set_on_dut_stop(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	static const char *const words[] = {"stop", "continue", NULL};
	int i;

	if (conf_word(v, words, &i))
		return conf_expect(exp, len, "stop or continue");
	cfg->on_dut_stop = i ? RUN_DUT_STOP_CONTINUE : RUN_DUT_STOP_STOP;
	return 0;
}

/* A ratio below 100 %, like the loss tolerances. */
static int set_gen_tolerance(struct run_cfg *cfg, const char *v, char *exp, size_t len)
{
	if (search_parse_ratio(v, &cfg->gen_tolerance))
		return conf_expect(exp, len, "a ratio from 0%% to below 100%%, like 2%%");
	return 0;
}

static const struct {
	const char *key;
	conf_setter set;
} conf_keys[] = {
    {"duration", set_duration}, {"warmup", set_warmup},		  {"settle", set_settle},
    {"interval", set_interval}, {"trials", set_trials},		  {"flows", set_flows},
    {"platform", set_platform}, {"results", set_results},	  {"dut", set_dut},
    {"order", set_order},	{"dut_memory", set_dut_memory},	  {"gen_memory", set_gen_memory},
    {"tsc_mode", set_tsc_mode}, {"gen_kernel", set_gen_kernel},	  {"search", set_search},
    {"ndr_loss", set_ndr_loss}, {"pdr_loss", set_pdr_loss},	  {"precision", set_precision},
    {"max_rate", set_max_rate}, {"search_mode", set_search_mode},
    {"mirage_sources", set_mirage_sources}, {"mirage_repo", set_mirage_repo},
    {"gen_threads", set_gen_threads}, {"gen_vcpus", set_gen_vcpus},
    {"mode", set_mode},		{"streams", set_streams},	  {"protocol", set_protocol},
    {"bitrate", set_bitrate},	{"server", set_server},		  {"rr_timeout", set_rr_timeout},
    {"on_dut_stop", set_on_dut_stop}, {"gen_tolerance", set_gen_tolerance},
};

#define CONF_NKEYS (sizeof(conf_keys) / sizeof(conf_keys[0]))
_Static_assert(CONF_NKEYS <= CONF_KEYS_MAX, "CONF_KEYS_MAX is below the number of keys");

int conf_key_index(const char *key)
{
	size_t i;

	for (i = 0; i < CONF_NKEYS; i++)
		if (!strcmp(conf_keys[i].key, key))
			return (int)i;
	return -1;
}

int conf_key_set(int k, struct run_cfg *cfg, const char *value, char *expected, size_t len)
{
	if (k < 0 || (size_t)k >= CONF_NKEYS)
		return -ENOENT;
	return conf_keys[k].set(cfg, value, expected, len);
}

int conf_set(struct run_cfg *cfg, const char *key, const char *value, char *expected, size_t len)
{
	return conf_key_set(conf_key_index(key), cfg, value, expected, len);
}

/* Levenshtein distance, capped: keys are short. */
static unsigned conf_distance(const char *a, const char *b)
{
	unsigned row[64], i, j, la = (unsigned)strlen(a), lb = (unsigned)strlen(b);

	if (la >= 63 || lb >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		unsigned diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* "duration, warmup, ... and search_mode", from the table itself. */
void conf_key_list(char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < CONF_NKEYS && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s",
				      i == 0		    ? ""
				      : i + 1 == CONF_NKEYS ? " and "
							    : ", ",
				      conf_keys[i].key);
}

const char *conf_suggest(const char *key)
{
	unsigned best = 99, d, limit;
	const char *name = NULL;
	size_t i;

	for (i = 0; i < CONF_NKEYS; i++) {
		d = conf_distance(key, conf_keys[i].key);
		if (d < best) {
			best = d;
			name = conf_keys[i].key;
		}
	}
	/* Two edits, or a third of the key for long keys: a typo, not another word. */
	limit = (unsigned)strlen(key) / 3;
	if (limit < 2)
		limit = 2;
	return best <= limit ? name : NULL;
}

const char *conf_platform_name(enum run_platform p)
{
	return (unsigned)p < 3 ? platform_words[p] : "?";
}

const char *conf_order_name(enum run_order o)
{
	return (unsigned)o < 2 ? order_words[o] : "?";
}
