# SPDX-License-Identifier: GPL-2.0-or-later
# kho-inspect build.  Sources are found by directory, so adding a file never
# needs an edit here:
#   src/LAYER/*.c    core library (libkhocore.a), one folder per layer, each
#                    calling only the layers below it (tests/cli/layers.sh):
#                    base < image < decode < analysis < output
#   lib/*.c          allocation-free code shared with the kernel module
#                    (the ELF writer), also in libkhocore.a
#   src/cli/*.c      the kho-inspect command
#   tools/mkimage/*.c  the kho-mkimage image builder
#   plugins/*.c      one shared object per file (build/plugins/NAME.so)
#   plugins/common/*.h header-only helpers shared by plugins (each .so stands
#                    alone, so shared plugin code is static inline)
#   plugins/example/ the out-of-tree example plugin (built by the tests)
#   tests/unit/*.c   Check unit tests, one binary per file
#   completion/      bash and zsh completion, installed by `make install`

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR    := $(PREFIX)/bin
LIBDIR    := $(PREFIX)/lib
PLUGINDIR := $(LIBDIR)/kho-inspect/plugins
MANDIR    := $(PREFIX)/share/man
INCDIR    := $(PREFIX)/include
PCDIR     := $(LIBDIR)/pkgconfig
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  := $(PREFIX)/share/zsh/site-functions

CC        ?= cc
B         := build
# Debian's libfdt-dev ships no pkg-config file, so libfdt is named directly.
PKGS      := libelf ncurses libkdumpfile
CHECK_PKG := check

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := -lfdt $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lelf -lncurses -ltinfo -lkdumpfile)
CHECK_CFLAGS := $(shell pkg-config --cflags $(CHECK_PKG) 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs $(CHECK_PKG) 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)
COMP_LIBS    := -lz -llzma -lzstd -llz4 -lbz2

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS    ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -Isrc $(PKG_CFLAGS) \
	-DKHO_VERSION='"$(VERSION)"' -DKHO_PLUGINDIR='"$(PLUGINDIR)"' \
	-DKHO_BUILD_DIR='"$(abspath $(B))"'
LDLIBS    := $(PKG_LIBS) $(COMP_LIBS) -ldl

LAYERS    := base image decode analysis output
LIB_SRC   := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)) $(wildcard lib/*.c)
CLI_SRC   := $(wildcard src/cli/*.c)
MK_SRC    := $(wildcard tools/mkimage/*.c)
PLUG_SRC  := $(wildcard plugins/*.c)
UNIT_SRC  := $(wildcard tests/unit/*.c)

LIB_OBJ   := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(B)/%.o)
MK_OBJ    := $(MK_SRC:%.c=$(B)/%.o)
PLUGINS   := $(PLUG_SRC:plugins/%.c=$(B)/plugins/%.so)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

LIB       := $(B)/libkhocore.a
BINS      := $(if $(CLI_SRC),$(B)/kho-inspect) $(if $(MK_SRC),$(B)/kho-mkimage)

.PHONY: all run check unit cli sanitize install uninstall clean deps sample bench fuzz \
	fuzz-build fuzz-smoke vmtest mutation
all: $(BINS) $(PLUGINS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -MT $@ -MT $(abspath $@) -c $< -o $@

# The install directory is compiled into the plugin loader, so a change of
# PREFIX rebuilds it (make PREFIX=/usr install after a plain make works).
PREFIX_STAMP := $(B)/.prefix$(subst /,_,$(PREFIX))
$(B)/src/decode/plugins.o: $(PREFIX_STAMP)
$(PREFIX_STAMP):
	@mkdir -p $(B)
	@rm -f $(B)/.prefix*
	@touch $@

# Made anew each time: ar only adds and replaces members, so an object
# whose source was renamed or removed would stay in the archive and clash.
# The source list is a prerequisite too (rewritten only when it changes,
# and the same whatever B is spelled as), so a tree built before a rename
# remakes its archive.
LIB_LIST := $(B)/.lib-members
$(shell mkdir -p $(B) && { echo '$(LIB_SRC)' | cmp -s - $(LIB_LIST) || \
	echo '$(LIB_SRC)' >$(LIB_LIST); })
$(LIB): $(LIB_OBJ) $(LIB_LIST)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

# The kho-inspect of a build tree loads every .so in its plugins/ folder:
# one whose source is gone (vmalloc.so and blocks.so, now the host's own)
# goes when the binary is relinked, rather than being listed as refused.
$(B)/kho-inspect: $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)
	@rm -f $(filter-out $(PLUGINS),$(wildcard $(B)/plugins/*.so))

$(B)/kho-mkimage: $(MK_OBJ) $(LIB)
	$(CC) $(CFLAGS) -o $@ $(MK_OBJ) $(LIB) $(LDLIBS)

# The plugin boundary is a build rule: plugins see include/ (the public
# API) and their own folder, never the core's src/.
$(B)/plugins/%.so: plugins/%.c $(wildcard include/kho/*.h plugins/*.h plugins/common/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -Isrc,$(CFLAGS)) -fPIC -shared -o $@ $< -lfdt

# -MMD writes build/tests/NAME.d beside the binary, so editing any header a
# test includes (include/kho/radix_math.h, src/image/image.h...) rebuilds it;
# tests/cli/deps.sh checks that with make -q -W.
$(B)/tests/%: tests/unit/%.c tests/unit/check_main.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CHECK_CFLAGS) -MMD -MP -MF $@.d -MT $@ -MT $(abspath $@) -o $@ $< $(LIB) \
		$(CHECK_LIBS) $(LDLIBS)

# The sample image is generated, never committed.
SAMPLE_SCN := tests/scenarios/sample.scn
SAMPLE_IMG := $(B)/sample.img
$(SAMPLE_IMG): $(SAMPLE_SCN) $(B)/kho-mkimage
	$(B)/kho-mkimage $(SAMPLE_SCN) -o $@

sample: $(SAMPLE_IMG)

run: all $(SAMPLE_IMG)
	$(B)/kho-inspect dump $(SAMPLE_IMG)

unit: $(UNIT_BIN)
	@B=$(abspath $(B)) sh tests/run-all.sh unit

cli: all
	@B=$(abspath $(B)) sh tests/run-all.sh cli

# The whole suite: the normal build, then the same tests again on a build
# with AddressSanitizer and UndefinedBehaviorSanitizer, where any report
# fails the run.
SAN_B      := build-san
SAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
check: all $(UNIT_BIN)
	@B=$(abspath $(B)) sh tests/run-all.sh all
	@$(MAKE) --no-print-directory sanitize
	@$(MAKE) --no-print-directory fuzz-smoke

sanitize:
	@$(MAKE) --no-print-directory B=$(SAN_B) CFLAGS="$(SAN_CFLAGS)" \
		all $(UNIT_SRC:tests/unit/%.c=$(SAN_B)/tests/%) >/dev/null
	@echo "== sanitizer pass (ASan + UBSan)"
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp) \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1 \
		B=$(abspath $(SAN_B)) sh tests/run-all.sh all

# libFuzzer targets (clang): tests/fuzz/fuzz_target.c built once per target
# against an ASan+UBSan+coverage build of the library and the plugins in
# $(FUZZ_B).  Seeds come from kho-mkimage (tests/fuzz/seeds.sh), never from
# committed binaries.  `make fuzz` runs each target for FUZZ_SECONDS and keeps
# its corpus in $(FUZZ_B)/corpus; `make fuzz-smoke` (part of check) runs
# them all for about FUZZ_SMOKE_SECONDS in total from the seeds alone.
FUZZ_B       := build-fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 60
FUZZ_CFLAGS  := $(SAN_CFLAGS) -fsanitize=fuzzer-no-link
# The whole-image targets, the host's vmalloc and block-chain services,
# then one per plugin (the plan of each but image and root, in
# tests/fuzz/seeds.sh, names the regions it mutates).
FUZZ_TARGETS := image root rootmem vmalloc blocks $(PLUG_SRC:plugins/%.c=%)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_target.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -DFUZZ_NAME='"$*"' \
		-DFUZZ_DIR='"$(abspath $(B))"' -o $@ $< $(LIB) $(LDLIBS)

fuzz-build: $(B)/kho-mkimage
	@$(MAKE) --no-print-directory B=$(FUZZ_B) CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_CFLAGS)" $(PLUG_SRC:plugins/%.c=$(FUZZ_B)/plugins/%.so) \
		$(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz/fuzz_%) >/dev/null
	@sh tests/fuzz/seeds.sh $(abspath $(B))/kho-mkimage $(abspath $(FUZZ_B)) >/dev/null

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_SECONDS) keep $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	@echo "== fuzz smoke test ($(FUZZ_SMOKE_SECONDS) s in total)"
	@sh tests/fuzz/run.sh $(FUZZ_B) \
		$$(( $(FUZZ_SMOKE_SECONDS) / $(words $(FUZZ_TARGETS)) > 0 ? \
		     $(FUZZ_SMOKE_SECONDS) / $(words $(FUZZ_TARGETS)) : 1 )) \
		smoke $(FUZZ_TARGETS)

# Performance figures (not part of check): builds large images into
# $(B)/bench and compares kho-inspect check with a plain read of each.
bench: all
	@B=$(abspath $(B)) sh scripts/bench.sh

deps:
	@sh scripts/deps.sh

# Mutation testing (not part of check): each mutant of
# tests/mutation/mutants.txt is applied to a copy of the tree in build-mut/,
# rebuilt and run against its tests; prints "K killed, S survived".
mutation:
	@sh tests/mutation/run.sh $(MUTANT)

# The real kernel in the loop (scripts/vmtest.sh): Debian's linux-source-7.2
# built and booted under QEMU, a live update through /dev/liveupdate, and
# the handover decoded from QEMU's own memory dumps.  Not part of check.
vmtest: all
	@sh scripts/vmtest.sh

# What `make install` puts under $(DESTDIR)$(PREFIX), listed once so that
# `make uninstall` removes exactly that (tests/cli/install.sh checks both).
# The plugin API header includes only standard headers; the .pc file names
# PREFIX (never DESTDIR), as a packager expects.
MAN1 := $(wildcard man/*.1)
MAN5 := $(wildcard man/*.5)
MAN7 := $(wildcard man/*.7)
PLUGIN_HDRS := include/kho/plugin.h include/kho/err.h include/kho/kinds.h
PC := $(B)/kho-inspect-plugin.pc
INSTALLED := $(addprefix $(BINDIR)/,$(notdir $(BINS))) \
	$(addprefix $(PLUGINDIR)/,$(notdir $(PLUGINS))) \
	$(addprefix $(MANDIR)/man1/,$(notdir $(MAN1))) \
	$(addprefix $(MANDIR)/man5/,$(notdir $(MAN5))) \
	$(addprefix $(MANDIR)/man7/,$(notdir $(MAN7))) \
	$(addprefix $(INCDIR)/kho/,$(notdir $(PLUGIN_HDRS))) \
	$(PCDIR)/kho-inspect-plugin.pc \
	$(BASHCOMPDIR)/kho-inspect $(ZSHCOMPDIR)/_kho-inspect

$(PC): kho-inspect-plugin.pc.in $(PREFIX_STAMP)
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' $< >$@

install: all $(PC)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(INCDIR)/kho $(DESTDIR)$(PCDIR) \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(PLUGINS) $(DESTDIR)$(PLUGINDIR)
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(MAN7) $(DESTDIR)$(MANDIR)/man7
	install -m 644 $(PLUGIN_HDRS) $(DESTDIR)$(INCDIR)/kho
	install -m 644 $(PC) $(DESTDIR)$(PCDIR)
	install -m 644 completion/kho-inspect.bash $(DESTDIR)$(BASHCOMPDIR)/kho-inspect
	install -m 644 completion/_kho-inspect $(DESTDIR)$(ZSHCOMPDIR)/_kho-inspect

# Only our files; a directory goes only when it is ours and empty, so a
# third-party plugin in $(PLUGINDIR) survives, and with it the directory.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	rmdir $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(LIBDIR)/kho-inspect \
		$(DESTDIR)$(INCDIR)/kho 2>/dev/null || true

clean:
	rm -rf $(B) $(SAN_B) $(FUZZ_B) build-mut

# build/vmtest holds a kernel tree (scripts/vmtest.sh): not ours to scan.
-include $(shell find $(B) -path '$(B)/vmtest' -prune -o -name '*.d' -type f -print 2>/dev/null)
