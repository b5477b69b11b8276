/* The column tables' writers, and the sweep point's table; see columns.h. */
#include "harness/output/columns.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness/output/flags.h"
#include "harness/output/results.h"
#include "lib/units.h"

/* ---- the sweep point's columns ---------------------------------------- */

static const struct results_point *pt(const void *row)
{
	return row;
}

/* "max" in the tables for people and in CSV; null (JSON), NaN (points.dat). */
static void get_target(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	if (pt(row)->target_pps != UNITS_RATE_MAX)
		return;
	if (o == COL_TEXT || o == COL_CSV || o == COL_HTML)
		snprintf(v->s, sizeof(v->s), "max");
	else
		v->null = 1;
}

static void get_window(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	v->d = (double)pt(row)->window_ns / 1e9;
}

static void get_loss(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	v->d = results_loss_pct(pt(row));
}

static void get_loss_free(const struct column *c, const void *row, enum col_out o,
			  struct col_val *v)
{
	v->u = (uint64_t)results_loss_free(pt(row));
}

static void get_sink_mbps(const struct column *c, const void *row, enum col_out o,
			  struct col_val *v)
{
	v->d = results_sink_mbps(pt(row));
}

/* Nothing received, no latency: the table and the plot say so; CSV and
 * JSON keep the agent's figures as they came. */
static void get_lat(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	if ((o == COL_TEXT || o == COL_DAT || o == COL_HTML) && !pt(row)->received)
		v->null = 1;
}

static void get_flags(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	flags_tokens(pt(row)->flags, v->s, sizeof(v->s));
}

static void get_note(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	flags_text(pt(row), v->s, sizeof(v->s));
}

static void get_dut_stopped(const struct column *c, const void *row, enum col_out o,
			    struct col_val *v)
{
	if (o == COL_JSON && !(pt(row)->flags & RESULTS_DUT_STOPPED))
		v->null = 1;
}

/* The rate as the list wrote it: "50%", "max" or the number. */
static void get_rate(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	const struct results_point *p = pt(row);
	uint64_t plan = p->plan_rate ? p->plan_rate : p->target_pps;

	if (run_rate_pct(plan))
		snprintf(v->s, sizeof(v->s), "%u%%", run_rate_pct(plan));
	else if (plan == UNITS_RATE_MAX)
		snprintf(v->s, sizeof(v->s), "max");
	else
		snprintf(v->s, sizeof(v->s), "%llu", (unsigned long long)plan);
}

#define PT(m)			COL_FIELD(struct results_point, m)
#define HTML(h)			.html = h
#define TXT(h, w)		.head = h, .width = w
#define ROW(id, nm, un, k, ...) [id] = {.name = nm, .unit = un, .kind = COL_##k, __VA_ARGS__}
#define HOP_PPS(id, nm, h, text, dat, js, html, ...)                                               \
	ROW(id, nm, "pps", REAL, COL_AT(text, id + 1, js, dat, html), COL_DEC(0, 1, 1, 3, 0),      \
	    PT(hop[h].pps), __VA_ARGS__)
#define HOP_CNT(id, nm, h, m, js, key)                                                             \
	ROW(id, nm, "frames", UINT, COL_AT(0, id + 1, js, 0, 0), PT(hop[h].m), .json = key)
#define LAT(id, nm, m, text, js, dat, html, key, ...)                                              \
	ROW(id, nm, "us", REAL, COL_AT(text, id + 1, js, dat, html), COL_DEC(1, 1, 3, 3, 1),       \
	    PT(m), .get = get_lat, .json = key, __VA_ARGS__)

/* Positions: COL_AT(text, csv, json, points.dat, report.html). stats.csv's order is the
 * ids' order (new columns go at the end: readers find them by name, but
 * people's scripts may count); stats.json nests hops and latency. */
static const struct column point_cols[CP_COUNT] = {
    ROW(CP_POINT, "point", "", UINT, COL_AT(0, 1, 1, 0, 1), PT(index), HTML("point")),
    ROW(CP_TRIAL, "trial", "", UINT, COL_AT(0, 2, 2, 0, 0), PT(trial)),
    ROW(CP_SIZE, "size", "B", UINT, COL_AT(1, 3, 3, 1, 2), PT(size), TXT("size", 5),
	HTML("size<br>B")),
    ROW(CP_TARGET_PPS, "target_pps", "pps", UINT, COL_AT(2, 4, 4, 2, 3), COL_DEC(0, 0, 0, 3, 0),
	PT(target_pps), .get = get_target, TXT("target", 10), HTML("target<br>pps")),
    ROW(CP_OFFERED_PPS, "offered_pps", "pps", REAL, COL_AT(3, 5, 5, 3, 4), COL_DEC(0, 1, 1, 3, 0),
	PT(offered_pps), TXT("offered", 10), HTML("offered<br>pps")),
    ROW(CP_WINDOW_S, "window_s", "s", REAL, COL_AT(0, 6, 6, 0, 0), COL_DEC(0, 3, 6, 0, 0),
	.get = get_window),
    ROW(CP_SENT, "sent", "frames", UINT, COL_AT(0, 7, 7, 0, 9), PT(sent), HTML("sent")),
    ROW(CP_SEND_ERRORS, "send_errors", "frames", UINT, COL_AT(0, 8, 8, 0, 0), PT(send_errors)),
    ROW(CP_RECEIVED, "received", "frames", UINT, COL_AT(0, 9, 9, 0, 10), PT(received),
	HTML("received")),
    ROW(CP_LOST, "lost", "frames", UINT, COL_AT(0, 10, 10, 0, 0), PT(lost)),
    ROW(CP_REORDERED, "reordered", "frames", UINT, COL_AT(0, 11, 11, 0, 0), PT(reordered)),
    ROW(CP_DUPLICATED, "duplicated", "frames", UINT, COL_AT(0, 12, 12, 0, 0), PT(duplicated)),
    ROW(CP_SINK_RING_DROPS, "sink_ring_drops", "frames", UINT, COL_AT(0, 13, 13, 0, 0),
	PT(ring_drops)),
    ROW(CP_LOSS_PCT, "loss_pct", "%", REAL, COL_AT(8, 14, 14, 5, 11), COL_DEC(3, 6, 6, 3, 3),
	.get = get_loss, TXT("loss", 8), HTML("loss<br>%")),
    ROW(CP_SINK_MBPS, "sink_mbps", "Mbit/s", REAL, COL_AT(7, 15, 16, 6, 8), COL_DEC(2, 3, 3, 3, 2),
	.get = get_sink_mbps, TXT("sink", 9), HTML("sink<br>Mbit/s")),
    HOP_PPS(CP_GEN_TX_PPS, "gen_tx_pps", HOP_GEN_TX, 0, 0, 17, 0, .json = "hops.gen_tx.pps"),
    HOP_PPS(CP_DUT_IN_PPS, "dut_in_pps", HOP_DUT_IN, 4, 0, 20, 5, .json = "hops.dut_in.pps",
	    TXT("DUT in", 10), HTML("DUT in<br>pps")),
    HOP_PPS(CP_DUT_OUT_PPS, "dut_out_pps", HOP_DUT_OUT, 5, 0, 23, 6, .json = "hops.dut_out.pps",
	    TXT("DUT out", 10), HTML("DUT out<br>pps")),
    HOP_PPS(CP_SINK_RX_PPS, "sink_rx_pps", HOP_SINK_RX, 6, 4, 26, 7, .json = "hops.sink_rx.pps",
	    TXT("sink rx", 10), HTML("sink rx<br>pps")),
    HOP_CNT(CP_GEN_TX_PKTS, "gen_tx_pkts", HOP_GEN_TX, packets, 18, "hops.gen_tx.packets"),
    HOP_CNT(CP_GEN_TX_DROPS, "gen_tx_drops", HOP_GEN_TX, dropped, 19, "hops.gen_tx.dropped"),
    HOP_CNT(CP_DUT_IN_PKTS, "dut_in_pkts", HOP_DUT_IN, packets, 21, "hops.dut_in.packets"),
    HOP_CNT(CP_DUT_IN_DROPS, "dut_in_drops", HOP_DUT_IN, dropped, 22, "hops.dut_in.dropped"),
    HOP_CNT(CP_DUT_OUT_PKTS, "dut_out_pkts", HOP_DUT_OUT, packets, 24, "hops.dut_out.packets"),
    HOP_CNT(CP_DUT_OUT_DROPS, "dut_out_drops", HOP_DUT_OUT, dropped, 25, "hops.dut_out.dropped"),
    HOP_CNT(CP_SINK_RX_PKTS, "sink_rx_pkts", HOP_SINK_RX, packets, 27, "hops.sink_rx.packets"),
    HOP_CNT(CP_SINK_RX_DROPS, "sink_rx_drops", HOP_SINK_RX, dropped, 28, "hops.sink_rx.dropped"),
    LAT(CP_LAT_MIN, "lat_min_us", lat_min_us, 0, 29, 0, 0, "latency_us.min"),
    LAT(CP_LAT_MEAN, "lat_mean_us", lat_mean_us, 0, 30, 0, 0, "latency_us.mean"),
    LAT(CP_LAT_P50, "lat_p50_us", lat_p50_us, 9, 31, 7, 12, "latency_us.p50", TXT("lat p50", 9),
	HTML("lat p50<br>&micro;s")),
    LAT(CP_LAT_P90, "lat_p90_us", lat_p90_us, 0, 32, 8, 0, "latency_us.p90"),
    LAT(CP_LAT_P99, "lat_p99_us", lat_p99_us, 10, 33, 9, 13, "latency_us.p99", TXT("lat p99", 9),
	HTML("lat p99<br>&micro;s")),
    LAT(CP_LAT_P999, "lat_p999_us", lat_p999_us, 0, 34, 10, 14, "latency_us.p999",
	HTML("lat p99.9<br>&micro;s")),
    LAT(CP_LAT_MAX, "lat_max_us", lat_max_us, 0, 35, 0, 0, "latency_us.max"),
    ROW(CP_SETTLED, "settled", "0/1", BOOL, COL_AT(0, 35, 36, 0, 0), PT(settled)),
    ROW(CP_AGENT_OFFERED_PPS, "agent_offered_pps", "pps", REAL, COL_AT(0, 36, 37, 0, 0),
	COL_DEC(0, 1, 1, 0, 0), PT(agent_offered_pps)),
    ROW(CP_FLAGS, "flags", "", TOKENS, COL_AT(0, 37, 39, 0, 0), .get = get_flags),
    ROW(CP_DUT_STOPPED_AFTER, "dut_stopped_after", "frames", UINT, COL_AT(0, 38, 41, 0, 0),
	PT(dut_stopped_after), .get = get_dut_stopped),
    ROW(CP_RATE, "rate", "", STR, COL_AT(0, 39, 0, 0, 0), .get = get_rate),
    ROW(CP_GEN_POINT_PPS, "gen_point_pps", "pps", REAL, COL_AT(0, 40, 38, 0, 0),
	COL_DEC(0, 1, 1, 0, 0), PT(gen_point_pps)),
    ROW(CP_LOSS_FREE, "loss_free", "", BOOL, COL_AT(0, 0, 15, 0, 0), .get = get_loss_free),
    ROW(CP_NOTE, "note", "", STR, COL_AT(0, 0, 40, 0, 15), .get = get_note, HTML("note")),
};

const struct col_table columns_point = {point_cols, CP_COUNT, NULL};

/* ---- every table's writers -------------------------------------------- */

const struct column *columns_find(const struct col_table *t, const char *name)
{
	unsigned i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->col[i].name, name))
			return &t->col[i];
	return NULL;
}

const char *columns_name(const struct col_table *t, unsigned i)
{
	return i < t->n ? t->col[i].name : "?";
}

/* The column at 1-based position pos of output o, or NULL past the last. */
static const struct column *at(const struct col_table *t, enum col_out o, unsigned pos)
{
	unsigned i;

	for (i = 0; i < t->n; i++)
		if (t->col[i].at[o] == pos)
			return &t->col[i];
	return NULL;
}

unsigned columns_count(const struct col_table *t, enum col_out o)
{
	unsigned i, n = 0;

	for (i = 0; i < t->n; i++)
		n += t->col[i].at[o] != 0;
	return n;
}

void columns_value(const struct column *c, const void *row, enum col_out o, struct col_val *v)
{
	const unsigned char *f = (const unsigned char *)row + c->off;

	v->u = 0;
	v->d = 0;
	v->null = v->absent = 0;
	v->s[0] = '\0';
	if (c->kind == COL_REAL && c->size == sizeof(double)) {
		memcpy(&v->d, f, sizeof(v->d));
		if (c->div)
			v->d /= c->div;
	} else if (c->kind == COL_BOOL && c->size == sizeof(int)) {
		int b;

		memcpy(&b, f, sizeof(b));
		v->u = (uint64_t)(int64_t)b;
	} else if (c->size == 1) {
		v->u = *f;
	} else if (c->size == 2) {
		uint16_t x;

		memcpy(&x, f, sizeof(x));
		v->u = x;
	} else if (c->size == 4) {
		uint32_t x;

		memcpy(&x, f, sizeof(x));
		v->u = x;
	} else if (c->size == 8) {
		memcpy(&v->u, f, sizeof(v->u)); /* COL_INT: the same bits, read as int64_t */
	}
	if (c->get)
		c->get(c, row, o, v);
}

/* Appending to a bounded buffer; over stays set once it ran out. */
struct sbuf {
	char *p;
	size_t len, off;
	int over;
};

static void sb_put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->off, b->len - b->off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->len - b->off)
		b->over = 1;
	else
		b->off += (size_t)n;
}

static int sb_end(struct sbuf *b)
{
	if (b->len)
		b->p[b->over ? 0 : b->off] = '\0';
	return b->over ? -EOVERFLOW : (int)b->off;
}

/* A value for people or CSV, right-aligned in width (0: as long as it is). */
static void put_text(struct sbuf *b, const struct col_table *t, const struct column *c,
		     const struct col_val *v, enum col_out o, int width)
{
	if (v->s[0] || c->kind == COL_STR || c->kind == COL_TOKENS)
		sb_put(b, "%*s", width, v->s);
	else if (v->null || (c->kind == COL_REAL && isnan(v->d)))
		sb_put(b, "%*s", width, o == COL_CSV && t->csv_nan ? t->csv_nan : "-");
	else if (c->kind == COL_REAL && c->dec[o] == COL_G)
		sb_put(b, "%*g", width, v->d);
	else if (c->kind == COL_REAL)
		sb_put(b, "%*.*f", width, c->dec[o], v->d);
	else if (c->kind == COL_BOOL)
		sb_put(b, "%*d", width, (int)v->u);
	else if (c->kind == COL_INT)
		sb_put(b, "%*lld", width, (long long)(int64_t)v->u);
	else
		sb_put(b, "%*llu", width, (unsigned long long)v->u);
}

/* gnuplot reads NaN as a gap; an integer with no decimals stays one. */
static void put_dat(struct sbuf *b, const struct column *c, const struct col_val *v)
{
	if (v->null || (c->kind == COL_REAL && isnan(v->d)))
		sb_put(b, "NaN");
	else if (c->kind == COL_REAL)
		sb_put(b, "%.*f", c->dec[COL_DAT], v->d);
	else if (c->kind == COL_INT)
		sb_put(b, "%lld", (long long)(int64_t)v->u);
	else if (c->dec[COL_DAT])
		sb_put(b, "%.*f", c->dec[COL_DAT], (double)v->u);
	else
		sb_put(b, "%llu", (unsigned long long)v->u);
}

/* Text in an HTML document: markup characters escaped. */
static void put_html_text(struct sbuf *b, const char *s)
{
	static const char *const esc[] = {
	    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;"};

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < sizeof(esc) / sizeof(esc[0]) && esc[ch])
			sb_put(b, "%s", esc[ch]);
		else
			sb_put(b, "%c", *s);
	}
}

/* A cell of report.html's table: a text cell escaped, with its column's
 * name as class (the style sheet's handle); a number as in the text table. */
static void put_html(struct sbuf *b, const struct col_table *t, const struct column *c,
		     const struct col_val *v)
{
	if (c->kind == COL_STR || c->kind == COL_TOKENS) {
		sb_put(b, "<td class=\"%s\">", c->name);
		put_html_text(b, v->s);
	} else {
		sb_put(b, "<td>");
		put_text(b, t, c, v, COL_HTML, 0);
	}
	sb_put(b, "</td>");
}

enum line_kind { LINE_HEAD, LINE_UNITS, LINE_ROW };

/* One line of output o into buf: the column names (the text table: heads,
 * then units), or row's values (an HTML row of class cls, when not empty).
 * Every line of every output is made here, so a header and its rows cannot
 * disagree. */
static int put_line(const struct col_table *t, enum col_out o, enum line_kind k, const void *row,
		    const char *cls, char *buf, size_t len)
{
	struct sbuf b = {buf, len, 0, 0};
	const struct column *c;
	struct col_val v;
	unsigned pos;

	if (o == COL_HTML)
		sb_put(&b, "<tr%s%s%s>", cls && *cls ? " class=\"" : "", cls && *cls ? cls : "",
		       cls && *cls ? "\"" : "");
	else if (k != LINE_ROW && o != COL_CSV)
		sb_put(&b, o == COL_DAT ? "# " : "#"); /* a comment, to gnuplot and to people */
	else if (o == COL_TEXT)
		sb_put(&b, " ");
	for (pos = 1; (c = at(t, o, pos)); pos++) {
		if (pos > 1 && o != COL_HTML)
			sb_put(&b, o == COL_CSV ? "," : " ");
		if (k == LINE_ROW)
			columns_value(c, row, o, &v);
		if (k != LINE_ROW && o == COL_TEXT)
			sb_put(&b, "%*s", c->width, k == LINE_UNITS ? c->unit : c->head);
		else if (k != LINE_ROW && o == COL_HTML)
			sb_put(&b, "<th>%s</th>", c->html);
		else if (k != LINE_ROW)
			sb_put(&b, "%s", c->name);
		else if (o == COL_DAT)
			put_dat(&b, c, &v);
		else if (o == COL_HTML)
			put_html(&b, t, c, &v);
		else
			put_text(&b, t, c, &v, o, o == COL_TEXT ? c->width : 0);
	}
	sb_put(&b, o == COL_HTML ? "</tr>\n" : "\n");
	return sb_end(&b);
}

int columns_html_header(const struct col_table *t, char *buf, size_t len)
{
	return put_line(t, COL_HTML, LINE_HEAD, NULL, NULL, buf, len);
}

int columns_html_row(const struct col_table *t, const void *row, const char *tr_class, char *buf,
		     size_t len)
{
	return put_line(t, COL_HTML, LINE_ROW, row, tr_class, buf, len);
}

int columns_csv_header(const struct col_table *t, char *buf, size_t len)
{
	return put_line(t, COL_CSV, LINE_HEAD, NULL, NULL, buf, len);
}

int columns_csv_row(const struct col_table *t, const void *row, char *buf, size_t len)
{
	return put_line(t, COL_CSV, LINE_ROW, row, NULL, buf, len);
}

int columns_text_header(const struct col_table *t, char *buf, size_t len)
{
	int n = put_line(t, COL_TEXT, LINE_HEAD, NULL, NULL, buf, len), m;

	if (n < 0)
		return n;
	m = put_line(t, COL_TEXT, LINE_UNITS, NULL, NULL, buf + n, len - (size_t)n);
	if (m < 0)
		buf[0] = '\0';
	return m < 0 ? m : n + m;
}

int columns_text_row(const struct col_table *t, const void *row, char *buf, size_t len)
{
	return put_line(t, COL_TEXT, LINE_ROW, row, NULL, buf, len);
}

int columns_dat_header(const struct col_table *t, char *buf, size_t len)
{
	return put_line(t, COL_DAT, LINE_HEAD, NULL, NULL, buf, len);
}

int columns_dat_row(const struct col_table *t, const void *row, char *buf, size_t len)
{
	return put_line(t, COL_DAT, LINE_ROW, row, NULL, buf, len);
}

int columns_dat_empty(const struct col_table *t, uint64_t first, char *buf, size_t len)
{
	struct sbuf b = {buf, len, 0, 0};
	unsigned pos, n = columns_count(t, COL_DAT);

	sb_put(&b, "%llu", (unsigned long long)first);
	for (pos = 2; pos <= n; pos++)
		sb_put(&b, " NaN");
	sb_put(&b, "\n");
	return sb_end(&b);
}

static void json_value(struct json_writer *w, const struct column *c, const struct col_val *v)
{
	char tok[sizeof(v->s)], *p, *save = NULL;

	if (v->null) {
		json_null(w);
		return;
	}
	switch (c->kind) {
	case COL_UINT:
		json_u64(w, v->u);
		break;
	case COL_INT:
		json_i64(w, (int64_t)v->u);
		break;
	case COL_REAL:
		if (c->dec[COL_JSON] == COL_G)
			json_double(w, v->d);
		else
			json_fixed(w, v->d, c->dec[COL_JSON]);
		break;
	case COL_BOOL:
		json_bool(w, v->u != 0);
		break;
	case COL_STR:
		json_str(w, v->s);
		break;
	case COL_TOKENS:
		json_arr_begin(w);
		snprintf(tok, sizeof(tok), "%s", v->s);
		for (p = strtok_r(tok, "|", &save); p; p = strtok_r(NULL, "|", &save))
			json_str(w, p);
		json_arr_end(w);
		break;
	}
}

#define COL_JSON_DEPTH 4
#define COL_JSON_KEY   64

/* The row's object: keys "a.b.c" open (and later close) the objects a and b. */
void columns_json(const struct col_table *t, const void *row, struct json_writer *w)
{
	char open[COL_JSON_DEPTH][COL_JSON_KEY], key[COL_JSON_KEY * COL_JSON_DEPTH];
	const struct column *c;
	unsigned pos, depth = 0, n, keep, k;
	char *part[COL_JSON_DEPTH + 1], *save;
	struct col_val v;

	json_obj_begin(w);
	for (pos = 1; (c = at(t, COL_JSON, pos)); pos++) {
		columns_value(c, row, COL_JSON, &v);
		if (v.absent)
			continue;
		snprintf(key, sizeof(key), "%s", c->json ? c->json : c->name);
		n = 0;
		for (part[n] = strtok_r(key, ".", &save); part[n] && n < COL_JSON_DEPTH;)
			part[++n] = strtok_r(NULL, ".", &save);
		/* n parts: n - 1 objects around the key */
		for (keep = 0; keep < depth && keep + 1 < n && !strcmp(open[keep], part[keep]);)
			keep++;
		for (; depth > keep; depth--)
			json_obj_end(w);
		for (k = depth; k + 1 < n; k++) {
			json_key(w, part[k]);
			json_obj_begin(w);
			snprintf(open[k], sizeof(open[k]), "%s", part[k]);
		}
		depth = n ? n - 1 : 0;
		json_key(w, n ? part[n - 1] : c->name);
		json_value(w, c, &v);
	}
	for (; depth; depth--)
		json_obj_end(w);
	json_obj_end(w);
}
