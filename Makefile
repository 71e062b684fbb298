# ruhu — build, run and test.
#
#   make            build build/ruhu
#   make demo       install what is missing, build, serve demo data on :8080
#   make check      install what is missing, build, run every test
#   make bench      measure against nginx / the sqlite3 shell (see bench/)
#   make fuzz       run the libFuzzer targets for longer (FUZZ_SECONDS=300)
#   make asan       the ASan+UBSan build in build/asan (make check runs it too)
#
# Output goes to $(B) (default build/); a sanitizer build is the same
# Makefile with B=build/asan SAN=1.

B        ?= build
SAN      ?=
CC       ?= cc
PKGS     := libmicrohttpd jansson sqlite3 libpq libsodium xlsxwriter libmagic libqrencode expat zlib
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo dev)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla -Wpointer-arith \
            -Wno-unused-parameter -Wno-missing-field-initializers
CFLAGS   ?= -O2 -g
ifeq ($(SAN),1)
CFLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
            -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif
CPPFLAGS += -std=c17 -D_GNU_SOURCE -Isrc -I$(B)/gen \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm

LIB_SRC  := $(sort $(wildcard src/base/*.c src/core/*.c src/store/*.c \
                              src/app/*.c src/http/*.c src/cli/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/assets.o $(B)/gen/version.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
ASSETS   := $(sort $(shell find web -type f 2>/dev/null)) \
            $(sort $(wildcard src/store/migrations/*.sql)) data/cn_holidays.csv

.PHONY: all deps demo check bench fuzz asan unit api clean install FORCE
all: $(B)/ruhu

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

# Web files, migrations and the holiday calendar are compiled into the
# binary, so an installed ruhu needs nothing beside it.
$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<
# The list of assets, rewritten only when a file comes or goes: a file
# taken away (a migration moved out for a test) changes no date that
# make sees, and the binary kept it.
$(B)/gen/assets.list: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' $(ASSETS) > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(B)/gen/assets.c: $(B)/tools/embed $(ASSETS) $(B)/gen/assets.list
	@mkdir -p $(dir $@)
	@$(B)/tools/embed $(ASSETS) > $@.tmp && mv $@.tmp $@
$(B)/gen/assets.o: $(B)/gen/assets.c
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The version (git describe) in a file of its own, rewritten only when it
# changes: as a -D flag it reached only the files rebuilt for other
# reasons, and a binary could name a commit long gone (base/version.h).
$(B)/gen/version.c: FORCE
	@mkdir -p $(dir $@)
	@printf 'const char ruhu_version[] = "%s";\n' '$(VERSION)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(B)/gen/version.o: $(B)/gen/version.c
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
FORCE:

$(B)/libruhu.a: $(LIB_OBJ)
	@rm -f $@
	@echo "  AR $@"
	@ar rcs $@ $^

$(B)/ruhu: $(B)/src/main.o $(B)/libruhu.a
	@echo "  LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: tests/unit/%.c tests/harness.h $(B)/libruhu.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WARN) -o $@ $< $(B)/libruhu.a $(LDFLAGS) $(LDLIBS)

# The API tests: one binary per file in tests/api, each driving a real server.
$(B)/tests/api_%: tests/api/api_%.c tests/api/*.h tests/harness.h $(B)/libruhu.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WARN) -o $@ $< $(B)/libruhu.a \
	    $(LDFLAGS) $(LDLIBS) $(shell pkg-config --libs libcurl)

unit: $(UNIT_BIN)
api: $(B)/ruhu $(B)/tests/api_test $(B)/tests/api_master $(B)/tests/api_fieldstaff

asan:
	$(MAKE) B=build/asan SAN=1 all unit api

deps:
	scripts/deps.sh build

demo:
	scripts/deps.sh build
	$(MAKE) all
	$(B)/ruhu serve --demo --db $${RUHU_DB:-ruhu-demo.db} --listen $${RUHU_LISTEN:-127.0.0.1:8080}

check:
	scripts/deps.sh check
	tests/run.sh

bench:
	scripts/deps.sh bench
	$(MAKE) all
	bench/run.sh

FUZZ_SECONDS ?= 300
fuzz:
	scripts/deps.sh check
	tests/fuzz/run.sh $(FUZZ_SECONDS)

PREFIX ?= /usr/local
install: $(B)/ruhu
	install -D -m 0755 $(B)/ruhu $(DESTDIR)$(PREFIX)/bin/ruhu

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(B)/src/main.d
