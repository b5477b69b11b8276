/* mir-monitor's commands, one per monitor/cmd_NAME.c, dispatched by the
 * table in monitor/main.c. Each takes its own argv (argv[0] is the
 * command's name, or the program's for the default `watch`) and returns an
 * exit status (MP_EXIT_*, lib/usage.h): 0 done, 1 failed or an interface
 * vanished, 2 bad input. */
#ifndef MP_MONITOR_CMD_H
#define MP_MONITOR_CMD_H

#include <stdio.h>

int watch_main(int argc, char **argv);
int help_main(int argc, char **argv);

/* watch's usage (the default command's), the start of --help. */
void watch_usage(FILE *f);

#endif
