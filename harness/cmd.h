/* mir-perf's commands, one per harness/cmd_NAME.c, dispatched by main.c.
 * Each takes its own argv (argv[0] is the command's name, or the program's
 * for the default `run`) and returns an exit status (MP_EXIT_*, lib/usage.h): 0 done,
 * 1 failure at run time, 2 bad usage or cfg, 3 a regression (compare),
 * 130 interrupted. */
#ifndef MP_CMD_H
#define MP_CMD_H

int run_main(int argc, char **argv);
int compare_main(int argc, char **argv);
int help_main(int argc, char **argv);

#endif
