# harness/mk/search.mk: the NDR/PDR search, confidence intervals and compare.
$(call unit_test,test_search,$(LIBHARNESS) $(LIBMP),-lm,mtime_now_ns)
$(call unit_test,test_stats_ci,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_search_out,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_compare,$(LIBHARNESS) $(LIBMP),-lm,)
