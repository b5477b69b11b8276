/* What mir-trafgen prints: an aligned human summary on stdout, or with
 * --json one object whose keys are listed in doc/mir-trafgen.1 (JSON KEYS),
 * and the text of an engine's start error. */
#ifndef MP_TRAFGEN_REPORT_H
#define MP_TRAFGEN_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "trafgen/agent_client.h"
#include "trafgen/fwd.h"
#include "trafgen/rx.h"

void report_tx_human(FILE *f, const struct tg_tx_params *p, const struct tg_tx_report *r);
void report_tx_json(FILE *f, const struct tg_tx_params *p, const struct tg_tx_report *r);
void report_rx_human(FILE *f, const struct tg_rx_report *r, const struct rx_stream_report *s,
		     int n);
void report_rx_json(FILE *f, const struct tg_rx_params *p, const struct tg_rx_report *r,
		    const struct rx_stream_report *s, int n);
void report_fwd_human(FILE *f, const struct fwd_params *p, const struct fwd_dir_report *r, int n);
void report_fwd_json(FILE *f, const struct fwd_params *p, const struct fwd_dir_report *r, int n);
/* "1.23 ms", "850 ns", "12.4 us" */
void report_fmt_ns(char *buf, size_t len, double ns);
/* What a negative errno from tx/rx/fwd start means for device dev. */
void report_engine_error(char *buf, size_t len, int rc, const char *dev);

#endif
