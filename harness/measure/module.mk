# The measurement: the point runner and the sweep's loop over it, the NDR/PDR
# search and its confidence intervals. The sweep (and the point runner under
# it) runs against link-time stand-ins of the agent client, the monitor and
# the clock; the platform is a table of fake ops in the test itself.
SWEEP_WRAPS := agent_client_rx_start agent_client_tx_start agent_client_status \
	agent_client_tx_stop agent_client_rx_stop agent_client_last_error \
	monitor_set_tag monitor_read_now monitor_window_begin monitor_window_end \
	mtime_now_ns mtime_sleep_until
$(call unit_test,test_sweep,$(LIBHARNESS) $(LIBMP),-lm,$(SWEEP_WRAPS))
$(call unit_test,test_search,$(LIBHARNESS) $(LIBMP),-lm,mtime_now_ns)
$(call unit_test,test_stats_ci,$(LIBHARNESS) $(LIBMP),-lm,)
# search_drive against a stand-in of point_run; the rest of point.o still
# comes in, so its agent and monitor calls need the real libraries.
$(call unit_test,test_search_drive,$(LIBHARNESS) $(LIBTGCLIENT) $(LIBMONITOR) $(LIBMP),-lm $(NL_LIBS),point_run)

# Figures, not tests: mir-perf's highest loss-free rate through the bridge DUT
# at 64 B next to what netsniff-ng's trafgen pushes through the same topology
# (bench-sweep), and the phased search against a plain binary search
# (bench-search). Root.
.PHONY: bench-sweep bench-search
bench-sweep: all
	@MP_BIN=$(abspath $(BIN)) tools/bench-sweep.sh
bench-search: all
	@MP_BIN=$(abspath $(BIN)) tools/bench-search.sh
BENCH += bench-sweep bench-search
$(call unit_test,test_iperf3,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_verdict,$(LIBHARNESS) $(LIBMP),-lm,)
