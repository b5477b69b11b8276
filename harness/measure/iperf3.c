/* iperf3's command lines and its -J document; see iperf3.h. */
#include "harness/measure/iperf3.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/json.h"

int iperf3_bufsz_check(int udp, uint64_t bufsz)
{
	if (udp)
		return bufsz >= IPERF3_UDP_MIN && bufsz <= IPERF3_UDP_MAX ? 0 : -EINVAL;
	return bufsz >= IPERF3_TCP_MIN && bufsz <= IPERF3_TCP_MAX ? 0 : -EINVAL;
}

/* Append one argument; numbers go into buf. */
struct argv_b {
	char **argv;
	unsigned n;
	char *buf;
	size_t len, used;
	int rc;
};

static void arg(struct argv_b *b, const char *s)
{
	b->argv[b->n++] = (char *)s;
	b->argv[b->n] = NULL;
}

static void argf(struct argv_b *b, unsigned long long v)
{
	int w = snprintf(b->buf + b->used, b->len - b->used, "%llu", v);

	if (w < 0 || (size_t)w >= b->len - b->used) {
		b->rc = -ENOSPC;
		return;
	}
	arg(b, b->buf + b->used);
	b->used += (size_t)w + 1;
}

int iperf3_client_argv(const struct iperf3_client_args *a, char **argv, char *buf, size_t len)
{
	struct argv_b b = {argv, 0, buf, len, 0, 0};

	arg(&b, "iperf3");
	arg(&b, "-c");
	arg(&b, a->server_ip);
	arg(&b, "-p");
	argf(&b, a->port);
	arg(&b, "-J");
	/* The receiver's own figures (per interval, UDP loss) come back with it. */
	arg(&b, "--get-server-output");
	arg(&b, "-t");
	argf(&b, a->seconds);
	arg(&b, "-O");
	argf(&b, a->omit);
	arg(&b, "-i");
	arg(&b, "1");
	arg(&b, "-l");
	argf(&b, a->bufsz);
	arg(&b, "-P");
	argf(&b, a->streams);
	/* A DUT that does not forward must fail the point, not hang it. */
	arg(&b, "--connect-timeout");
	arg(&b, "5000");
	if (a->udp) {
		arg(&b, "-u");
		arg(&b, "-b");
		argf(&b, (unsigned long long)a->bitrate_bps);
	}
	return b.rc;
}

int iperf3_server_argv(const char *ip, unsigned port, char **argv, char *buf, size_t len)
{
	struct argv_b b = {argv, 0, buf, len, 0, 0};

	arg(&b, "iperf3");
	arg(&b, "-s");
	arg(&b, "-J");
	arg(&b, "-B");
	arg(&b, ip);
	arg(&b, "-p");
	argf(&b, port);
	arg(&b, "-i");
	arg(&b, "1");
	return b.rc;
}

struct parse {
	const struct json_val *root;
	char *err;
	size_t errlen;
	int rc;
};

/* A number the document must have; the first one missing is the error. */
static double need(struct parse *p, const char *path)
{
	double v = 0;
	int rc;

	if (p->rc)
		return 0;
	rc = json_path_num(p->root, path, &v);
	if (rc) {
		snprintf(p->err, p->errlen, "iperf3's JSON has %s %s", rc == -ENOENT ? "no" : "a non-number",
			 path);
		p->rc = -EINVAL;
		return 0;
	}
	return v;
}

static uint64_t need_u64(struct parse *p, const char *path)
{
	double v = need(p, path);

	return v > 0 && v < 1.8e19 ? (uint64_t)llround(v) : 0;
}

/* The intervals' sum.bits_per_second, leaving out the omitted warm-up. */
static void interval_stats(const struct json_val *intervals, struct iperf3_stats *s)
{
	const struct json_val *i;
	double sum = 0, sq = 0;

	memset(s, 0, sizeof(*s));
	if (!intervals || intervals->kind != JSON_K_ARR)
		return;
	for (i = intervals->child; i; i = i->next) {
		const struct json_val *om = json_path(i, "sum.omitted");
		double v;

		if (om && om->kind == JSON_K_BOOL && om->num)
			continue;
		if (json_path_num(i, "sum.bits_per_second", &v))
			continue;
		if (!s->n || v < s->min)
			s->min = v;
		if (!s->n || v > s->max)
			s->max = v;
		sum += v;
		sq += v * v;
		s->n++;
	}
	if (!s->n)
		return;
	s->mean = sum / s->n;
	s->stddev = s->n > 1 ? sqrt(fmax(0, (sq - sum * sum / s->n) / (s->n - 1))) : 0;
}

int iperf3_parse(char *text, struct iperf3_result *r, char *err, size_t errlen)
{
	struct json_val *root = NULL;
	const struct json_val *e, *proto, *srv;
	struct parse p = {NULL, err, errlen, 0};
	char why[160];
	int rc;

	memset(r, 0, sizeof(*r));
	/* The document starts on a line of its own with '{'; anything before it
	 * is iperf3's stderr. */
	if (text[0] != '{') {
		char *doc = strstr(text, "\n{");

		snprintf(r->warning, sizeof(r->warning), "%.*s", (int)strcspn(text, "\n"), text);
		if (doc)
			text = doc + 1;
	}
	rc = json_tree_parse(text, &root, why, sizeof(why));
	if (rc) {
		if (rc == -EINVAL)
			snprintf(err, errlen, "iperf3's output is not JSON (%s)", why);
		return rc;
	}
	p.root = root;
	e = json_member(root, "error");
	if (e) {
		snprintf(err, errlen, "iperf3: %s", e->kind == JSON_K_STR ? e->str : "an error");
		p.rc = -EPROTO;
		goto out;
	}
	proto = json_path(root, "start.test_start.protocol");
	if (!proto || proto->kind != JSON_K_STR ||
	    (strcmp(proto->str, "TCP") && strcmp(proto->str, "UDP"))) {
		snprintf(err, errlen, "iperf3's JSON has no start.test_start.protocol TCP or UDP");
		p.rc = -EINVAL;
		goto out;
	}
	r->udp = !strcmp(proto->str, "UDP");
	r->streams = (unsigned)need_u64(&p, "start.test_start.num_streams");
	r->blksize = (unsigned)need_u64(&p, "start.test_start.blksize");
	r->bytes_sent = need_u64(&p, "end.sum_sent.bytes");
	r->sent_bps = need(&p, "end.sum_sent.bits_per_second");
	r->bytes_received = need_u64(&p, "end.sum_received.bytes");
	r->goodput_bps = need(&p, "end.sum_received.bits_per_second");
	r->seconds = need(&p, "end.sum_received.seconds");
	r->cpu_client_pct = need(&p, "end.cpu_utilization_percent.host_total");
	r->cpu_server_pct = need(&p, "end.cpu_utilization_percent.remote_total");
	if (r->udp) {
		r->packets = need_u64(&p, "end.sum_received.packets");
		r->lost_packets = need_u64(&p, "end.sum_received.lost_packets");
		r->lost_pct = need(&p, "end.sum_received.lost_percent");
		r->jitter_ms = need(&p, "end.sum_received.jitter_ms");
	} else {
		r->retransmits = need_u64(&p, "end.sum_sent.retransmits");
	}
	if (p.rc)
		goto out;
	/* The receiver's intervals when the server sent them, else the sender's. */
	srv = json_member(root, "server_output_json");
	interval_stats(json_member(srv ? srv : root, "intervals"), &r->interval);
	if (!r->interval.n && srv)
		interval_stats(json_member(root, "intervals"), &r->interval);
out:
	json_tree_free(root);
	return p.rc;
}
