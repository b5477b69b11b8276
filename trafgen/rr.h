/* mir-trafgen rr: TCP request/response (netperf's TCP_RR) between two
 * namespaces, for mir-perf's --mode rr. `rr server` answers (rr_server.h),
 * `rr client` measures transactions per second and their latency
 * (rr_client.h) and prints them, as JSON with --json (what the harness reads:
 * rr_json()). */
#ifndef MP_TRAFGEN_RR_H
#define MP_TRAFGEN_RR_H

#include <stdio.h>

#include "trafgen/rr_client.h"

/* argv[0] = "rr": the subcommand's entry; an exit status. */
int rr_main(int argc, char **argv);

/* The client's result as one JSON document on one line. */
void rr_json(FILE *f, const struct rr_client_opts *o, const struct rr_client_result *r);

#endif
