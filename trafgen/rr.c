/* mir-trafgen rr; see rr.h. */
#include "trafgen/rr.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/usage.h"
#include "lib/mtime.h"
#include "lib/units.h"
#include "trafgen/cli.h"
#include "trafgen/frame.h"
#include "trafgen/rr_server.h"
#include "trafgen/rr_wire.h"

#define RR_DEFAULT_DURATION_NS (10 * NSEC_PER_SEC)
#define RR_DEFAULT_TIMEOUT_NS  (2 * NSEC_PER_SEC)

enum { O_RR_LISTEN = 300, O_RR_CONNECT, O_RR_SIZE, O_RR_CONNS, O_RR_WARMUP, O_RR_TIMEOUT, O_RR_JSON };

/* "198.19.0.1" or "198.19.0.1:12865", inside 198.18.0.0/15. */
static int parse_addr(const char *opt, const char *s, uint32_t *ip, uint16_t *port)
{
	const char *colon = strchr(s, ':');
	char a[32];
	uint64_t p = RR_PORT;

	if (strlen(s) >= sizeof(a))
		return usage_error(opt, "an address like 198.19.0.1 or 198.19.0.1:12865", s);
	snprintf(a, sizeof(a), "%.*s", colon ? (int)(colon - s) : (int)strlen(s), s);
	if (frame_parse_ip(a, ip) ||
	    (colon && units_parse_uint(colon + 1, 1, 65535, &p)))
		return usage_error(opt,
			       "an IPv4 address inside 198.18.0.0/15, with :PORT (1..65535) "
			       "or not",
			       s);
	*port = (uint16_t)p;
	return 0;
}

/* "Q" (the response as large) or "Q/R", each RR_SIZE_MIN..RR_SIZE_MAX. */
static int parse_size(const char *s, uint32_t *q, uint32_t *r)
{
	const char *slash = strchr(s, '/');
	char a[32];
	uint64_t x, y;

	if (strlen(s) >= sizeof(a))
		goto bad;
	snprintf(a, sizeof(a), "%.*s", slash ? (int)(slash - s) : (int)strlen(s), s);
	if (units_parse_uint(a, RR_SIZE_MIN, RR_SIZE_MAX, &x))
		goto bad;
	y = x;
	if (slash && units_parse_uint(slash + 1, RR_SIZE_MIN, RR_SIZE_MAX, &y))
		goto bad;
	*q = (uint32_t)x;
	*r = (uint32_t)y;
	return 0;
bad:
	return usage_error("--size", "a request size Q or Q/R (response R), 1..1048576 bytes each", s);
}

static int parse_time(const char *opt, const char *s, int zero_ok, uint64_t *ns)
{
	if (units_parse_duration(s, ns) || (!zero_ok && !*ns))
		return usage_error(opt, zero_ok ? "a duration like 2, 500ms (0 allowed)"
					    : "a duration like 10, 10s, 500ms (> 0)",
			       s);
	return 0;
}

static int cmd_server(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, O_RR_LISTEN},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	uint32_t ip = 0;
	uint16_t port = RR_PORT;
	int c, have = 0;

	while ((c = cli_next_opt(argc, argv, ":v", opts)) > 0) {
		switch (c) {
		case O_RR_LISTEN:
			if (parse_addr("--listen", optarg, &ip, &port))
				return MP_EXIT_USAGE;
			have = 1;
			break;
		}
	}
	if (c < 0)
		return MP_EXIT_USAGE;
	if (!have)
		return usage_error("--listen", "an address like 198.19.0.1 or 198.19.0.1:12865", NULL);
	return rr_server_run(ip, port) ? 1 : 0;
}

void rr_json(FILE *f, const struct rr_client_opts *o, const struct rr_client_result *r)
{
	struct json_writer j;

	json_init(&j, f, 0);
	json_obj_begin(&j);
	json_kv_u64(&j, "req_bytes", o->req);
	json_kv_u64(&j, "resp_bytes", o->resp);
	json_kv_u64(&j, "conns", o->conns);
	json_kv_fixed(&j, "warmup_s", (double)o->warmup_ns / 1e9, 3);
	json_kv_fixed(&j, "duration_s", (double)o->duration_ns / 1e9, 3);
	json_kv_fixed(&j, "timeout_s", (double)o->timeout_ns / 1e9, 3);
	json_kv_fixed(&j, "seconds", r->seconds, 6);
	json_kv_u64(&j, "started", r->started);
	json_kv_u64(&j, "completed", r->completed);
	json_kv_u64(&j, "timed_out", r->timed_out);
	json_kv_u64(&j, "failed", r->failed);
	json_kv_u64(&j, "unfinished", r->unfinished);
	json_kv_u64(&j, "warmup_transactions", r->warmup_transactions);
	json_kv_u64(&j, "warmup_lost", r->warmup_lost);
	json_kv_fixed(&j, "tps", r->seconds > 0 ? (double)r->completed / r->seconds : 0, 3);
	json_key(&j, "latency_ns");
	json_obj_begin(&j);
	json_kv_u64(&j, "n", r->lat.count);
	json_kv_u64(&j, "min", r->lat.count ? r->lat.min : 0);
	json_kv_fixed(&j, "mean", histo_mean(&r->lat), 1);
	json_kv_u64(&j, "p50", histo_quantile(&r->lat, 0.50));
	json_kv_u64(&j, "p90", histo_quantile(&r->lat, 0.90));
	json_kv_u64(&j, "p99", histo_quantile(&r->lat, 0.99));
	json_kv_u64(&j, "p999", histo_quantile(&r->lat, 0.999));
	json_kv_u64(&j, "max", r->lat.max);
	json_obj_end(&j);
	json_kv_u64(&j, "connects", r->connects);
	json_kv_fixed(&j, "cpu_client_pct", r->cpu_client_pct, 2);
	json_kv_fixed(&j, "cpu_server_pct", r->cpu_server_pct, 2);
	json_key(&j, "server_transactions");
	json_i64(&j, r->server_transactions);
	json_kv_bool(&j, "interrupted", r->interrupted);
	json_kv_str(&j, "last_error", r->last_error);
	json_obj_end(&j);
	fputc('\n', f);
}

static void print_human(const struct rr_client_opts *o, const struct rr_client_result *r)
{
	printf("%u/%u bytes, %u connection%s, %.3f s: %llu transactions, %.1f per second\n",
	       o->req, o->resp, o->conns, o->conns == 1 ? "" : "s", r->seconds,
	       (unsigned long long)r->completed, r->seconds > 0 ? r->completed / r->seconds : 0);
	printf("latency us: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n",
	       histo_quantile(&r->lat, 0.5) / 1e3, histo_quantile(&r->lat, 0.9) / 1e3,
	       histo_quantile(&r->lat, 0.99) / 1e3, histo_quantile(&r->lat, 0.999) / 1e3,
	       r->lat.max / 1e3);
	printf("timed out %llu, failed %llu, unfinished %llu, warm-up %llu; cpu client %.1f %%, "
	       "server %.1f %%\n",
	       (unsigned long long)r->timed_out, (unsigned long long)r->failed,
	       (unsigned long long)r->unfinished, (unsigned long long)r->warmup_transactions,
	       r->cpu_client_pct, r->cpu_server_pct);
}

static int cmd_client(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"connect", required_argument, NULL, O_RR_CONNECT},
	    {"size", required_argument, NULL, O_RR_SIZE},
	    {"conns", required_argument, NULL, O_RR_CONNS},
	    {"duration", required_argument, NULL, 't'},
	    {"warmup", required_argument, NULL, O_RR_WARMUP},
	    {"timeout", required_argument, NULL, O_RR_TIMEOUT},
	    {"json", no_argument, NULL, O_RR_JSON},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	struct rr_client_opts o = {.port = RR_PORT,
				   .req = 1,
				   .resp = 1,
				   .conns = 1,
				   .duration_ns = RR_DEFAULT_DURATION_NS,
				   .timeout_ns = RR_DEFAULT_TIMEOUT_NS};
	struct rr_client_result *r;
	int c, json = 0, have = 0, rc;
	char err[256];
	uint64_t v;

	while ((c = cli_next_opt(argc, argv, ":t:v", opts)) > 0) {
		switch (c) {
		case O_RR_CONNECT:
			if (parse_addr("--connect", optarg, &o.ip, &o.port))
				return MP_EXIT_USAGE;
			have = 1;
			break;
		case O_RR_SIZE:
			if (parse_size(optarg, &o.req, &o.resp))
				return MP_EXIT_USAGE;
			break;
		case O_RR_CONNS:
			if (units_parse_uint(optarg, 1, RR_MAX_CONNS, &v))
				return usage_error("--conns", "a number of connections, 1..128", optarg);
			o.conns = (unsigned)v;
			break;
		case 't':
			if (parse_time("--duration", optarg, 0, &o.duration_ns))
				return MP_EXIT_USAGE;
			break;
		case O_RR_WARMUP:
			if (parse_time("--warmup", optarg, 1, &o.warmup_ns))
				return MP_EXIT_USAGE;
			break;
		case O_RR_TIMEOUT:
			if (parse_time("--timeout", optarg, 0, &o.timeout_ns))
				return MP_EXIT_USAGE;
			break;
		case O_RR_JSON:
			json = 1;
			break;
		}
	}
	if (c < 0)
		return MP_EXIT_USAGE;
	if (!have)
		return usage_error("--connect", "the server's address like 198.19.0.1", NULL);
	r = malloc(sizeof(*r));
	if (!r) {
		log_err("rr client: out of memory");
		return 1;
	}
	rc = rr_client_run(&o, r, err, sizeof(err));
	if (rc) {
		log_err("rr client: %s", err);
		free(r);
		return 1;
	}
	if (json)
		rr_json(stdout, &o, r);
	else
		print_human(&o, r);
	fflush(stdout);
	free(r);
	return 0;
}

int rr_main(int argc, char **argv)
{
	if (argc < 2) {
		return usage_error("rr", "server or client", NULL);
	}
	optind = 1;
	if (!strcmp(argv[1], "server")) {
		usage_set_command("rr server");
		return cmd_server(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "client")) {
		usage_set_command("rr client");
		return cmd_client(argc - 1, argv + 1);
	}
	return usage_error("rr", "server or client", argv[1]);
}
