# mir-perf: one plain Makefile; each directory adds its pieces in module.mk.
#
#   make            build bin/mir-perf, bin/mir-trafgen, bin/mir-monitor
#   make deps       install the Debian 12 packages needed (root)
#   make run        deps + build + a short default sweep on the local platform (root)
#   make check      deps + build + every test (root for the integration tests)
#   make asan       the whole suite again under ASan+UBSan
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench-trafgen bench-fwd bench-monitor bench-sweep bench-search   figures, not tests

VERSION := $(shell git describe --always --dirty --tags 2>/dev/null || echo unknown)
PREFIX  ?= /usr/local
DESTDIR ?=
B       ?= build
BIN     ?= bin
CC      ?= cc

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-5s %s\n' $(1) $(2)
endif

WARN := -Wall -Wextra -Werror -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	-Wshadow -Wno-unused-parameter
OPT ?= -O2 -g
ifeq ($(SAN),1)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN := -fsanitize=address,undefined
endif
# The guest binaries (mir-trafgen.static, mir-geninit) are linked statically for
# the Xen initramfs. ASan cannot link statically, so the sanitized build links
# them dynamically: their code is what the sanitizers check, not the packaging.
LDSTATIC := $(if $(filter 1,$(SAN)),,-static)

CPPFLAGS += -D_GNU_SOURCE -DMP_VERSION='"$(VERSION)"' -DMP_DATADIR='"$(PREFIX)/share/mir-perf"' -I.
CFLAGS   += -std=gnu11 $(OPT) $(WARN) -MMD -MP -pthread
LDFLAGS  += $(LDSAN) -pthread

# Dependencies come through pkg-config; the targets that need them are only
# built after `make deps`, in a sub-make, so a fresh machine can still parse this.
pc = $(shell pkg-config $(1) $(2) 2>/dev/null)
NL_CFLAGS   := $(call pc,--cflags,libnl-3.0 libnl-route-3.0)
NL_LIBS     := $(call pc,--libs,libnl-3.0 libnl-route-3.0)
PCAP_CFLAGS := $(call pc,--cflags,libpcap)
PCAP_LIBS   := $(call pc,--libs,libpcap)
XL_CFLAGS   := $(call pc,--cflags,xenlight xentoollog)
XL_LIBS     := $(call pc,--libs,xenlight xentoollog)
CMOCKA_CFLAGS := $(call pc,--cflags,cmocka)
CMOCKA_LIBS   := $(call pc,--libs,cmocka)
CPPFLAGS += $(NL_CFLAGS) $(PCAP_CFLAGS) $(XL_CFLAGS) $(CMOCKA_CFLAGS)

objs = $(patsubst %.c,$(B)/%.o,$(1))

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(B)/%.a:
	@mkdir -p $(@D)
	$(call quiet,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# link: $(call link,EXTRA_LIBS)
link = $(call quiet,LD,$@); mkdir -p $(@D); $(CC) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(1)

BINS :=
UNIT_TESTS :=
# $(call unit_test,NAME,OBJS+LIBS,LDLIBS,WRAPPED_SYMBOLS): a cmocka program
# $(B)/tests/NAME from tests/unit/AREA/NAME.c (AREA mirrors the source tree), run by tests/run. Link-time
# --wrap stand-ins replace the named functions (as OpenVPN's unit tests do).
# The comma of -Wl,--wrap= is spelled $$(comma): a bare one would split the
# arguments of the $$(call link,...) the rule expands to at recipe time.
comma := ,
unit_src = $(firstword $(wildcard tests/unit/*/$(1).c tests/unit/*/*/$(1).c tests/unit/*/*/*/$(1).c))
unit_test_rule = $(B)/tests/$(1): $(call objs,$(call unit_src,$(1))) $(2) ; $$(call link,$(3) $(CMOCKA_LIBS) $(foreach w,$(4),-Wl$$(comma)--wrap=$(w)))
unit_test = $(eval $(call unit_test_rule,$(1),$(2),$(3),$(4)))$(eval UNIT_TESTS += $(B)/tests/$(1))
BENCH :=

.PHONY: all deps check check-build run asan install clean build-tests
all:

include lib/module.mk
include monitor/module.mk
include trafgen/module.mk
include harness/module.mk
include guest/module.mk
include tools/xen-check/check.mk
include tests/module.mk

all: $(BINS)

build-tests: all $(UNIT_TESTS)

deps:
	@tools/deps.sh

check: deps
	@$(MAKE) --no-print-directory build-tests
	@MP_BIN=$(abspath $(BIN)) MP_BUILD=$(abspath $(B)) tests/run

check-build: build-tests

asan: deps
	@$(MAKE) --no-print-directory B=build/asan BIN=build/asan/bin SAN=1 build-tests
	@MP_BIN=$(abspath build/asan/bin) MP_BUILD=$(abspath build/asan) MP_ASAN=1 \
		MP_PLOTS_DIR=$(abspath plots) tests/run

run: deps
	@$(MAKE) --no-print-directory all
	@tools/run-default.sh $(abspath $(BIN))

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/mir-perf/cfg \
		$(DESTDIR)$(PREFIX)/share/mir-perf/plots $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(sort $(BINS)) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 cfg/range-psz cfg/range-pps cfg/range-bufsz cfg/range-rrsz cfg/mir-perf.conf $(DESTDIR)$(PREFIX)/share/mir-perf/cfg/
	install -m 0644 plots/*.gp $(DESTDIR)$(PREFIX)/share/mir-perf/plots/
	install -m 0644 doc/mir-perf.1 doc/mir-trafgen.1 doc/mir-monitor.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -d $(DESTDIR)$(PREFIX)/share/mir-perf/recipes/mirage-net-xen
	install -m 0644 recipes/mirage-net-xen/*.ml $(DESTDIR)$(PREFIX)/share/mir-perf/recipes/mirage-net-xen/
	install -m 0755 recipes/mirage-net-xen/*.sh $(DESTDIR)$(PREFIX)/share/mir-perf/recipes/mirage-net-xen/

clean:
	rm -rf build bin

-include $(shell find $(B) -name '*.d' 2>/dev/null)
