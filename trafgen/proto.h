/* The agent protocol's messages (see agent_client.h): parameters and
 * reports as fields of one flat JSON object, shared by the agent, its client
 * library and the CLI's --json output so the key names are the same
 * everywhere (listed in doc/mir-trafgen.1, JSON KEYS). */
#ifndef MP_TRAFGEN_PROTO_H
#define MP_TRAFGEN_PROTO_H

#include <stddef.h>

#include "lib/json.h"
#include "trafgen/agent_client.h"

#define PROTO_VERSION	 1
#define PROTO_LINE_MAX	 4096
#define PROTO_MAX_FIELDS 48
#define PROTO_TOKEN_MAX	 256

/* Defaults of every optional generator parameter (addresses in
 * 198.18.0.0/15, locally administered MACs). */
void proto_tx_defaults(struct tg_tx_params *p);
void proto_rx_defaults(struct tg_rx_params *p);

/* Write the parameters as key/value pairs into an open object. */
void proto_tx_params_write(struct json_writer *w, const struct tg_tx_params *p);
void proto_rx_params_write(struct json_writer *w, const struct tg_rx_params *p);
/* Read parameters (starting from the defaults); keys in `skip` (NULL
 * terminated) are ignored. On error returns -EINVAL and writes into err
 * which key was wrong and what was expected. */
int proto_tx_params_read(const struct json_field *f, int n, const char *const *skip,
			 struct tg_tx_params *p, char *err, size_t errlen);
int proto_rx_params_read(const struct json_field *f, int n, const char *const *skip,
			 struct tg_rx_params *p, char *err, size_t errlen);

/* Reports as key/value pairs, every key prefixed (e.g. "tx_" in agent
 * replies, "" in the CLI's --json). */
void proto_tx_report_write(struct json_writer *w, const char *prefix, const struct tg_tx_report *r);
void proto_rx_report_write(struct json_writer *w, const char *prefix, const struct tg_rx_report *r);
/* -EPROTO when a key is missing or not a number. */
int proto_tx_report_read(const struct json_field *f, int n, const char *prefix,
			 struct tg_tx_report *r);
int proto_rx_report_read(const struct json_field *f, int n, const char *prefix,
			 struct tg_rx_report *r);

#endif
