# trafgen/: bin/mir-trafgen (tx, rx, fwd, agent), its static twin for the Xen
# traff-gen initramfs (links only libmp, libc and pthread: no libnl, no
# libpcap), and libtgclient.a, the agent client the harness links
# (contract: trafgen/agent_client.h; link it before $(LIBMP)).
TG_CLIENT_SRCS := trafgen/agent_client.c trafgen/proto.c trafgen/endpoint.c trafgen/frame.c
TG_SRCS := $(filter-out trafgen/main.c $(TG_CLIENT_SRCS),$(wildcard trafgen/*.c))
LIBTGCLIENT := $(B)/libtgclient.a
LIBTRAFGEN := $(B)/libtrafgen.a
$(LIBTGCLIENT): $(call objs,$(TG_CLIENT_SRCS))
$(LIBTRAFGEN): $(call objs,$(TG_SRCS))

$(BIN)/mir-trafgen: $(B)/trafgen/main.o $(LIBTRAFGEN) $(LIBTGCLIENT) $(LIBMP)
	$(call link,-lm)
$(BIN)/mir-trafgen.static: $(B)/trafgen/main.o $(LIBTRAFGEN) $(LIBTGCLIENT) $(LIBMP)
	$(call link,$(LDSTATIC) -lm)
# Both are built and installed: mir-perf packs the static one into the Xen
# traff-gen initramfs.
BINS += $(BIN)/mir-trafgen $(BIN)/mir-trafgen.static
.PHONY: trafgen-static bench-trafgen
trafgen-static: $(BIN)/mir-trafgen.static

bench-trafgen: $(BIN)/mir-trafgen
	@MP_BIN=$(abspath $(BIN)) tools/bench-trafgen.sh
BENCH += bench-trafgen

$(call unit_test,test_trafgen_frame,$(LIBTGCLIENT) $(LIBMP),-lm,)
$(call unit_test,test_trafgen_pacer,$(LIBTRAFGEN) $(LIBMP),-lm,mtime_now_ns mtime_sleep_until)
$(call unit_test,test_trafgen_stats,$(LIBTRAFGEN) $(LIBMP),-lm,)
$(call unit_test,test_trafgen_proto,$(LIBTRAFGEN) $(LIBTGCLIENT) $(LIBMP),-lm,)

# A hostile client of the agent (idle, garbage, half a hello), for
# tests/integration/security_agent.sh.
SOCK_HOSTILE := $(B)/tests/tools/sock_hostile
$(SOCK_HOSTILE): $(B)/tests/tools/sock_hostile.o
	$(call link,)
build-tests: $(SOCK_HOSTILE)
