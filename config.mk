# tend build configuration: edit here, or override on the make command line.
VERSION = 0.1.0

PREFIX    = /usr/local
BINDIR    = $(PREFIX)/bin
MANPREFIX = $(PREFIX)/share/man
DATADIR   = $(PREFIX)/share/tend

CC      ?= cc
PKG_CONFIG ?= pkg-config
DEPS     = jansson libpcre2-8

WARN     = -Wall -Wextra -Wformat=2 -Wstrict-prototypes -Wvla -Wshadow \
           -Wmissing-prototypes -Wno-unused-parameter
OPT      = -O2 -g
CSTD     = -std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS  ?= $(OPT)
TEND_CFLAGS = $(CSTD) $(WARN) $(WERROR) -Ilib \
              -DTEND_VERSION='"$(VERSION)"' -DTEND_DATADIR='"$(DATADIR)"' \
              $(shell $(PKG_CONFIG) --cflags $(DEPS) 2>/dev/null)
TEND_LIBS   = $(shell $(PKG_CONFIG) --libs $(DEPS) 2>/dev/null) -lm
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
# GMime (e-mail, tend-ingest -f email alone): its headers and GLib's as
# system headers, so our warnings are not theirs
GMIME_CFLAGS = $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags gmime-3.0 2>/dev/null))
GMIME_LIBS   = $(shell $(PKG_CONFIG) --libs gmime-3.0 2>/dev/null)

# sanitizer build (make sanitize)
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=undefined
# fuzzing (make fuzz): clang with libFuzzer
FUZZ_CC      = clang
FUZZ_FLAGS   = -O1 -g -fsanitize=fuzzer,address,undefined
FUZZ_SECONDS = 10
