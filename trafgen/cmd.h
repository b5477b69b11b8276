/* mir-trafgen's commands, one per trafgen/cmd_NAME.c, dispatched by the
 * table in trafgen/main.c. Each takes its own argv (argv[0] is the
 * command's name) and goes one way: argv -> its parse -> one params struct
 * (proto.h, fwd.h) -> the engine -> the report. Each returns an exit status
 * (MP_EXIT_*, lib/usage.h): 0 done, 1 failure at run time, 2 bad usage or
 * a device that is not there. */
#ifndef MP_TRAFGEN_CMD_H
#define MP_TRAFGEN_CMD_H

#include "trafgen/proto.h"

int tx_main(int argc, char **argv);
int rx_main(int argc, char **argv);
int fwd_main(int argc, char **argv);
int agent_main(int argc, char **argv);
int ctl_main(int argc, char **argv);
int help_main(int argc, char **argv);

/* The options of tx and rx into their params, shared with `ctl tx-start`
 * and `ctl rx-start`: argv[1..] after a reset of getopt. 0, or the usage
 * error was printed and MP_EXIT_USAGE returned. Devices are not checked
 * here: for ctl they live in the agent's namespace. */
int tx_parse(int argc, char **argv, struct tg_tx_params *p, int *json);
int rx_parse(int argc, char **argv, struct tg_rx_params *p, int *json);

#endif
