# narrate - plain Makefile.  See README.md and docs/building.md.
#
#   make            build libnarrate.a, libnarrate.so and ./narrate
#   make demo       install missing Debian packages, build, run the sample job
#   make test       install missing packages, build, run every test
#                   (unit, conformance, golden, fuzz replay, sanitizer build)
#   make bench      throughput benchmarks (medians, beside a baseline)
#   make install    PREFIX=/usr/local DESTDIR=
#   make SANITIZE=address,undefined ...   sanitizer build (in build-san/)

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share/narrate
MANDIR ?= $(PREFIX)/share/man

CC ?= cc
CFLAGS ?= -O2 -g
NR_WARN = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wwrite-strings -Wvla -Wformat=2
ifeq ($(CI),true)
NR_WARN += -Werror
endif

PKG_CONFIG ?= pkg-config
ICU_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags icu-uc icu-i18n 2>/dev/null)
ICU_LIBS ?= $(shell $(PKG_CONFIG) --libs icu-uc icu-i18n 2>/dev/null)
UTF8PROC_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libutf8proc 2>/dev/null)
UTF8PROC_LIBS ?= $(shell $(PKG_CONFIG) --libs libutf8proc 2>/dev/null)
PCRE2_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libpcre2-8 2>/dev/null)
PCRE2_LIBS ?= $(shell $(PKG_CONFIG) --libs libpcre2-8 2>/dev/null)
TEXTCAT_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libexttextcat 2>/dev/null)
TEXTCAT_LIBS ?= $(shell $(PKG_CONFIG) --libs libexttextcat 2>/dev/null)
JANSSON_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS ?= $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null)
YAML_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags yaml-0.1 2>/dev/null)
YAML_LIBS ?= $(shell $(PKG_CONFIG) --libs yaml-0.1 2>/dev/null)
ZLIB_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags zlib 2>/dev/null)
ZLIB_LIBS ?= $(shell $(PKG_CONFIG) --libs zlib 2>/dev/null)
# libstemmer and libcsv ship no .pc file on Debian 12.
STEMMER_CFLAGS ?=
STEMMER_LIBS ?= -lstemmer
CSV_CFLAGS ?=
CSV_LIBS ?= -lcsv
CMOCKA_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS ?= $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

DEP_CFLAGS = $(ICU_CFLAGS) $(UTF8PROC_CFLAGS) $(PCRE2_CFLAGS) $(TEXTCAT_CFLAGS) \
	$(JANSSON_CFLAGS) $(YAML_CFLAGS) $(ZLIB_CFLAGS) $(STEMMER_CFLAGS) $(CSV_CFLAGS)
DEP_LIBS = $(ICU_LIBS) $(UTF8PROC_LIBS) $(PCRE2_LIBS) $(TEXTCAT_LIBS) \
	$(JANSSON_LIBS) $(YAML_LIBS) $(ZLIB_LIBS) $(STEMMER_LIBS) $(CSV_LIBS) -lpthread -lm

# Where the installed narrate finds lexicons; the build tree uses ./lexicons.
NR_DEFS = -DNR_VERSION='"$(VERSION)"' -DNR_DATADIR='"$(DATADIR)"'

SANITIZE ?=
ifneq ($(SANITIZE),)
B ?= build-san
SAN_FLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
B ?= build
SAN_FLAGS =
endif

ALL_CFLAGS = $(NR_WARN) $(CFLAGS) $(SAN_FLAGS) -Iinclude -Ilib $(DEP_CFLAGS) $(NR_DEFS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)

LIB_SRC = $(sort $(wildcard lib/*.c))
LIB_OBJ = $(LIB_SRC:lib/%.c=$(B)/lib/%.o)
LIB_PIC = $(LIB_SRC:lib/%.c=$(B)/pic/%.o)
TOOL_SRC = $(sort $(wildcard tools/*.c))
TOOL_OBJ = $(TOOL_SRC:tools/%.c=$(B)/tools/%.o)
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
CONF_SRC = $(sort $(wildcard tests/conformance/*.c))
CONF_BIN = $(CONF_SRC:tests/conformance/%.c=$(B)/tests/%)
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY = $(FUZZ_SRC:tests/fuzz/%.c=$(B)/tests/%-replay)
BENCH_SRC = $(sort $(wildcard bench/*.c))
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(B)/bench/%)

NARRATE = $(B)/narrate
SO_NAME = libnarrate.so.0

.PHONY: all lib demo test test-unit test-conformance test-golden test-fuzz \
	test-san check bench deps deps-test deps-bench install uninstall style \
	clean fuzz

all: $(NARRATE) $(B)/libnarrate.so narrate.pc

lib: $(B)/libnarrate.a

deps:
	@scripts/install-deps.sh build
deps-test:
	@scripts/install-deps.sh test
deps-bench:
	@scripts/install-deps.sh bench

$(B)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(B)/pic/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<
$(B)/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libnarrate.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(B)/libnarrate.so: $(LIB_PIC)
	$(CC) -shared -Wl,-soname,$(SO_NAME) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS)

$(NARRATE): $(TOOL_OBJ) $(B)/libnarrate.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(TOOL_OBJ) $(B)/libnarrate.a $(DEP_LIBS)
	@ln -sf $(B)/narrate narrate 2>/dev/null || true

$(B)/tests/%: tests/unit/%.c $(B)/libnarrate.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libnarrate.a $(CMOCKA_LIBS) $(DEP_LIBS)
$(B)/tests/%: tests/conformance/%.c $(B)/libnarrate.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libnarrate.a $(DEP_LIBS)
$(B)/tests/%-replay: tests/fuzz/%.c tests/fuzz/replay.c $(B)/libnarrate.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< tests/fuzz/replay.c $(B)/libnarrate.a $(DEP_LIBS)
$(B)/bench/%: bench/%.c $(B)/libnarrate.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(B)/libnarrate.a $(DEP_LIBS)

# The install rule writes the .pc again: PREFIX given to 'make install' may
# differ from the one narrate.pc was built with.
PC_SUBST = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|'
narrate.pc: narrate.pc.in Makefile
	$(PC_SUBST) $< > $@

# ---- the two set-up commands -------------------------------------------

demo: deps
	@$(MAKE) --no-print-directory all
	$(NARRATE) analyze corpora/sample -o narrate-out
	$(NARRATE) tokenize --format tsv corpora/tokenize-sample.txt

test: deps-test
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory SANITIZE=address,undefined test-san

# Everything but package installation; tests/run-suite.sh prints one
# "N passed, N failed" line.
check: $(NARRATE) $(UNIT_BIN) $(CONF_BIN) $(FUZZ_REPLAY)
	@B=$(B) sh tests/run-suite.sh

test-san: $(NARRATE) $(UNIT_BIN) $(FUZZ_REPLAY)
	@B=$(B) NR_SUITE=sanitizer sh tests/run-suite.sh

bench: deps-bench
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@B=$(B) sh bench/run.sh

# libFuzzer builds of the harnesses (clang); make test only replays them.
fuzz:
	@mkdir -p build-fuzz
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  echo "clang $$n"; \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Ilib $(DEP_CFLAGS) $(NR_DEFS) \
	    -o build-fuzz/$$n $$f $(LIB_SRC) $(DEP_LIBS) || exit 1; done

# ---- install ------------------------------------------------------------

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	  $(DESTDIR)$(INCDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(NARRATE) $(DESTDIR)$(BINDIR)/narrate
	install -m 644 $(B)/libnarrate.a $(DESTDIR)$(LIBDIR)/libnarrate.a
	install -m 755 $(B)/libnarrate.so $(DESTDIR)$(LIBDIR)/$(SO_NAME)
	ln -sf $(SO_NAME) $(DESTDIR)$(LIBDIR)/libnarrate.so
	install -m 644 include/narrate.h $(DESTDIR)$(INCDIR)/narrate.h
	$(PC_SUBST) narrate.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/narrate.pc
	install -m 644 docs/narrate.1 $(DESTDIR)$(MANDIR)/man1/narrate.1
	cp -R lexicons/. $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/narrate $(DESTDIR)$(LIBDIR)/libnarrate.a \
	  $(DESTDIR)$(LIBDIR)/$(SO_NAME) $(DESTDIR)$(LIBDIR)/libnarrate.so \
	  $(DESTDIR)$(INCDIR)/narrate.h $(DESTDIR)$(LIBDIR)/pkgconfig/narrate.pc \
	  $(DESTDIR)$(MANDIR)/man1/narrate.1
	rm -rf $(DESTDIR)$(DATADIR)

style:
	@clang-format --dry-run --Werror include/*.h lib/*.c lib/*.h tools/*.c tools/*.h \
	  && echo "style: ok"

clean:
	rm -rf build build-san build-fuzz narrate narrate.pc

-include $(wildcard $(B)/*/*.d $(B)/tests/*.d $(B)/bench/*.d)
