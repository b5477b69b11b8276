/* Output columns: one table per kind of row (a sweep's point, a goodput
 * point, ...) says, once per column, its name, unit, kind, where it is read
 * from, and at which position each output carries it:
 *   COL_TEXT  stats, the aligned table for people (head, width, unit line)
 *   COL_CSV   stats.csv / goodput.csv: the header and every row
 *   COL_JSON  the point objects of stats.json / goodput.json ("a.b.c" keys
 *             nest: "hops.gen_tx.pps")
 *   COL_DAT   plots/points.dat, gnuplot's columns
 *   COL_HTML  report.html's table of points (numbers as in the text table;
 *             a text cell is escaped and has its column's name as class)
 * Every writer walks the table; readers (compare, the report, the trials
 * summary) name a column by its table and id (csvread.h's csv_col_of), so
 * a name is spelled once. The tables: columns_point here (stats, stats.csv,
 * stats.json, points.dat, report.html), goodput_columns (goodput_out.c),
 * search_trial_columns and search_columns (search_cols.c), rr_columns
 * (rr_out.c).
 *
 * A new mode (say rr) adds its table in a few lines, as goodput_out.c does:
 *   enum { RR_SIZE, RR_LAT_P50, RR_COUNT };
 *   static const struct column rr_cols[RR_COUNT] = {
 *       [RR_SIZE] = {.name = "size", .unit = "B", .kind = COL_UINT,
 *                    COL_AT(0, 1, 1, 0, 0), COL_FIELD(struct rr_row, size)},
 *       [RR_LAT_P50] = {.name = "lat_p50_us", .unit = "us", .kind = COL_REAL,
 *                       COL_AT(0, 2, 2, 0, 0), COL_DEC(0, 1, 3, 0, 0),
 *                       COL_FIELD(struct rr_row, p50)},
 *   };
 *   const struct col_table rr_columns = {rr_cols, RR_COUNT, NULL};
 * then columns_csv_header/_row and columns_json in its writer, csv_col_of
 * in its readers, and its table in test_columns.c's list (which checks the
 * names and positions of every table). A mode whose CSV and JSON carry
 * every column in id order (goodput, rr) spells them with COL_MODE and its
 * hops with COL_MODE_HOP, and writes them through table_out.h. */
#ifndef MP_COLUMNS_H
#define MP_COLUMNS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/json.h"

enum col_out { COL_TEXT, COL_CSV, COL_JSON, COL_DAT, COL_HTML, COL_OUTS };

enum col_kind {
	COL_UINT,   /* an unsigned field of 1, 2, 4 or 8 bytes */
	COL_INT,    /* a signed field of 8 bytes (-1: "unknown", as it came) */
	COL_REAL,   /* a double; NaN is "not measured": "-" in text and CSV, null, NaN */
	COL_BOOL,   /* an int: CSV as it is (0/1), JSON true/false */
	COL_STR,    /* text made by the column's get */
	COL_TOKENS, /* '|'-joined words (get): as they are in CSV, an array in JSON */
};

/* One value of one row, as an output wants it (columns' get may make it
 * differ by output: "max" in CSV where JSON has null). */
struct col_val {
	uint64_t u;
	double d;
	int null;    /* no value: "-" (text), null (JSON), NaN (points.dat) */
	int absent;  /* JSON: no key at all for this row (a TCP row's UDP loss) */
	char s[512]; /* COL_STR, COL_TOKENS; or, when set, the text of any kind (text, CSV) */
};

struct column;
typedef void (*col_get_fn)(const struct column *c, const void *row, enum col_out out,
			   struct col_val *v);

struct column {
	const char *name; /* CSV header and points.dat: what readers look up */
	const char *unit; /* "pps", "frames", "s", ...; the text table's unit line */
	enum col_kind kind;
	unsigned char at[COL_OUTS];  /* 1-based position in each output; 0 = not there */
	unsigned char dec[COL_OUTS]; /* decimals of a number in each output */
	const char *json;	     /* the JSON key when not name ("hops.gen_tx.pps") */
	const char *head;	     /* text: the column's header */
	const char *html;	     /* report.html: the header cell's HTML */
	unsigned char width;	     /* text: right-aligned in this many characters */
	size_t off;		     /* the field in the row ... */
	unsigned char size;	     /* ... and its size (0: get makes the value) */
	double div;		     /* a double field is shown divided by this (0 = 1) */
	col_get_fn get;		     /* NULL: the field as it is */
};

struct col_table {
	const struct column *col;
	unsigned n;
	/* CSV's text for "not measured"; NULL: "-" (as the text table) */
	const char *csv_nan;
};

/* dec[] of a number shown with %g (6 significant digits; JSON: %.6g) */
#define COL_G 255

/* Rows of a table over struct T: the plain field m, or what get makes of it. */
#define COL_FIELD(T, m)			    .off = offsetof(T, m), .size = sizeof(((T *)0)->m)
#define COL_AT(text, csv, json, dat, html)  .at = {text, csv, json, dat, html}
#define COL_DEC(text, csv, json, dat, html) .dec = {text, csv, json, dat, html}

/* A column of a mode's table (goodput_out.c, rr_out.c), whose CSV and JSON
 * points carry every column in id order: column id at position id + 1 of
 * both, dec decimals in both; the rest (COL_FIELD, .get, .json, .div) as
 * given. */
#define COL_MODE(id, nm, un, k, dec, ...)                                                          \
	[id] = {.name = nm,                                                                        \
		.unit = un,                                                                        \
		.kind = COL_##k,                                                                   \
		COL_AT(0, id + 1, id + 1, 0, 0),                                                   \
		COL_DEC(0, dec, dec, 0, 0),                                                        \
		__VA_ARGS__}
/* Its four columns of hop h (ids first + 4 * h ...), the counters of T's
 * hop[h] both ways: hn_packets, hn_bytes, hn_back_packets, hn_back_bytes,
 * in JSON hops.hn.packets and so on. */
#define COL_MODE_HOP(T, first, h, hn) COL_MODE_HOP_GET(T, first, h, hn, NULL)
/* The same with a get on each of the four (a hop a row may not have). */
#define COL_MODE_HOP_GET(T, first, h, hn, g)                                                       \
	COL_MODE(first + 4 * h, hn "_packets", "packets", UINT, 0, COL_FIELD(T, hop[h].packets),   \
		 .json = "hops." hn ".packets", .get = g),                                         \
	    COL_MODE(first + 4 * h + 1, hn "_bytes", "B", UINT, 0, COL_FIELD(T, hop[h].bytes),     \
		     .json = "hops." hn ".bytes", .get = g),                                       \
	    COL_MODE(first + 4 * h + 2, hn "_back_packets", "packets", UINT, 0,                    \
		     COL_FIELD(T, hop[h].back_packets), .json = "hops." hn ".back_packets",        \
		     .get = g),                                                                    \
	    COL_MODE(first + 4 * h + 3, hn "_back_bytes", "B", UINT, 0,                            \
		     COL_FIELD(T, hop[h].back_bytes), .json = "hops." hn ".back_bytes", .get = g)

/* The sweep's point (struct results_point): stats, stats.csv, stats.json,
 * points.dat. */
extern const struct col_table columns_point;
/* Its columns, in stats.csv's order: an index into columns_point.col (the
 * table is initialised by these, so the two cannot drift apart). Readers
 * name a column by its id: columns_name(&columns_point, CP_SINK_RX_PPS). */
enum col_point_id {
	CP_POINT,
	CP_TRIAL,
	CP_SIZE,
	CP_TARGET_PPS,
	CP_OFFERED_PPS,
	CP_WINDOW_S,
	CP_SENT,
	CP_SEND_ERRORS,
	CP_RECEIVED,
	CP_LOST,
	CP_REORDERED,
	CP_DUPLICATED,
	CP_SINK_RING_DROPS,
	CP_LOSS_PCT,
	CP_SINK_MBPS,
	CP_GEN_TX_PPS,
	CP_DUT_IN_PPS,
	CP_DUT_OUT_PPS,
	CP_SINK_RX_PPS,
	CP_GEN_TX_PKTS,
	CP_GEN_TX_DROPS,
	CP_DUT_IN_PKTS,
	CP_DUT_IN_DROPS,
	CP_DUT_OUT_PKTS,
	CP_DUT_OUT_DROPS,
	CP_SINK_RX_PKTS,
	CP_SINK_RX_DROPS,
	CP_LAT_MIN,
	CP_LAT_MEAN,
	CP_LAT_P50,
	CP_LAT_P90,
	CP_LAT_P99,
	CP_LAT_P999,
	CP_LAT_MAX,
	CP_SETTLED,
	CP_AGENT_OFFERED_PPS,
	CP_FLAGS,
	CP_DUT_STOPPED_AFTER,
	CP_RATE,
	CP_GEN_POINT_PPS,
	/* stats.json only */
	CP_LOSS_FREE,
	CP_NOTE,
	CP_COUNT
};

/* The column called name, or NULL. */
const struct column *columns_find(const struct col_table *t, const char *name);
/* The name of column i of t (for readers: compare, the trials summary). */
const char *columns_name(const struct col_table *t, unsigned i);
/* How many columns output o carries. */
unsigned columns_count(const struct col_table *t, enum col_out o);
/* The value of column c of row as output o wants it. */
void columns_value(const struct column *c, const void *row, enum col_out o, struct col_val *v);

/* Into buf (NUL-terminated, each line ends in '\n'): the length, or
 * -EOVERFLOW when buf is too small. */
int columns_csv_header(const struct col_table *t, char *buf, size_t len);
int columns_csv_row(const struct col_table *t, const void *row, char *buf, size_t len);
/* The text table: two header lines "#..." (heads, units), or one row " ...". */
int columns_text_header(const struct col_table *t, char *buf, size_t len);
int columns_text_row(const struct col_table *t, const void *row, char *buf, size_t len);
/* points.dat: "# name name ...", a row, or a row of the first column's value
 * and NaN for the rest (a block gnuplot must see even when empty). */
int columns_dat_header(const struct col_table *t, char *buf, size_t len);
int columns_dat_row(const struct col_table *t, const void *row, char *buf, size_t len);
int columns_dat_empty(const struct col_table *t, uint64_t first, char *buf, size_t len);
/* report.html's table: the header row, or a row (<tr class="tr_class">
 * when tr_class is not empty). */
int columns_html_header(const struct col_table *t, char *buf, size_t len);
int columns_html_row(const struct col_table *t, const void *row, const char *tr_class, char *buf,
		     size_t len);
/* One JSON object of the row. */
void columns_json(const struct col_table *t, const void *row, struct json_writer *w);

#endif
