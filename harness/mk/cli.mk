# The mir-perf command line, cfg parsers and --dry-run plan: unit tests and fuzzer.
$(call unit_test,test_rangelist,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_conf,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_cli,$(LIBHARNESS) $(LIBMP),-lm,)
