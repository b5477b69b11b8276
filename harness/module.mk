# harness/: bin/mir-perf. Every harness/*.c except main.c goes into
# libharness.a, so new files need no Makefile change. Unit test rules live in
# harness/*.mk fragments (one per area, to keep edits apart).
HARNESS_SRCS := $(filter-out harness/main.c,$(wildcard harness/*.c))
LIBHARNESS := $(B)/libharness.a
$(LIBHARNESS): $(call objs,$(HARNESS_SRCS))
include $(wildcard harness/mk/*.mk)

# mir-perf: main.o and the harness library; the monitor and agent client
# libraries join as soon as their modules define them.
BINS += $(BIN)/mir-perf
$(BIN)/mir-perf: $(B)/harness/main.o $(LIBHARNESS) $(LIBMONITOR) $(LIBTGCLIENT) $(LIBTRAFGEN_CLIENT) $(LIBMP)
	$(call link,$(NL_LIBS) $(XL_LIBS) $(PCAP_LIBS) -lm)
