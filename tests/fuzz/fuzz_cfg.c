/* Random-input fuzzer of the cfg parsers (range lists, mir-perf.conf, DUT
 * forms), built with -fsanitize=address,undefined and run by `make check` for
 * a few seconds. Inputs are random bytes over an alphabet the grammar cares
 * about, and mutations (insert, delete, replace, splice, repeat) of valid
 * files. Beyond "no crash", every result must keep the parsers' promises:
 *   - success: a non-empty list, at most the allowed points, every value in
 *     range, no value twice;
 *   - failure: an empty list and one printable message naming the origin.
 * MP_FUZZ_SECONDS (default 3) bounds the run; MP_FUZZ_SEED replays one.
 * Prints TAP. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/config/conf.h"
#include "harness/config/conf_file.h"
#include "harness/config/dut_form.h"
#include "harness/config/rangelist.h"
#include "lib/units.h"

#define FUZZ_MAX 4096

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: fast, and reproducible from the printed seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static size_t rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static const char *const seeds_list[] = {
	"64\n512\n1518\n",
	"# sizes\n64..1518:64 9018\n",
	"10k 50k 100k 200k\n",
	"100k..1M:100k, max # fast\n1.5M\n",
	"1..10000:1\n",
	"60 64 64 1O0k 1M..100k:1k 0 ..:",
};
static const char *const seeds_conf[] = {
	"duration = 5\nwarmup = 1\nsettle = 1\ninterval = 100ms\ntrials = 1\nflows = 1\n",
	"order = size-major\nplatform = auto\nresults = results\ndut = fwd\n",
	"dut_memory = 256\ngen_memory = 256\ntsc_mode = native\ngen_kernel = \"\"\n",
	"dut = \"exec:sh -c 'x # y'\" # c\ndurration = 10\n",
};
static const char *const tokens[] = {
	"64",  "60",	  "9018", "9019", "k",	  "M",	  ".",	  "..",	     ":",  "#",	 " ",
	"\n",  ",",	  "=",	  "\"",	  "max",  "1.5M", "100M", "0",	     "1e5", "\t", "\r",
	"-",   "exec:",	  "image:", "duration", "dut", "interval", "99999999999999999999", "\\",
	"\0",  "\xff",	  "\x1b",
};

#define N(a) (sizeof(a) / sizeof(a[0]))

static size_t gen_random(char *buf)
{
	static const char alpha[] = "0123456789kMm.:# \n,=\"xabsuh_-\t\r\\\x01\xff";
	size_t n = rnd_below(200), i;

	for (i = 0; i < n; i++)
		buf[i] = rnd_below(4) ? alpha[rnd_below(sizeof(alpha) - 1)] : (char)rnd();
	return n;
}

static size_t gen_mutated(char *buf, const char *seed)
{
	size_t n = strlen(seed), k, rounds = 1 + rnd_below(8);

	memcpy(buf, seed, n);
	for (k = 0; k < rounds; k++) {
		size_t at = rnd_below(n + 1), len;
		const char *t;

		switch (rnd_below(5)) {
		case 0: /* insert a token */
			t = tokens[rnd_below(N(tokens))];
			len = t[0] ? strlen(t) : 1;
			if (n + len >= FUZZ_MAX)
				break;
			memmove(buf + at + len, buf + at, n - at);
			memcpy(buf + at, t, len);
			n += len;
			break;
		case 1: /* delete a span */
			len = rnd_below(n - at + 1);
			memmove(buf + at, buf + at + len, n - at - len);
			n -= len;
			break;
		case 2: /* replace a byte */
			if (at < n)
				buf[at] = (char)rnd();
			break;
		case 3: /* repeat a span */
			len = rnd_below(n - at + 1);
			if (n + len >= FUZZ_MAX)
				break;
			memmove(buf + at + len, buf + at, n - at);
			n += len;
			break;
		default: /* splice in another seed */
			t = seeds_list[rnd_below(N(seeds_list))];
			len = strlen(t);
			if (n + len >= FUZZ_MAX)
				break;
			memmove(buf + at + len, buf + at, n - at);
			memcpy(buf + at, t, len);
			n += len;
		}
	}
	return n;
}

static int msg_ok(const char *err, const char *origin)
{
	const char *p;

	if (strncmp(err, origin, strlen(origin)) || !err[strlen(origin)])
		return 0;
	for (p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* 0 when the promises hold, else a description in why. */
static int check_list(const char *buf, size_t n, enum rangelist_kind kind, unsigned other,
		      char *why, size_t wlen)
{
	struct run_list l;
	char err[1024];
	unsigned max = other ? RUN_MAX_POINTS / other : RUN_MAX_POINTS, i;
	uint64_t *sorted;
	FILE *f;
	int rc;

	memset(&l, 0xa5, sizeof(l));
	if (!n) {
		rc = rangelist_parse_string("", "fz", kind, other, &l, NULL, err, sizeof(err));
	} else {
		f = fmemopen((void *)buf, n, "r");
		if (!f)
			return 0;
		rc = rangelist_parse(f, "fz", kind, other, &l, NULL, err, sizeof(err));
		fclose(f);
	}
	if (rc) {
		if (l.n || l.v || !msg_ok(err, "fz:")) {
			snprintf(why, wlen, "failure with n=%u or message '%.200s'", l.n, err);
			return -1;
		}
		return 0;
	}
	if (!l.n || l.n > max) {
		snprintf(why, wlen, "success with %u values (max %u)", l.n, max);
		run_list_release(&l);
		return -1;
	}
	sorted = malloc(l.n * sizeof(*sorted));
	if (!sorted)
		abort();
	memcpy(sorted, l.v, l.n * sizeof(*sorted));
	qsort(sorted, l.n, sizeof(*sorted), cmp_u64);
	rc = 0;
	for (i = 0; i < l.n; i++) {
		uint64_t v = sorted[i];
		int bad = kind == RANGELIST_SIZES
				  ? v < UNITS_FRAME_MIN || v > UNITS_FRAME_MAX
				  : v != UNITS_RATE_MAX && (v < UNITS_RATE_MIN || v > UNITS_RATE_LIMIT);

		if (bad || (i && sorted[i - 1] == v)) {
			snprintf(why, wlen, "value %llu out of range or twice",
				 (unsigned long long)v);
			rc = -1;
			break;
		}
	}
	free(sorted);
	run_list_release(&l);
	return rc;
}

static int check_conf(const char *buf, size_t n, char *why, size_t wlen)
{
	struct run_cfg cfg;
	enum run_dut_kind kind;
	char err[1024];
	FILE *f;
	int rc;

	if (!n)
		return 0;
	f = fmemopen((void *)buf, n, "r");
	if (!f)
		return 0;
	conf_defaults(&cfg);
	rc = conf_parse(f, "fz", &cfg, NULL, err, sizeof(err));
	fclose(f);
	if (rc && !msg_ok(err, "fz:")) {
		snprintf(why, wlen, "conf failure message '%.200s'", err);
		return -1;
	}
	/* whatever was accepted must still be valid for its setter */
	if (!rc && (cfg.duration_ns < 100000000ULL || cfg.interval_ns < 1000000ULL ||
		    !cfg.trials || !cfg.flows ||
		    dut_form_parse(cfg.dut, &kind, err, sizeof(err)) ||
		    memchr(cfg.results_dir, '\n', strlen(cfg.results_dir)))) {
		snprintf(why, wlen, "conf accepted an invalid value");
		return -1;
	}
	return 0;
}

int main(void)
{
	const char *secs_env = getenv("MP_FUZZ_SECONDS"), *seed_env = getenv("MP_FUZZ_SEED");
	double secs = secs_env ? atof(secs_env) : 3.0;
	uint64_t seed = seed_env ? strtoull(seed_env, NULL, 0) : (uint64_t)time(NULL) * 2654435761ULL;
	static const unsigned others[] = { 0, 1, 3, 5000, 10000 };
	unsigned long runs_list = 0, runs_conf = 0, bad_list = 0, bad_conf = 0;
	struct timespec t0, t;
	char buf[FUZZ_MAX + 64], why[512];

	rng_state = seed ? seed : 1;
	printf("# seed %llu (MP_FUZZ_SEED=%llu replays it), %.1f s\n", (unsigned long long)seed,
	       (unsigned long long)seed, secs);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		size_t n;
		int i;

		for (i = 0; i < 64; i++) {
			uint64_t s = rng_state;

			n = rnd_below(3) ? gen_mutated(buf, seeds_list[rnd_below(N(seeds_list))])
					 : gen_random(buf);
			if (check_list(buf, n, rnd_below(2) ? RANGELIST_SIZES : RANGELIST_RATES,
				       others[rnd_below(N(others))], why, sizeof(why))) {
				if (bad_list++ < 5)
					printf("# list input (state %llu): %s\n",
					       (unsigned long long)s, why);
			}
			runs_list++;
			n = rnd_below(3) ? gen_mutated(buf, seeds_conf[rnd_below(N(seeds_conf))])
					 : gen_random(buf);
			if (check_conf(buf, n, why, sizeof(why)) && bad_conf++ < 5)
				printf("# conf input: %s\n", why);
			runs_conf++;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < secs);

	printf("1..2\n");
	printf("%sok 1 - range lists: %lu random and mutated inputs, no crash, %lu broken "
	       "promises\n",
	       bad_list ? "not " : "", runs_list, bad_list);
	printf("%sok 2 - mir-perf.conf: %lu random and mutated inputs, no crash, %lu broken "
	       "promises\n",
	       bad_conf ? "not " : "", runs_conf, bad_conf);
	return bad_list || bad_conf;
}
