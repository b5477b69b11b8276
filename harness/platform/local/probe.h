/* Probe frames: UDP frames sent from one link of a namespace and looked for
 * on another (the generator's eth0 -> DUT -> eth1), to tell whether a DUT
 * forwards, before any measurement. Raw AF_PACKET sockets made inside the
 * namespace; frames carry a random per-probe nonce, so stray frames are
 * never counted. Addresses: 198.18.0.1 -> 198.19.0.1, UDP 9 (discard). */
#ifndef MP_PROBE_H
#define MP_PROBE_H

#include <stdint.h>

struct probe;

int probe_open(const char *netns, const char *tx_dev, const char *rx_dev, const uint8_t src_mac[6],
	       const uint8_t dst_mac[6], struct probe **out);
/* The same with each device in a namespace of its own (the goodput mode's
 * split topology, probed both ways). */
int probe_open_split(const char *tx_netns, const char *tx_dev, const char *rx_netns,
		     const char *rx_dev, const uint8_t src_mac[6], const uint8_t dst_mac[6],
		     struct probe **out);
void probe_close(struct probe *p);
/* Send count frames of size bytes (with FCS, 64..9018) gap_ns apart, then
 * wait up to wait_ns for the last ones; *received counts distinct probe
 * frames seen on rx_dev. */
int probe_run(struct probe *p, unsigned count, unsigned size, uint64_t gap_ns, uint64_t wait_ns,
	      unsigned *received);

#endif
