/* The range-list files cfg/range-psz (frame sizes) and cfg/range-pps (packet
 * rates), and the --sizes / --rates options, which share their grammar:
 *
 *   tokens separated by spaces, tabs, commas or newlines; '#' starts a comment
 *   that runs to the end of the line; a token is a VALUE or an inclusive range
 *   FROM..TO:STEP (e.g. 100k..1M:100k).
 *
 * Read as a stream, one token at a time, in the spirit of wireguard-tools'
 * config.c: every error names origin:line:col, what was expected and the
 * offending token. Values repeated are dropped with a warning. */
#ifndef MP_RANGELIST_H
#define MP_RANGELIST_H

#include <stddef.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

enum rangelist_kind {
	RANGELIST_SIZES, /* frame sizes with FCS, 64..9018 */
	RANGELIST_RATES, /* pps 1..100M or max (UNITS_RATE_MAX) */
	/* goodput: iperf3 write sizes (-l) in bytes, within what iperf3 takes for
	 * TCP (1..1048576) or, when UDP is measured too, for UDP (16..65507) */
	RANGELIST_BUFSZ_TCP,
	RANGELIST_BUFSZ_UDP,
};

/* Parse a list from f into out (which must be zeroed or released). origin
 * names the input in messages ("cfg/range-pps", "--rates"). other_n is the
 * length of the other list of the sweep (0 when not known yet): the product of
 * both may not exceed RUN_MAX_POINTS. Warnings (duplicates) go to diag when it
 * is not NULL. Returns 0, or -EINVAL with one message in err; out is then
 * empty. */
int rangelist_parse(FILE *f, const char *origin, enum rangelist_kind kind, unsigned other_n,
		    struct run_list *out, FILE *diag, char *err, size_t errlen);
/* The same, from a file (origin = path) or from a string (e.g. an option). */
int rangelist_parse_file(const char *path, enum rangelist_kind kind, unsigned other_n,
			 struct run_list *out, FILE *diag, char *err, size_t errlen);
int rangelist_parse_string(const char *text, const char *origin, enum rangelist_kind kind,
			   unsigned other_n, struct run_list *out, FILE *diag, char *err,
			   size_t errlen);

void run_list_release(struct run_list *l);

#endif
