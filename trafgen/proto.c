#include "trafgen/proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/units.h"
#include "trafgen/frame.h"

void proto_tx_defaults(struct tg_tx_params *p)
{
	static const uint8_t src[6] = {0x02, 0x6d, 0x70, 0x00, 0x00, 0x01};
	static const uint8_t dst[6] = {0x02, 0x6d, 0x70, 0x00, 0x00, 0x02};

	memset(p, 0, sizeof(*p));
	p->size = 64;
	p->rate = UNITS_RATE_MAX;
	memcpy(p->src_mac, src, 6);
	memcpy(p->dst_mac, dst, 6);
	p->src_ip = 0xc6120001u; /* 198.18.0.1 */
	p->dst_ip = 0xc6130001u; /* 198.19.0.1 */
	p->sport = 1024;
	p->dport = 9; /* discard */
	p->flows = 1;
	p->stream = 1;
	p->cpu = -1;
	p->threads = 1;
}

void proto_rx_defaults(struct tg_rx_params *p)
{
	memset(p, 0, sizeof(*p));
	p->stream = TG_STREAM_ANY;
}

void proto_tx_params_write(struct json_writer *w, const struct tg_tx_params *p)
{
	char buf[32];

	json_kv_str(w, "dev", p->dev);
	json_kv_u64(w, "size", p->size);
	if (p->rate == UNITS_RATE_MAX)
		json_kv_str(w, "rate", "max");
	else
		json_kv_u64(w, "rate", p->rate);
	json_kv_u64(w, "duration_ns", p->duration_ns);
	json_kv_u64(w, "count", p->count);
	frame_fmt_mac(buf, sizeof(buf), p->src_mac);
	json_kv_str(w, "src_mac", buf);
	frame_fmt_mac(buf, sizeof(buf), p->dst_mac);
	json_kv_str(w, "dst_mac", buf);
	frame_fmt_ip(buf, sizeof(buf), p->src_ip);
	json_kv_str(w, "src_ip", buf);
	frame_fmt_ip(buf, sizeof(buf), p->dst_ip);
	json_kv_str(w, "dst_ip", buf);
	json_kv_u64(w, "sport", p->sport);
	json_kv_u64(w, "dport", p->dport);
	json_kv_u64(w, "flows", p->flows);
	json_kv_u64(w, "stream", p->stream);
	json_key(w, "cpu");
	json_i64(w, p->cpu);
	json_kv_u64(w, "threads", p->threads ? p->threads : 1);
	/* auto, the default, is left out: an agent of before the key reads the rest */
	if (p->backend != TG_BACKEND_AUTO)
		json_kv_str(w, "backend", proto_backend_name(p->backend));
}

const char *proto_backend_name(uint32_t b)
{
	switch (b) {
	case TG_BACKEND_PACKET:
		return "af_packet";
	case TG_BACKEND_XDP:
		return "af_xdp";
	default:
		return "auto";
	}
}

int proto_backend_parse(const char *s, uint32_t *b)
{
	if (!strcmp(s, "auto"))
		*b = TG_BACKEND_AUTO;
	else if (!strcmp(s, "af_packet"))
		*b = TG_BACKEND_PACKET;
	else if (!strcmp(s, "af_xdp"))
		*b = TG_BACKEND_XDP;
	else
		return -EINVAL;
	return 0;
}

void proto_rx_params_write(struct json_writer *w, const struct tg_rx_params *p)
{
	json_kv_str(w, "dev", p->dev);
	if (p->stream == TG_STREAM_ANY)
		json_kv_str(w, "stream", "any");
	else
		json_kv_u64(w, "stream", p->stream);
	json_kv_u64(w, "duration_ns", p->duration_ns);
	json_kv_u64(w, "count", p->count);
	/* auto, the default, is left out: an agent of before the key reads the rest */
	if (p->backend != TG_BACKEND_AUTO)
		json_kv_str(w, "backend", proto_backend_name(p->backend));
}

static int in_list(const char *key, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(key, *list))
			return 1;
	return 0;
}

#define BAD(...)                                                                                   \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return -EINVAL;                                                                    \
	} while (0)

static int want_uint(const struct json_field *x, uint64_t max, uint64_t *v)
{
	return x->type == JSON_T_NUMBER && !units_parse_uint(x->val, 0, max, v) ? 0 : -EINVAL;
}

static int proto_dev(const struct json_field *x, char *dev, char *err, size_t errlen)
{
	if (x->type != JSON_T_STRING || !*x->val || strlen(x->val) >= IFNAMSIZ)
		BAD("\"dev\": expected an interface name of 1..%d characters", IFNAMSIZ - 1);
	strcpy(dev, x->val);
	return 0;
}

static int proto_tx_field(const struct json_field *x, struct tg_tx_params *p, char *err,
			  size_t errlen)
{
	const char *k = x->key;
	uint64_t v;

	if (!strcmp(k, "dev"))
		return proto_dev(x, p->dev, err, errlen);
	if (!strcmp(k, "size")) {
		if (want_uint(x, UNITS_FRAME_MAX, &v) || v < UNITS_FRAME_MIN)
			BAD("\"size\": expected a frame size in bytes, %u..%u", UNITS_FRAME_MIN,
			    UNITS_FRAME_MAX);
		p->size = (uint32_t)v;
	} else if (!strcmp(k, "rate")) {
		if (x->type == JSON_T_STRING && !strcmp(x->val, "max"))
			p->rate = UNITS_RATE_MAX;
		else if (want_uint(x, UNITS_RATE_LIMIT, &v) || v < UNITS_RATE_MIN)
			BAD("\"rate\": expected packets per second, 1..%llu, or \"max\"",
			    (unsigned long long)UNITS_RATE_LIMIT);
		else
			p->rate = v;
	} else if (!strcmp(k, "duration_ns") || !strcmp(k, "count")) {
		if (want_uint(x, UINT64_MAX, &v))
			BAD("\"%s\": expected a whole number", k);
		*(k[0] == 'd' ? &p->duration_ns : &p->count) = v;
	} else if (!strcmp(k, "src_mac") || !strcmp(k, "dst_mac")) {
		if (x->type != JSON_T_STRING ||
		    frame_parse_mac(x->val, k[0] == 's' ? p->src_mac : p->dst_mac))
			BAD("\"%s\": expected a MAC address like 02:00:00:00:00:01", k);
	} else if (!strcmp(k, "src_ip") || !strcmp(k, "dst_ip")) {
		if (x->type != JSON_T_STRING ||
		    frame_parse_ip(x->val, k[0] == 's' ? &p->src_ip : &p->dst_ip))
			BAD("\"%s\": expected an IPv4 address in 198.18.0.0/15", k);
	} else if (!strcmp(k, "sport") || !strcmp(k, "dport")) {
		if (want_uint(x, 65535, &v))
			BAD("\"%s\": expected a UDP port, 0..65535", k);
		*(k[0] == 's' ? &p->sport : &p->dport) = (uint16_t)v;
	} else if (!strcmp(k, "flows")) {
		if (want_uint(x, 65536, &v) || v < 1)
			BAD("\"flows\": expected 1..65536");
		p->flows = (uint32_t)v;
	} else if (!strcmp(k, "stream")) {
		if (want_uint(x, UINT32_MAX - 1, &v))
			BAD("\"stream\": expected 0..%u", UINT32_MAX - 1);
		p->stream = (uint32_t)v;
	} else if (!strcmp(k, "threads")) {
		if (want_uint(x, 8, &v) || v < 1)
			BAD("\"threads\": expected 1..8");
		p->threads = (uint32_t)v;
	} else if (!strcmp(k, "backend")) {
		if (x->type != JSON_T_STRING || proto_backend_parse(x->val, &p->backend))
			BAD("\"backend\": expected auto, af_packet or af_xdp");
	} else if (!strcmp(k, "cpu")) {
		if (x->type == JSON_T_NUMBER && !strcmp(x->val, "-1"))
			p->cpu = -1;
		else if (want_uint(x, 1023, &v))
			BAD("\"cpu\": expected a CPU number or -1");
		else
			p->cpu = (int)v;
	} else {
		BAD("unknown key \"%.64s\"", k);
	}
	return 0;
}

int proto_tx_params_read(const struct json_field *f, int n, const char *const *skip,
			 struct tg_tx_params *p, char *err, size_t errlen)
{
	int i, rc;

	proto_tx_defaults(p);
	for (i = 0; i < n; i++) {
		if (in_list(f[i].key, skip))
			continue;
		rc = proto_tx_field(&f[i], p, err, errlen);
		if (rc)
			return rc;
	}
	if (!p->dev[0])
		BAD("\"dev\": missing");
	if ((uint32_t)p->sport + p->flows - 1 > 65535)
		BAD("\"flows\": sport + flows - 1 must stay <= 65535");
	if ((p->rate != UINT64_MAX && p->rate < p->threads) || (p->count && p->count < p->threads))
		BAD("\"threads\": rate and count must be at least the number of threads");
	return 0;
}

int proto_rx_params_read(const struct json_field *f, int n, const char *const *skip,
			 struct tg_rx_params *p, char *err, size_t errlen)
{
	uint64_t v;
	int i, rc;

	proto_rx_defaults(p);
	for (i = 0; i < n; i++) {
		const struct json_field *x = &f[i];

		if (in_list(x->key, skip))
			continue;
		if (!strcmp(x->key, "dev")) {
			rc = proto_dev(x, p->dev, err, errlen);
			if (rc)
				return rc;
		} else if (!strcmp(x->key, "stream")) {
			if (x->type == JSON_T_STRING && !strcmp(x->val, "any"))
				p->stream = TG_STREAM_ANY;
			else if (want_uint(x, UINT32_MAX - 1, &v))
				BAD("\"stream\": expected 0..%u or \"any\"", UINT32_MAX - 1);
			else
				p->stream = (uint32_t)v;
		} else if (!strcmp(x->key, "duration_ns") || !strcmp(x->key, "count")) {
			if (want_uint(x, UINT64_MAX, &v))
				BAD("\"%s\": expected a whole number", x->key);
			*(x->key[0] == 'd' ? &p->duration_ns : &p->count) = v;
		} else if (!strcmp(x->key, "backend")) {
			if (x->type != JSON_T_STRING || proto_backend_parse(x->val, &p->backend))
				BAD("\"backend\": expected auto, af_packet or af_xdp");
		} else {
			BAD("unknown key \"%.64s\"", x->key);
		}
	}
	if (!p->dev[0])
		BAD("\"dev\": missing");
	return 0;
}

static void kv_u64(struct json_writer *w, const char *prefix, const char *k, uint64_t v)
{
	char key[64];

	snprintf(key, sizeof(key), "%s%s", prefix, k);
	json_kv_u64(w, key, v);
}

static void kv_double(struct json_writer *w, const char *prefix, const char *k, double v)
{
	char key[64];

	snprintf(key, sizeof(key), "%s%s", prefix, k);
	json_kv_double(w, key, v);
}

static void kv_bool(struct json_writer *w, const char *prefix, const char *k, int v)
{
	char key[64];

	snprintf(key, sizeof(key), "%s%s", prefix, k);
	json_kv_bool(w, key, v);
}

void proto_tx_report_write(struct json_writer *w, const char *prefix, const struct tg_tx_report *r)
{
	kv_bool(w, prefix, "running", r->running);
	if (r->target_pps == UNITS_RATE_MAX) {
		char key[64];

		snprintf(key, sizeof(key), "%starget_pps", prefix);
		json_kv_str(w, key, "max");
	} else {
		kv_u64(w, prefix, "target_pps", r->target_pps);
	}
	kv_u64(w, prefix, "sent", r->sent);
	kv_u64(w, prefix, "bytes", r->bytes);
	kv_u64(w, prefix, "send_errors", r->send_errors);
	kv_u64(w, prefix, "enobufs", r->enobufs);
	kv_u64(w, prefix, "elapsed_ns", r->elapsed_ns);
	kv_double(w, prefix, "pps", r->pps);
	kv_double(w, prefix, "l2_bps", r->l2_bps);
	kv_double(w, prefix, "l1_bps", r->l1_bps);
	{
		char key[64];

		snprintf(key, sizeof(key), "%sbackend", prefix);
		json_kv_str(w, key, proto_backend_name(r->backend ? r->backend : TG_BACKEND_PACKET));
	}
}

void proto_rx_report_write(struct json_writer *w, const char *prefix, const struct tg_rx_report *r)
{
	kv_bool(w, prefix, "running", r->running);
	kv_u64(w, prefix, "received", r->received);
	kv_u64(w, prefix, "bytes", r->bytes);
	kv_u64(w, prefix, "lost", r->lost);
	kv_u64(w, prefix, "reordered", r->reordered);
	kv_u64(w, prefix, "duplicated", r->duplicated);
	kv_u64(w, prefix, "foreign", r->foreign);
	kv_u64(w, prefix, "ring_drops", r->ring_drops);
	kv_u64(w, prefix, "elapsed_ns", r->elapsed_ns);
	kv_double(w, prefix, "pps", r->pps);
	kv_u64(w, prefix, "lat_min_ns", r->lat_min_ns);
	kv_double(w, prefix, "lat_mean_ns", r->lat_mean_ns);
	kv_u64(w, prefix, "lat_max_ns", r->lat_max_ns);
	kv_u64(w, prefix, "lat_p50_ns", r->lat_p50_ns);
	kv_u64(w, prefix, "lat_p90_ns", r->lat_p90_ns);
	kv_u64(w, prefix, "lat_p99_ns", r->lat_p99_ns);
	kv_u64(w, prefix, "lat_p999_ns", r->lat_p999_ns);
	{
		char key[64];

		snprintf(key, sizeof(key), "%sbackend", prefix);
		json_kv_str(w, key, proto_backend_name(r->backend ? r->backend : TG_BACKEND_PACKET));
	}
}

static const struct json_field *get(const struct json_field *f, int n, const char *prefix,
				    const char *k)
{
	char key[64];

	snprintf(key, sizeof(key), "%s%s", prefix, k);
	return json_flat_get(f, n, key);
}

static int rd_u64(const struct json_field *f, int n, const char *prefix, const char *k, uint64_t *v)
{
	const struct json_field *x = get(f, n, prefix, k);

	if (!x || x->type != JSON_T_NUMBER || units_parse_uint(x->val, 0, UINT64_MAX, v))
		return -EPROTO;
	return 0;
}

static int rd_double(const struct json_field *f, int n, const char *prefix, const char *k,
		     double *v)
{
	const struct json_field *x = get(f, n, prefix, k);
	char *end;

	if (x && x->type == JSON_T_NULL) {
		*v = 0.0;
		return 0;
	}
	if (!x || x->type != JSON_T_NUMBER)
		return -EPROTO;
	*v = strtod(x->val, &end);
	return *end ? -EPROTO : 0;
}

static int rd_bool(const struct json_field *f, int n, const char *prefix, const char *k, int *v)
{
	const struct json_field *x = get(f, n, prefix, k);

	if (!x || x->type != JSON_T_BOOL)
		return -EPROTO;
	*v = x->val[0] == 't';
	return 0;
}

int proto_tx_report_read(const struct json_field *f, int n, const char *prefix,
			 struct tg_tx_report *r)
{
	const struct json_field *t = get(f, n, prefix, "target_pps");
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (t && t->type == JSON_T_STRING && !strcmp(t->val, "max"))
		r->target_pps = UNITS_RATE_MAX;
	else
		rc |= rd_u64(f, n, prefix, "target_pps", &r->target_pps);
	rc |= rd_bool(f, n, prefix, "running", &r->running);
	rc |= rd_u64(f, n, prefix, "sent", &r->sent);
	rc |= rd_u64(f, n, prefix, "bytes", &r->bytes);
	rc |= rd_u64(f, n, prefix, "send_errors", &r->send_errors);
	rc |= rd_u64(f, n, prefix, "enobufs", &r->enobufs);
	rc |= rd_u64(f, n, prefix, "elapsed_ns", &r->elapsed_ns);
	rc |= rd_double(f, n, prefix, "pps", &r->pps);
	rc |= rd_double(f, n, prefix, "l2_bps", &r->l2_bps);
	rc |= rd_double(f, n, prefix, "l1_bps", &r->l1_bps);
	/* optional: an agent of before the key sent with AF_PACKET */
	t = get(f, n, prefix, "backend");
	r->backend = TG_BACKEND_PACKET;
	if (t && (t->type != JSON_T_STRING || proto_backend_parse(t->val, &r->backend) ||
		  r->backend == TG_BACKEND_AUTO))
		rc = -1;
	return rc ? -EPROTO : 0;
}

int proto_rx_report_read(const struct json_field *f, int n, const char *prefix,
			 struct tg_rx_report *r)
{
	const struct json_field *t;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	rc |= rd_bool(f, n, prefix, "running", &r->running);
	rc |= rd_u64(f, n, prefix, "received", &r->received);
	rc |= rd_u64(f, n, prefix, "bytes", &r->bytes);
	rc |= rd_u64(f, n, prefix, "lost", &r->lost);
	rc |= rd_u64(f, n, prefix, "reordered", &r->reordered);
	rc |= rd_u64(f, n, prefix, "duplicated", &r->duplicated);
	rc |= rd_u64(f, n, prefix, "foreign", &r->foreign);
	rc |= rd_u64(f, n, prefix, "ring_drops", &r->ring_drops);
	rc |= rd_u64(f, n, prefix, "elapsed_ns", &r->elapsed_ns);
	rc |= rd_double(f, n, prefix, "pps", &r->pps);
	rc |= rd_u64(f, n, prefix, "lat_min_ns", &r->lat_min_ns);
	rc |= rd_double(f, n, prefix, "lat_mean_ns", &r->lat_mean_ns);
	rc |= rd_u64(f, n, prefix, "lat_max_ns", &r->lat_max_ns);
	rc |= rd_u64(f, n, prefix, "lat_p50_ns", &r->lat_p50_ns);
	rc |= rd_u64(f, n, prefix, "lat_p90_ns", &r->lat_p90_ns);
	rc |= rd_u64(f, n, prefix, "lat_p99_ns", &r->lat_p99_ns);
	rc |= rd_u64(f, n, prefix, "lat_p999_ns", &r->lat_p999_ns);
	/* optional: an agent of before the key received with the ring */
	t = get(f, n, prefix, "backend");
	r->backend = TG_BACKEND_PACKET;
	if (t && (t->type != JSON_T_STRING || proto_backend_parse(t->val, &r->backend) ||
		  r->backend == TG_BACKEND_AUTO))
		rc = -1;
	return rc ? -EPROTO : 0;
}
