/* mir-trafgen ctl --connect ENDPOINT --token-file F [--timeout S] COMMAND [options] */
#ifndef MP_TRAFGEN_CTL_H
#define MP_TRAFGEN_CTL_H

int ctl_main(int argc, char **argv);

#endif
