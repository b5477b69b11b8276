# harness/: bin/mir-perf. Every .c below harness/ except main.c goes into
# libharness.a, so a new file needs no Makefile change. Each area's folder has
# its own module.mk with its unit tests:
#   config/    argv, cfg files and the dry-run plan -> one struct run_cfg
#   run/       a run's lifecycle: lock, state file, stop, the A/B pair
#   measure/   the point runner, the sweep and search over it, confidence intervals
#   output/    stats, CSV, JSON, plots, report, compare
#   platform/  platform.h (the ops table); local/ and xen/ implement it
HARNESS_SRCS := $(filter-out harness/main.c,$(shell find harness -name '*.c'))
LIBHARNESS := $(B)/libharness.a
$(LIBHARNESS): $(call objs,$(HARNESS_SRCS))
include $(shell find harness -mindepth 2 -name module.mk)

# mir-perf: main.o, the harness library, the monitor and agent client libraries.
BINS += $(BIN)/mir-perf
$(BIN)/mir-perf: $(B)/harness/main.o $(LIBHARNESS) $(LIBMONITOR) $(LIBTGCLIENT) $(LIBMP)
	$(call link,$(NL_LIBS) $(XL_LIBS) $(PCAP_LIBS) -lm)
