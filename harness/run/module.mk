# The run lifecycle: state file, lock, the run itself and the A/B pair.
$(call unit_test,test_state,$(LIBHARNESS) $(LIBMP),,)
$(call unit_test,test_run_pair,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_run,$(LIBHARNESS) $(LIBMONITOR) $(LIBTGCLIENT) $(LIBMP),$(NL_LIBS) $(XL_LIBS) $(PCAP_LIBS) -lm,)
