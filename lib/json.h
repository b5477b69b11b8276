/* A small streaming JSON writer (stats.json, --json output, the agent's
 * replies), a parser for the flat one-line objects of the agent's control
 * protocol: {"key": "string" | number | true | false | null, ...}, and a tree
 * parser for whole documents of other programs (iperf3 -J). */
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

/* Tree parser: any JSON document, objects and arrays nested up to
 * JSON_TREE_MAX_DEPTH. Strings are unescaped in place into `text`, which must
 * outlive the tree (\uXXXX only below 0x80, as the flat parser). */
#define JSON_TREE_MAX_DEPTH 64
enum json_kind { JSON_K_NULL, JSON_K_BOOL, JSON_K_NUM, JSON_K_STR, JSON_K_ARR, JSON_K_OBJ };
struct json_val {
	enum json_kind kind;
	const char *key;	/* member name inside an object, else NULL */
	const char *str;	/* JSON_K_STR */
	double num;		/* JSON_K_NUM; JSON_K_BOOL: 0 or 1 */
	unsigned n;		/* JSON_K_ARR / JSON_K_OBJ: number of children */
	struct json_val *child; /* first element or member */
	struct json_val *next;	/* next sibling */
};
/* 0, or -EINVAL with err saying at which byte offset what was expected
 * ("offset 12: expected ':' after a member name"); -ENOMEM. */
int json_tree_parse(char *text, struct json_val **root, char *err, size_t errlen);
void json_tree_free(struct json_val *v);
/* The member of an object (NULL when v is not an object or has none). */
const struct json_val *json_member(const struct json_val *v, const char *key);
/* Members by a dotted path ("end.sum_received.bytes"); NULL when absent. */
const struct json_val *json_path(const struct json_val *v, const char *path);
/* A number by dotted path: 0, -ENOENT when absent, -EINVAL when not a number. */
int json_path_num(const struct json_val *v, const char *path, double *out);

#endif
