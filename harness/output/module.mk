# What a run writes and reads back: stats, CSV/JSON, plots, report, compare.
$(call unit_test,test_results,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_plots,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_search_out,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_compare,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_trials_summary,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_goodput_out,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_goodput_compare,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_output_golden,$(LIBHARNESS) $(LIBMP),-lm,)
