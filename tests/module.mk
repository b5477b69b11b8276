# tests/: the unit tests of lib/. Each module's module.mk adds its own with
# $(call unit_test,...) (defined in the top Makefile).
$(call unit_test,test_units,$(LIBMP),-lm,)
$(call unit_test,test_json,$(LIBMP),-lm,)
$(call unit_test,test_path,$(LIBMP),,)
