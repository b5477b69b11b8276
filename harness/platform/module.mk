# The platform layer's own pieces (local/ and xen/ have their module.mk).
$(call unit_test,test_dut_activity,$(LIBHARNESS) $(LIBMP),,)
