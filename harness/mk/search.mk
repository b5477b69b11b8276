# harness/mk/search.mk: the NDR/PDR search, confidence intervals and compare.
$(call unit_test,test_search,$(LIBHARNESS) $(LIBMP),-lm,mtime_now_ns)
$(call unit_test,test_stats_ci,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_search_out,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_compare,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_trials_summary,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_run_pair,$(LIBHARNESS) $(LIBMP),-lm,)
# search_drive against a stand-in of the sweep's point runner; the sweep object
# still comes in, so its agent and monitor calls need the real libraries.
$(call unit_test,test_search_drive,$(LIBHARNESS) $(LIBTRAFGEN_CLIENT) $(LIBMONITOR) $(LIBMP),-lm $(NL_LIBS),sweep_point_run)

.PHONY: bench-search
bench-search: all
	@MP_BIN=$(abspath $(BIN)) tools/bench-search.sh
BENCH += bench-search
