# Unit tests of the sweep loop and the results writers (owner: sweep).
# The sweep runs against link-time stand-ins of the agent client, the monitor
# and the clock; the platform is a table of fake ops in the test itself.
SWEEP_WRAPS := agent_client_rx_start agent_client_tx_start agent_client_status \
	agent_client_tx_stop agent_client_rx_stop agent_client_last_error \
	monitor_set_tag monitor_read_now monitor_window_begin monitor_window_end \
	mtime_now_ns mtime_sleep_until
$(call unit_test,test_sweep,$(LIBHARNESS) $(LIBMP),-lm,$(SWEEP_WRAPS))
$(call unit_test,test_results,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_plots,$(LIBHARNESS) $(LIBMP),-lm,)

# Figures, not a test: mir-perf's highest loss-free rate through the bridge
# DUT at 64 B next to what netsniff-ng's trafgen pushes through the same
# topology, and the harness's own CPU (root).
.PHONY: bench-sweep
bench-sweep: all
	@MP_BIN=$(abspath $(BIN)) tools/bench-sweep.sh
BENCH += bench-sweep

# run.c drives the Xen platform when this tree has it (and is rebuilt when it
# appears).
ifneq ($(wildcard harness/platform_xen.c),)
$(B)/harness/run.o: CPPFLAGS += -DMP_HAVE_PLATFORM_XEN
$(B)/harness/run.o: harness/platform_xen.c
endif
$(call unit_test,test_run,$(LIBHARNESS) $(LIBMONITOR) $(LIBTGCLIENT) $(LIBMP),$(NL_LIBS) $(XL_LIBS) $(PCAP_LIBS) -lm,)
