/* mir-trafgen rr server: accepts TCP connections on ip:port and answers each
 * as rr_wire.h says (a thread per connection: a transaction is a blocking read
 * of Q bytes and a write of R), until SIGINT or SIGTERM. */
#ifndef MP_TRAFGEN_RR_SERVER_H
#define MP_TRAFGEN_RR_SERVER_H

#include <stdint.h>

/* ip in host byte order. 0 after a stop signal; a negative errno after
 * saying why (the socket could not be opened, bound or listened on). */
int rr_server_run(uint32_t ip, uint16_t port);

#endif
