/* A small streaming JSON writer (stats.json, --json output, the agent's
 * replies) and a parser for the flat one-line objects of the agent's control
 * protocol: {"key": "string" | number | true | false | null, ...}. */
#ifndef MP_JSON_H
#define MP_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *f;
	int depth;
	int pretty;
	unsigned char need_comma[JSON_MAX_DEPTH];
	unsigned char after_key;
};

void json_init(struct json_writer *w, FILE *f, int pretty);
void json_obj_begin(struct json_writer *w);
void json_obj_end(struct json_writer *w);
void json_arr_begin(struct json_writer *w);
void json_arr_end(struct json_writer *w);
void json_key(struct json_writer *w, const char *key);
void json_str(struct json_writer *w, const char *s);
void json_u64(struct json_writer *w, uint64_t v);
void json_i64(struct json_writer *w, int64_t v);
/* NaN and infinities are written as null. */
void json_double(struct json_writer *w, double v);
/* Fixed-point with this many decimals (no exponent, every digit kept: rates
 * of millions of pps, latencies of seconds in us); NaN and infinities as null. */
void json_fixed(struct json_writer *w, double v, int decimals);
void json_bool(struct json_writer *w, int v);
void json_null(struct json_writer *w);
/* key + value shorthands */
void json_kv_str(struct json_writer *w, const char *k, const char *v);
void json_kv_u64(struct json_writer *w, const char *k, uint64_t v);
void json_kv_double(struct json_writer *w, const char *k, double v);
void json_kv_fixed(struct json_writer *w, const char *k, double v, int decimals);
void json_kv_bool(struct json_writer *w, const char *k, int v);

/* Flat object parser. Strings are unescaped in place into `line`; every value
 * is returned as text (numbers as written, true/false/null as words). */
enum json_type { JSON_T_STRING, JSON_T_NUMBER, JSON_T_BOOL, JSON_T_NULL };

struct json_field {
	const char *key;
	const char *val;
	enum json_type type;
};

/* Returns the number of fields, or -EINVAL for anything not a flat object,
 * -E2BIG when there are more than `max` fields. */
int json_flat_parse(char *line, struct json_field *fields, int max);
const struct json_field *json_flat_get(const struct json_field *f, int n, const char *key);

#endif
