# The Xen platform's harness pieces: domain configurations (golden tests
# against libxl's JSON, no hypervisor needed), initramfs writer, build recipe.
$(call unit_test,test_xl_config,$(LIBHARNESS) $(LIBMP),$(XL_LIBS),)
$(call unit_test,test_initramfs,$(LIBHARNESS) $(LIBMP),,)
$(call unit_test,test_recipe_xl_in,$(LIBHARNESS) $(LIBMP),,)
$(call unit_test,test_xen_image,$(LIBHARNESS) $(LIBMP),,)
$(call unit_test,test_platform_xen,$(LIBHARNESS) $(LIBTGCLIENT) $(LIBMP),$(XL_LIBS) $(NL_LIBS),)
$(call unit_test,test_xl_redact,$(LIBHARNESS) $(LIBMP),$(XL_LIBS),)
$(call unit_test,test_xen_console,$(LIBHARNESS) $(LIBMP),$(XL_LIBS),)
$(call unit_test,test_xen_evtchn,$(LIBHARNESS) $(LIBMP),$(XL_LIBS),)
# recipe-run: recipe_build for tests/integration/recipe.sh (a test tool, not installed).
$(B)/tests/recipe-run: $(B)/tests/tools/recipe_run.o $(LIBHARNESS) $(LIBMP)
	$(call link,)
build-tests: $(B)/tests/recipe-run
$(call unit_test,test_xen_ends,$(LIBHARNESS) $(LIBMP),$(XL_LIBS),agent_client_connect agent_client_close agent_client_last_error agent_client_call_raw)
