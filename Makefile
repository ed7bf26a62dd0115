# tend: one static library, one binary per tool, plain make.
# B is the build directory: "." for the normal build, "san" for the
# sanitizer build (make sanitize), so both can coexist.
include config.mk

B       = .
OBJ     = $(B)/obj
BIN     = $(B)/bin

LIB_SRC  = $(wildcard lib/*.c)
LIB_HDR  = $(wildcard lib/*.h)
LIB_OBJ  = $(LIB_SRC:%.c=$(OBJ)/%.o)
LIBTEND  = $(OBJ)/libtend.a

TOOLS    = $(notdir $(patsubst %/main.c,%,$(wildcard cmd/*/main.c)))
TOOL_BIN = $(TOOLS:%=$(BIN)/%)

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BIN)/tests/%)

FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=fuzz-bin/%)

MAN      = $(wildcard man/*.1 man/*.5 man/*.7)

.PHONY: all deps check unit cli sanitize valgrind fuzz lint demo bench \
        install uninstall clean
.SECONDARY:

all: $(TOOL_BIN)

deps:
	@scripts/setup


$(LIBTEND): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

# The files of tool TOOL but its main.c, for a harness or a unit test
# named TOOL_* (fuzz_TOOL_*.c, test_TOOL_*.c); none for any other name.
tool_src = $(filter-out %/main.c,$(wildcard cmd/tend-$(firstword $(subst _, ,$(1)))/*.c))
# What a unit test test_NAME needs besides libtend: include flags, objects.
test_inc = $(addprefix -I,$(sort $(dir $(call tool_src,$(1:test_%=%)))))
test_obj = $(patsubst %.c,$(OBJ)/%.o,$(call tool_src,$(1:test_%=%)))

# An object depends on libtend's headers and on those of its own folder
# (a unit test, on those of the tool it tests).
.SECONDEXPANSION:
$(OBJ)/%.o: %.c $(LIB_HDR) $$(wildcard $$(dir $$*)*.h) $$(if $$(filter tests/unit/%,$$*),$$(wildcard cmd/*/*.h))
	@mkdir -p $(dir $@)
	$(CC) $(TEND_CFLAGS) $(EXTRA_CFLAGS) $(if $(filter tests/unit/%,$*),$(call test_inc,$(notdir $*))) $(CFLAGS) -c -o $@ $<

# A tool is every .c file in its folder, linked against libtend (and
# what its folder alone needs: GMime for ingest's e-mail).
$(TOOL_BIN): $(BIN)/%: $$(addprefix $(OBJ)/,$$(subst .c,.o,$$(wildcard cmd/$$*/*.c))) $(LIBTEND)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBTEND) $(TEND_LIBS) $(LIBS_$*)

LIBS_tend-ingest = $(GMIME_LIBS)
$(OBJ)/cmd/tend-ingest/fmt_email.o: EXTRA_CFLAGS = $(GMIME_CFLAGS)

$(UNIT_BIN): $(BIN)/tests/%: $(OBJ)/tests/unit/%.o $$(call test_obj,$$*) $(LIBTEND)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBTEND) $(TEND_LIBS) $(CMOCKA_LIBS)

# make check: set up, build, run every test, end with "N passed, N failed".
check: deps
	@$(MAKE) --no-print-directory all-tests
	@BIN=$(BIN) tests/run

all-tests: $(TOOL_BIN) $(UNIT_BIN)

unit: all-tests
	@BIN=$(BIN) tests/run unit
cli: all-tests
	@BIN=$(BIN) tests/run cli

# The same tests on an ASan+UBSan build in san/.
sanitize: deps
	@mkdir -p san && ln -sfn ../share san/share
	@$(MAKE) --no-print-directory B=san CC=$${SAN_CC:-gcc} \
	    CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" all-tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 BIN=san/bin tests/run

valgrind: deps
	@$(MAKE) --no-print-directory all-tests
	@TEND_VALGRIND=1 BIN=$(BIN) tests/run

# A harness fuzz_TOOL_*.c is linked with that tool's files (all but
# main.c); any other harness with libtend's sources alone.
fuzz-bin/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(LIB_HDR) $$(wildcard cmd/*/*.h) $$(call tool_src,$$*)
	@mkdir -p fuzz-bin
	$(FUZZ_CC) $(CSTD) $(TEND_CFLAGS) $(FUZZ_FLAGS) -DTEND_FUZZ \
	    $(if $(filter ingest_%,$*),$(GMIME_CFLAGS)) \
	    $(addprefix -I,$(sort $(dir $(call tool_src,$*)))) -o $@ $< \
	    $(LIB_SRC) $(call tool_src,$*) $(TEND_LIBS) \
	    $(if $(filter ingest_%,$*),$(GMIME_LIBS))

fuzz: deps $(FUZZ_BIN)
	@scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_BIN)

lint:
	@scripts/lint-man $(MAN)

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo

bench: all
	@scripts/bench

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 \
	         $(DESTDIR)$(MANPREFIX)/man5 $(DESTDIR)$(MANPREFIX)/man7 \
	         $(DESTDIR)$(DATADIR)
	cp -f $(TOOL_BIN) $(DESTDIR)$(BINDIR)/
	for m in $(MAN); do \
	    s=$${m##*.}; cp -f $$m $(DESTDIR)$(MANPREFIX)/man$$s/; done
	cp -Rf share/tend/. $(DESTDIR)$(DATADIR)/

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t; done
	for m in $(MAN); do \
	    s=$${m##*.}; rm -f $(DESTDIR)$(MANPREFIX)/man$$s/$${m#man/}; done
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf obj bin san fuzz-bin
