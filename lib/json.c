#include "lib/json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void json_init(struct json_writer *w, FILE *f, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->pretty = pretty;
}

static void json_indent(struct json_writer *w)
{
	int i;

	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Called before every value and key: separators and indentation. */
static void json_pre_value(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->need_comma[w->depth])
			fputc(',', w->f);
		w->need_comma[w->depth] = 1;
		json_indent(w);
	}
}

static void json_open(struct json_writer *w, char c)
{
	json_pre_value(w);
	fputc(c, w->f);
	if (w->depth < JSON_MAX_DEPTH - 1)
		w->depth++;
	w->need_comma[w->depth] = 0;
}

static void json_close(struct json_writer *w, char c)
{
	int had = w->need_comma[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had)
		json_indent(w);
	fputc(c, w->f);
	if (w->depth == 0 && w->pretty)
		fputc('\n', w->f);
}

void json_obj_begin(struct json_writer *w)
{
	json_open(w, '{');
}

void json_obj_end(struct json_writer *w)
{
	json_close(w, '}');
}

void json_arr_begin(struct json_writer *w)
{
	json_open(w, '[');
}

void json_arr_end(struct json_writer *w)
{
	json_close(w, ']');
}

static void json_write_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void json_key(struct json_writer *w, const char *key)
{
	json_pre_value(w);
	json_write_string(w->f, key);
	fputs(w->pretty ? ": " : ":", w->f);
	w->after_key = 1;
}

void json_str(struct json_writer *w, const char *s)
{
	json_pre_value(w);
	json_write_string(w->f, s);
}

void json_u64(struct json_writer *w, uint64_t v)
{
	json_pre_value(w);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

void json_i64(struct json_writer *w, int64_t v)
{
	json_pre_value(w);
	fprintf(w->f, "%lld", (long long)v);
}

void json_double(struct json_writer *w, double v)
{
	json_pre_value(w);
	if (isfinite(v))
		fprintf(w->f, "%.6g", v);
	else
		fputs("null", w->f);
}

void json_fixed(struct json_writer *w, double v, int decimals)
{
	json_pre_value(w);
	if (isfinite(v))
		fprintf(w->f, "%.*f", decimals, v);
	else
		fputs("null", w->f);
}

void json_bool(struct json_writer *w, int v)
{
	json_pre_value(w);
	fputs(v ? "true" : "false", w->f);
}

void json_null(struct json_writer *w)
{
	json_pre_value(w);
	fputs("null", w->f);
}

void json_kv_str(struct json_writer *w, const char *k, const char *v)
{
	json_key(w, k);
	json_str(w, v);
}

void json_kv_u64(struct json_writer *w, const char *k, uint64_t v)
{
	json_key(w, k);
	json_u64(w, v);
}

void json_kv_double(struct json_writer *w, const char *k, double v)
{
	json_key(w, k);
	json_double(w, v);
}

void json_kv_fixed(struct json_writer *w, const char *k, double v, int decimals)
{
	json_key(w, k);
	json_fixed(w, v, decimals);
}

void json_kv_bool(struct json_writer *w, const char *k, int v)
{
	json_key(w, k);
	json_bool(w, v);
}

static char *json_skip_ws(char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* Unescape a string starting after its opening quote, in place. Returns a
 * pointer past the closing quote, or NULL. Only \uXXXX below 0x80 is accepted. */
static char *json_parse_string(char *p, char **out)
{
	char *d = p;

	*out = p;
	for (;;) {
		unsigned char c = (unsigned char)*p++;

		if (c == '"')
			break;
		if (c == '\0' || c < 0x20)
			return NULL;
		if (c == '\\') {
			c = (unsigned char)*p++;
			switch (c) {
			case '"':
			case '\\':
			case '/':
				break;
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'u': {
				unsigned v = 0;
				int i;

				for (i = 0; i < 4; i++) {
					char h = *p++;

					v <<= 4;
					if (h >= '0' && h <= '9')
						v |= (unsigned)(h - '0');
					else if (h >= 'a' && h <= 'f')
						v |= (unsigned)(h - 'a' + 10);
					else if (h >= 'A' && h <= 'F')
						v |= (unsigned)(h - 'A' + 10);
					else
						return NULL;
				}
				if (v == 0 || v >= 0x80)
					return NULL;
				c = (unsigned char)v;
				break;
			}
			default:
				return NULL;
			}
		}
		*d++ = (char)c;
	}
	*d = '\0';
	return p;
}

static char *json_parse_scalar(char *p, struct json_field *f)
{
	char *start = p;

	if (*p == '"') {
		char *s;

		p = json_parse_string(p + 1, &s);
		f->val = s;
		f->type = JSON_T_STRING;
		return p;
	}
	if (!strncmp(p, "true", 4) || !strncmp(p, "false", 5) || !strncmp(p, "null", 4)) {
		f->type = *p == 'n' ? JSON_T_NULL : JSON_T_BOOL;
		p += *p == 'f' ? 5 : 4;
	} else {
		if (*p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		while ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' || *p == 'E' ||
		       *p == '+' || *p == '-')
			p++;
		f->type = JSON_T_NUMBER;
	}
	f->val = start;
	return p;
}

int json_flat_parse(char *line, struct json_field *fields, int max)
{
	char *p = json_skip_ws(line);
	int n = 0;

	if (*p++ != '{')
		return -EINVAL;
	p = json_skip_ws(p);
	if (*p == '}')
		return *json_skip_ws(p + 1) ? -EINVAL : 0;
	for (;;) {
		struct json_field f;
		char *key, *end;
		char sep;

		if (*p++ != '"')
			return -EINVAL;
		p = json_parse_string(p, &key);
		if (!p)
			return -EINVAL;
		p = json_skip_ws(p);
		if (*p++ != ':')
			return -EINVAL;
		p = json_skip_ws(p);
		f.key = key;
		end = json_parse_scalar(p, &f);
		if (!end)
			return -EINVAL;
		p = json_skip_ws(end);
		sep = *p;
		/* Terminate unquoted scalars; strings were terminated in place. */
		if (f.type != JSON_T_STRING)
			*end = '\0';
		if (n >= max)
			return -E2BIG;
		fields[n++] = f;
		if (sep == ',') {
			p = json_skip_ws(p + 1);
			continue;
		}
		if (sep != '}')
			return -EINVAL;
		return *json_skip_ws(p + 1) ? -EINVAL : n;
	}
}

const struct json_field *json_flat_get(const struct json_field *f, int n, const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].key, key))
			return &f[i];
	return NULL;
}

/* The tree parser: recursive descent over text, one allocation per value. */
struct json_tp {
	char *base;
	char *err;
	size_t errlen;
};

static int json_tp_fail(struct json_tp *t, const char *at, const char *what)
{
	if (t->errlen)
		snprintf(t->err, t->errlen, "offset %td: expected %s", at - t->base, what);
	return -EINVAL;
}

static int json_tp_value(struct json_tp *t, char **pp, int depth, struct json_val *v);

/* The elements of an array or the members of an object, after its '['/'{'. */
static int json_tp_children(struct json_tp *t, char **pp, int depth, struct json_val *v, int obj)
{
	struct json_val **tail = &v->child;
	char close = obj ? '}' : ']';
	char *p = json_skip_ws(*pp);
	int rc;

	if (*p == close) {
		*pp = p + 1;
		return 0;
	}
	for (;;) {
		struct json_val *c = calloc(1, sizeof(*c));
		char *key = NULL;

		if (!c)
			return -ENOMEM;
		*tail = c;
		tail = &c->next;
		v->n++;
		if (obj) {
			if (*p != '"')
				return json_tp_fail(t, p, "a member name in double quotes");
			p = json_parse_string(p + 1, &key);
			if (!p)
				return json_tp_fail(t, key, "a valid string");
			c->key = key;
			p = json_skip_ws(p);
			if (*p != ':')
				return json_tp_fail(t, p, "':' after a member name");
			p = json_skip_ws(p + 1);
		}
		rc = json_tp_value(t, &p, depth + 1, c);
		if (rc)
			return rc;
		p = json_skip_ws(p);
		if (*p == close) {
			*pp = p + 1;
			return 0;
		}
		if (*p != ',')
			return json_tp_fail(t, p, obj ? "',' or '}'" : "',' or ']'");
		p = json_skip_ws(p + 1);
	}
}

static int json_tp_value(struct json_tp *t, char **pp, int depth, struct json_val *v)
{
	char *p = json_skip_ws(*pp), *end, *s;

	if (depth > JSON_TREE_MAX_DEPTH)
		return json_tp_fail(t, p, "at most 64 levels of nesting");
	switch (*p) {
	case '{':
	case '[':
		v->kind = *p == '{' ? JSON_K_OBJ : JSON_K_ARR;
		*pp = p + 1;
		return json_tp_children(t, pp, depth, v, v->kind == JSON_K_OBJ);
	case '"':
		end = json_parse_string(p + 1, &s);
		if (!end)
			return json_tp_fail(t, p, "a valid string");
		v->kind = JSON_K_STR;
		v->str = s;
		*pp = end;
		return 0;
	case 't':
	case 'f':
	case 'n': {
		static const char *const words[] = {"true", "false", "null"};
		unsigned i;

		for (i = 0; i < 3; i++)
			if (!strncmp(p, words[i], strlen(words[i]))) {
				v->kind = i == 2 ? JSON_K_NULL : JSON_K_BOOL;
				v->num = i == 0;
				*pp = p + strlen(words[i]);
				return 0;
			}
		return json_tp_fail(t, p, "true, false or null");
	}
	default:
		/* strtod alone would also take inf, nan and hex */
		if (!((*p >= '0' && *p <= '9') || (*p == '-' && p[1] >= '0' && p[1] <= '9')) ||
		    strpbrk(p, "xX") == p + 1 + (*p == '-'))
			return json_tp_fail(t, p, "a value");
		v->num = strtod(p, &end);
		if (end == p)
			return json_tp_fail(t, p, "a number");
		v->kind = JSON_K_NUM;
		*pp = end;
		return 0;
	}
}

int json_tree_parse(char *text, struct json_val **root, char *err, size_t errlen)
{
	struct json_tp t = {text, err, errlen};
	struct json_val *v;
	char *p = text;
	int rc;

	*root = NULL;
	if (errlen)
		err[0] = '\0';
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	rc = json_tp_value(&t, &p, 0, v);
	if (!rc && *json_skip_ws(p))
		rc = json_tp_fail(&t, json_skip_ws(p), "the end of the document");
	if (rc) {
		json_tree_free(v);
		return rc;
	}
	*root = v;
	return 0;
}

void json_tree_free(struct json_val *v)
{
	while (v) {
		struct json_val *next = v->next;

		json_tree_free(v->child);
		free(v);
		v = next;
	}
}

const struct json_val *json_member(const struct json_val *v, const char *key)
{
	const struct json_val *c;

	if (!v || v->kind != JSON_K_OBJ)
		return NULL;
	for (c = v->child; c; c = c->next)
		if (!strcmp(c->key, key))
			return c;
	return NULL;
}

const struct json_val *json_path(const struct json_val *v, const char *path)
{
	char part[128];

	while (v && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		v = json_member(v, part);
		path += n + (path[n] == '.');
	}
	return v;
}

int json_path_num(const struct json_val *v, const char *path, double *out)
{
	const struct json_val *m = json_path(v, path);

	if (!m)
		return -ENOENT;
	if (m->kind != JSON_K_NUM)
		return -EINVAL;
	*out = m->num;
	return 0;
}
