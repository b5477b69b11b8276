# The mir-perf command line, cfg parsers and --dry-run plan: unit tests and fuzzer.
$(call unit_test,test_rangelist,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_conf,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_cli,$(LIBHARNESS) $(LIBMP),-lm,)
$(call unit_test,test_rr_opts,$(LIBHARNESS) $(LIBMP),-lm,)

# The cfg parser fuzzer: its own objects, always under ASan+UBSan (gcc), run
# by tests/run like any test_* program for MP_FUZZ_SECONDS (default 3).
FUZZ_SAN := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFG_SRCS := tests/fuzz/fuzz_cfg.c harness/config/rangelist.c harness/config/conf.c harness/config/conf_file.c harness/config/dut_form.c \
	harness/config/quote.c harness/config/search_opts.c harness/config/goodput_opts.c \
	harness/measure/iperf3.c lib/units.c lib/vec.c lib/json.c lib/trust.c
$(B)/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(FUZZ_SAN) -c $< -o $@
$(B)/tests/test_fuzz_cfg: $(patsubst %.c,$(B)/fuzz/%.o,$(FUZZ_CFG_SRCS))
	$(call link,$(FUZZ_SAN) -lm)
UNIT_TESTS += $(B)/tests/test_fuzz_cfg

# cli.c and cli_cfg.c compile MP_DATADIR ($(PREFIX)/share/mir-perf) in: rebuild it when
# PREFIX changes (`make install PREFIX=/opt` after a plain `make`).
PREFIX_STAMP := $(B)/prefix.stamp
$(shell mkdir -p $(B) && { [ "$$(cat $(PREFIX_STAMP) 2>/dev/null)" = "$(PREFIX)" ] || echo "$(PREFIX)" >$(PREFIX_STAMP); })
$(B)/harness/config/cli.o $(B)/harness/config/cli_cfg.o: $(PREFIX_STAMP)
