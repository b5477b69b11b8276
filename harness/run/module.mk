# The run lifecycle: state file, lock, the run itself and the A/B pair.
$(call unit_test,test_state,$(LIBHARNESS) $(LIBMP),,)
# The cleanup policy: process table, namespaces, rtnetlink and the error log stood in.
$(call unit_test,test_stale,$(LIBHARNESS) $(LIBMP),$(NL_LIBS),proc_stat proc_stop_stale netns_exists nlh_open nlh_link_del nlh_close nlh_error log_err log_warn)
$(call unit_test,test_run_pair,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_run,$(LIBHARNESS) $(LIBMONITOR) $(LIBTGCLIENT) $(LIBMP),$(NL_LIBS) $(XL_LIBS) $(PCAP_LIBS) -lm,)
