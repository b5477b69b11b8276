# trafgen/: bin/mir-trafgen (tx, rx, fwd, agent, ctl), its static twin for the Xen
# traff-gen initramfs (links only libmp, libc and pthread: no libnl, no
# libpcap), and libtgclient.a, the agent client the harness links
# (contract: trafgen/agent_client.h; link it before $(LIBMP)).
TG_CLIENT_SRCS := trafgen/agent_client.c trafgen/proto.c trafgen/endpoint.c trafgen/frame.c
# The AF_XDP backend (trafgen/xsk.h): xsk.c with libxdp in the dynamic
# mir-trafgen, linked before libtrafgen.a so its symbols win over xsk_none.c
# (in the archive: the static binary and the unit tests, without AF_XDP).
# The command line: main.c (the command table) and one trafgen/cmd_NAME.c per
# command, linked as objects, outside the library the unit tests link.
TG_CMD_SRCS := trafgen/main.c $(wildcard trafgen/cmd_*.c)
TG_SRCS := $(filter-out $(TG_CMD_SRCS) trafgen/xsk.c trafgen/xsk_fwd.c trafgen/xsk_rx.c trafgen/xsk_stamp.c $(TG_CLIENT_SRCS),$(wildcard trafgen/*.c))
XDP_CFLAGS := $(call pc,--cflags,libxdp libbpf)
XDP_LIBS   := $(call pc,--libs,libxdp libbpf)
TG_XSK_OBJ := $(if $(XDP_LIBS),$(B)/trafgen/xsk.o $(B)/trafgen/xsk_fwd.o $(B)/trafgen/xsk_rx.o $(B)/trafgen/xsk_stamp.o)
$(B)/trafgen/xsk.o $(B)/trafgen/xsk_fwd.o $(B)/trafgen/xsk_rx.o $(B)/trafgen/xsk_stamp.o: CPPFLAGS += $(XDP_CFLAGS)
LIBTGCLIENT := $(B)/libtgclient.a
LIBTRAFGEN := $(B)/libtrafgen.a
$(LIBTGCLIENT): $(call objs,$(TG_CLIENT_SRCS))
$(LIBTRAFGEN): $(call objs,$(TG_SRCS))

$(BIN)/mir-trafgen: $(call objs,$(TG_CMD_SRCS)) $(TG_XSK_OBJ) $(LIBTRAFGEN) $(LIBTGCLIENT) $(LIBMP)
	$(call link,-lm $(XDP_LIBS))
$(BIN)/mir-trafgen.static: $(call objs,$(TG_CMD_SRCS)) $(LIBTRAFGEN) $(LIBTGCLIENT) $(LIBMP)
	$(call link,$(LDSTATIC) -lm)
# Both are built and installed: mir-perf packs the static one into the Xen
# traff-gen initramfs.
BINS += $(BIN)/mir-trafgen $(BIN)/mir-trafgen.static
.PHONY: trafgen-static bench-trafgen bench-fwd
trafgen-static: $(BIN)/mir-trafgen.static

bench-trafgen: $(BIN)/mir-trafgen
	@MP_BIN=$(abspath $(BIN)) tools/bench-trafgen.sh
BENCH += bench-trafgen

bench-fwd: $(BIN)/mir-trafgen
	@MP_BIN=$(abspath $(BIN)) tools/bench-fwd.sh
BENCH += bench-fwd

$(call unit_test,test_trafgen_frame,$(LIBTGCLIENT) $(LIBMP),-lm,)
$(call unit_test,test_trafgen_pacer,$(LIBTRAFGEN) $(LIBMP),-lm,mtime_now_ns mtime_sleep_until)
$(call unit_test,test_trafgen_stats,$(LIBTRAFGEN) $(LIBMP),-lm,)
$(call unit_test,test_trafgen_delay,$(LIBTRAFGEN) $(LIBMP),-lm -lpthread,)
$(call unit_test,test_trafgen_proto,$(LIBTRAFGEN) $(LIBTGCLIENT) $(LIBMP),-lm,)
$(call unit_test,test_trafgen_fwd_xsk,$(LIBTRAFGEN) $(LIBTGCLIENT) $(LIBMP),-lm,xsk_fwd_open xsk_fwd_close xsk_fwd_mode xsk_fwd_recv xsk_fwd_send xsk_fwd_recycle xsk_fwd_kick xsk_fwd_wait xsk_fwd_drops pkt_ifindex ring_rx_open ring_tx_open ring_close ring_fd ring_rx_peek ring_rx_drops poll)
$(call unit_test,test_trafgen_rx_xsk,$(LIBTRAFGEN) $(LIBTGCLIENT) $(LIBMP),-lm -lpthread,xsk_rx_open xsk_rx_close xsk_rx_queues xsk_rx_mode xsk_rx_recv xsk_rx_release xsk_rx_wait xsk_rx_drops pkt_ifindex pkt_rx_open pkt_rx_wait pkt_rx_next pkt_rx_release pkt_rx_drops pkt_rx_close)
$(call unit_test,test_trafgen_fwd,$(LIBTRAFGEN) $(LIBMP),-lm,pkt_ifindex pkt_sock_rx_open pkt_tx_open pkt_fd_drops recvmmsg sendmmsg poll)

# A hostile client of the agent (idle, garbage, half a hello), for
# tests/integration/security_agent.sh.
SOCK_HOSTILE := $(B)/tests/tools/sock_hostile
$(SOCK_HOSTILE): $(B)/tests/tools/sock_hostile.o
	$(call link,)
build-tests: $(SOCK_HOSTILE)
