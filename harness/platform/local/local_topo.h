/* The local platform's topology, the shape of the Xen one (see platform.h):
 *
 *   mp-ID-gen (generator, sink)    mp-ID (the local dom0)          the DUT
 *   eth0 ---- veth ---- gen0 -[if1]- tap0 ---------------- port 0
 *   eth1 ---- veth ---- gen1 -[if2]- tap1 ---------------- port 1
 *
 * The DUT's ports are either veth pairs whose other ends are tap0/tap1 in a
 * DUT namespace mp-ID-dut (TOPO_VETH: `fwd`, and `bridge` where a bridge br0
 * there joins them), or persistent TAP devices tap0/tap1 in mp-ID that a
 * program opens by name (TOPO_TAP: `tap-fwd`, `exec:`). Bridges have STP and
 * br_netfilter calls off; IPv6 is off in every namespace so nothing but the
 * measured frames crosses the path. Links are made inside the namespaces
 * (veth peers are created straight into theirs), so nothing ever appears in
 * the root namespace and deleting the namespaces removes every link.
 *
 * Split (the goodput mode): eth1 lives in a namespace of its own, mp-ID-srv,
 * so that a client on eth0 (198.18.0.1/15, in mp-ID-gen) reaches a server on
 * eth1 (198.19.0.1/15) through the DUT and not over the loopback.
 *
 * Every namespace and link is recorded in the run's state file before it is
 * made. Functions log what failed with the kernel's words and return 0 or a
 * negative errno. */
#ifndef MP_LOCAL_TOPO_H
#define MP_LOCAL_TOPO_H

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>

#include "harness/config/run_cfg.h"

struct local_topo;
struct run_state;

enum topo_ports { TOPO_VETH, TOPO_TAP };
enum topo_ns { TOPO_NS_HARNESS, TOPO_NS_GEN, TOPO_NS_DUT, TOPO_NS_SRV };

/* Addresses of the split topology, host byte order, prefix /15. */
#define TOPO_CLIENT_IP 0xc6120001U /* 198.18.0.1 on eth0 */
#define TOPO_SERVER_IP 0xc6130001U /* 198.19.0.1 on eth1 */

/* MTU every link gets at first. */
#define TOPO_MTU_DEFAULT 1500U

/* The core the bridge DUT's receive processing gets (RPS on its veths): the
 * last one the process may use; -1 with fewer than 2, or when they are not
 * cores 0..n-1. local_topo_dut_core: the one it got (-1: none, RPS failed or
 * no bridge DUT). */
int local_topo_dut_cpu(void);
int local_topo_dut_core(const struct local_topo *t);

/* queues: TX/RX queues of every veth (one per generator thread; 0 = the
 * kernel's default of 1). */
int local_topo_create(struct run_state *st, enum topo_ports ports, int dut_bridge, int split,
		      unsigned queues, struct local_topo **out);
/* TOPO_TAP: give tap0 and tap1 to uid/gid, so a DUT running as that user
 * attaches to them without root. 0 or a negative errno (reported). */
int local_topo_tap_owner(struct local_topo *t, uid_t uid, gid_t gid);
/* Remove the namespaces (and with them every link); processes running in
 * them must be stopped first. Releases the records. */
void local_topo_destroy(struct local_topo *t);

/* Namespace name, "" for TOPO_NS_DUT when there is none. TOPO_NS_SRV is
 * eth1's namespace: mp-ID-srv when split, else the generator's. */
const char *local_topo_netns(const struct local_topo *t, enum topo_ns which);
void local_topo_gen_macs(const struct local_topo *t, uint8_t eth0[6], uint8_t eth1[6]);

/* MTU on every link of the path (both ends of each veth, TAPs, bridges), after
 * checking each link's maximum; -EMSGSIZE when one cannot, why saying which
 * (not logged: the caller knows the frame size asked for). */
int local_topo_set_mtu(struct local_topo *t, unsigned mtu, char *why, unsigned len);
/* 1 when the DUT's ports tap0 and tap1 are up with carrier (a TAP: a program
 * attached to it), 0 if not yet; *why says which is not. */
int local_topo_ports_up(struct local_topo *t, char *why, unsigned len);

#endif
