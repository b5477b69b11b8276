# monitor/: the per-hop counter sampler ($(LIBMONITOR), linked by the harness)
# and bin/mir-monitor (live view, CSV, JSON, pcap capture).
MONITOR_SRCS := monitor/monitor.c monitor/counter.c monitor/csv.c monitor/nlstats.c
LIBMONITOR := $(B)/libmonitor.a
$(LIBMONITOR): $(call objs,$(MONITOR_SRCS))

$(call unit_test,test_monitor,$(B)/monitor/monitor.o $(B)/monitor/counter.o $(B)/monitor/csv.o $(LIBMP),-lm,mtime_now_ns mon_nl_open mon_nl_close mon_nl_ifindex mon_nl_read)
$(call unit_test,test_monitor_counter,$(B)/monitor/counter.o $(LIBMP),-lm,)

MONITOR_CLI_SRCS := monitor/main.c $(wildcard monitor/cmd_*.c) monitor/summary.c monitor/view.c \
	monitor/capture.c
$(BIN)/mir-monitor: $(call objs,$(MONITOR_CLI_SRCS)) $(LIBMONITOR) $(LIBMP)
	$(call link,$(NL_LIBS) $(PCAP_LIBS) -lm)
BINS += $(BIN)/mir-monitor

# A paced raw-socket sender of an exact number of frames, for the
# integration tests and the benchmark.
MP_PACED_TX := $(B)/tests/tools/mp-paced-tx
$(MP_PACED_TX): $(B)/tests/tools/mp-paced-tx.o $(LIBMP)
	$(call link,)
build-tests: $(MP_PACED_TX)

# Figures, not a test: jitter, CPU beside bmon, totals against /sys (root).
.PHONY: bench-monitor
bench-monitor: $(BIN)/mir-monitor $(MP_PACED_TX)
	@MP_BIN=$(abspath $(BIN)) MP_BUILD=$(abspath $(B)) tools/bench-monitor.sh
BENCH += bench-monitor

# The netlink reader itself, against the kernel in the test's own namespace.
$(call unit_test,test_monitor_nl,$(LIBMP),$(NL_LIBS),log_warn)
