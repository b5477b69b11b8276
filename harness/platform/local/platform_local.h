/* Knobs of the local platform beyond platform.h, for the test driver: where
 * mir-trafgen is (default: next to /proc/self/exe) and whether to start the
 * generator agent (topology tests without it). */
#ifndef MP_PLATFORM_LOCAL_H
#define MP_PLATFORM_LOCAL_H

void platform_local_set_bindir(const char *dir);
void platform_local_set_agent(int start_agent);

#endif
