# harness/mk/search.mk: the NDR/PDR search, confidence intervals and compare.
$(call unit_test,test_search,$(LIBHARNESS) $(LIBMP),-lm,mtime_now_ns)
$(call unit_test,test_stats_ci,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_search_out,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_compare,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_trials_summary,$(LIBHARNESS) $(LIBMP),-lm,)

.PHONY: bench-search
bench-search: all
	@MP_BIN=$(abspath $(BIN)) tools/bench-search.sh
BENCH += bench-search
