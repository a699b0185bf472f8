# hdrf: one GNU make build.
#
# Every object lands under $(BUILD) (default build/); the sanitizer build is the
# same rules run again with BUILD=build/san SAN=1, so the two never mix.
# Generated protobuf-c sources go to $(BUILD)/gen and are never committed.
#
#   make            core library, programs (hdrf-sim, hdrf-scheduler), test runner
#   make test       the format, the structure (check-layers), the docs, every
#                   fuzz target briefly, then the CUnit suites and the
#                   allocation-failure test, plain and under ASan+UBSan
#   make format     rewrites the sources in the house style (.clang-format);
#                   make format-check only checks
#   make check-layers  the allocator's files form a DAG in the drawn layers,
#                   includes go one way, hdrf-sim links neither libcurl nor ZooKeeper
#   make demo       the main job on a shipped example
#   make check-long the property tests at full length (1,000,000 events per seed)
#   make bench      the benchmarks (figures, not pass/fail)
#   make fuzz       libFuzzer targets for the parsers (needs clang)
#   make module MESOS_HOME=<prefix>   the Mesos module (C++ shim)
#   make install-module MESOS_HOME=<prefix> [PREFIX=] [DESTDIR=]
#   make install [PREFIX=/usr/local] [DESTDIR=]
#   make clean

# The version is written once, as the three numbers of include/hdrf/version.h;
# hdrf.pc takes it from there.
VERSION := $(shell awk '$$1 ~ /^.define$$/ && $$2 ~ /^HDRF_VERSION_(MAJOR|MINOR|PATCH)$$/ \
                          { v[$$2] = $$3 } \
                        END { print v["HDRF_VERSION_MAJOR"] "." v["HDRF_VERSION_MINOR"] "." \
                                    v["HDRF_VERSION_PATCH"] }' include/hdrf/version.h)
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
SAN     ?= 0
CC      ?= cc
CXX     ?= c++

WARN     := -std=c11 -Wall -Wextra -Werror
OPT      := -O2 -g
ifeq ($(SAN),1)
OPT      := -O1 -g -fno-omit-frame-pointer \
            -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN    := -fsanitize=address,undefined
endif
CFLAGS   ?= $(OPT)
PKGS     := libprotobuf-c jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Project headers are named from the repository root ("lib/sbuf.h",
# "allocator/alloc_internal.h"), public ones as "hdrf/...".
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -I. -Iinclude -I$(BUILD)/gen $(PKG_CFLAGS)
ALL_CFLAGS = $(WARN) $(CFLAGS) -fPIC -MMD -MP
LDLIBS   := $(PKG_LIBS) -lm

# ---- protobuf schemas -> protobuf-c sources --------------------------------
PROTOS    := $(shell find proto -name '*.proto' | sort)
PROTO_C   := $(PROTOS:proto/%.proto=$(BUILD)/gen/%.pb-c.c)
PROTO_H   := $(PROTO_C:.c=.h)
PROTO_OBJ := $(PROTO_C:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)

# Keep generated sources and objects: make would delete them as intermediates.
.SECONDARY:

$(BUILD)/gen/%.pb-c.c $(BUILD)/gen/%.pb-c.h: proto/%.proto
	@mkdir -p $(BUILD)/gen
	protoc-c --proto_path=proto --c_out=$(BUILD)/gen $<

# ---- the core library: lib/, allocator/, hooks/ and the generated messages --
# lib/ is the utility layer (containers, strings, errors, regex, JSON paths)
# that every other part builds on; it knows nothing of allocation.
CORE_SRC := $(sort $(wildcard lib/*.c allocator/*.c hooks/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o) $(PROTO_OBJ)
LIB_A    := $(BUILD)/libhdrf.a
LIB_SO   := $(BUILD)/libhdrf.so

# ---- what libhdrf.so exports ---------------------------------------------------
# Its API and nothing else. The core compiles with -fvisibility=hidden and only
# the declarations of include/hdrf marked HDRF_API (hdrf/export.h), the hdrf_*
# functions, are exported; the utility layer and the allocator's internals
# (regex_compile, strmap_get, agent_hold, ...) stay inside the library and may
# change from one release to the next. test/test_api.c checks the list.
#
# The protobuf-c code generated from proto/ (every name mesos__v1__*) is part of
# the ABI, on purpose, and keeps default visibility. hdrf/resources_pb.h and
# hdrf/constraints_pb.h take and return its message types; `make install`
# installs its headers, which hdrf.pc puts on the include path; and those
# headers' INIT macros and pack/unpack functions name its descriptors, so a
# program that builds or reads the messages needs the code. It must be the
# library's own copy: protobuf-c knows a message's type by the address of its
# descriptor (the generated pack functions assert it), so a message made with
# a second copy of the code would not pass for the library's, nor the
# library's for the program's. The message types already tie the ABI to
# Mesos 1.11's v1 protos; exporting their code adds no tie of its own. The
# price: a program linking libhdrf.so must not link its own protobuf-c build
# of these protos as well.
#
# Every core object depends on hdrf/export.h, even one that includes no public
# header: an object compiled before the policy would export all its names.
$(CORE_SRC:%.c=$(BUILD)/obj/%.o): ALL_CFLAGS += -fvisibility=hidden
$(CORE_SRC:%.c=$(BUILD)/obj/%.o): include/hdrf/export.h

$(BUILD)/obj/%.o: %.c | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(LIB_A): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIB_SO): $(CORE_OBJ)
	$(CC) -shared $(LDSAN) -o $@ $^ $(LDLIBS)

# ---- the application model: apps/ --------------------------------------------
# Application definitions and placement: no I/O, shared by the scheduler and
# the simulator (which therefore links neither libcurl nor ZooKeeper).
APPS_SRC := $(sort $(wildcard apps/*.c))
APPS_OBJ := $(APPS_SRC:%.c=$(BUILD)/obj/%.o)
APPS_A   := $(BUILD)/libhdrf-apps.a

$(APPS_A): $(APPS_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# ---- the companion scheduler's library: scheduler/ ----------------------------
# RecordIO, message codecs, master info, the orchestrator, ZooKeeper, and the
# master connection over libcurl (only these objects and their users need it).
SCHED_SRC := $(sort $(wildcard scheduler/*.c))
SCHED_OBJ := $(SCHED_SRC:%.c=$(BUILD)/obj/%.o)
SCHED_A   := $(BUILD)/libhdrf-sched.a
# What programs linking $(SCHED_A) add: the ZooKeeper C client, multi-threaded
# flavour (Debian libzookeeper-mt-dev; its headers live in /usr/include).
SCHED_LIBS += -lzookeeper_mt -lpthread
CURL_CFLAGS := $(shell pkg-config --cflags libcurl 2>/dev/null)
CURL_LIBS   := $(shell pkg-config --libs libcurl 2>/dev/null)

$(BUILD)/obj/scheduler/%.o: CPPFLAGS += $(CURL_CFLAGS)

$(SCHED_A): $(SCHED_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# ---- programs ---------------------------------------------------------------
SIM_SRC  := $(sort $(wildcard sim/*.c))
SIM_OBJ  := $(SIM_SRC:%.c=$(BUILD)/obj/%.o)
SIM_LIB_OBJ := $(filter-out $(BUILD)/obj/sim/main.o,$(SIM_OBJ)) # also linked into the tests
SIM_BIN  := $(BUILD)/hdrf-sim

$(SIM_BIN): $(SIM_OBJ) $(APPS_A) $(LIB_A)
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

# The scheduler program: flags, operator commands, the leader's event loop.
# Everything but main.o is linked into the tests too.
SCHEDP_SRC := $(sort $(wildcard scheduler/prog/*.c))
SCHEDP_OBJ := $(SCHEDP_SRC:%.c=$(BUILD)/obj/%.o)
SCHEDP_LIB_OBJ := $(filter-out $(BUILD)/obj/scheduler/prog/main.o,$(SCHEDP_OBJ))
SCHED_BIN := $(BUILD)/hdrf-scheduler

# The operator API's HTTP server is GNU libmicrohttpd (Debian libmicrohttpd-dev);
# only the program's objects and what links them need it.
MHD_CFLAGS := $(shell pkg-config --cflags libmicrohttpd 2>/dev/null)
MHD_LIBS   := $(shell pkg-config --libs libmicrohttpd 2>/dev/null)
$(BUILD)/obj/scheduler/prog/%.o: CPPFLAGS += $(MHD_CFLAGS)

$(SCHED_BIN): $(SCHEDP_OBJ) $(SCHED_A) $(APPS_A) $(LIB_A)
	$(CC) $(LDSAN) -pthread -o $@ $^ $(MHD_LIBS) $(CURL_LIBS) $(LDLIBS) $(SCHED_LIBS)

# One program per bench/*.c, except bench/alloc_*.c: the allocator
# benchmark's cases and harness, linked into build/bench/allocator.
BENCH_ALLOC_SRC := $(sort $(wildcard bench/alloc_*.c))
BENCH_ALLOC_OBJ := $(BENCH_ALLOC_SRC:%.c=$(BUILD)/obj/%.o)
BENCH_SRC  := $(filter-out $(BENCH_ALLOC_SRC),$(sort $(wildcard bench/*.c)))
BENCH_BINS := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDSAN) -o $@ $(filter %.o,$^) $(LIB_A) $(LDLIBS)

$(BUILD)/bench/allocator: $(BENCH_ALLOC_OBJ)

# The random-tree measurement runs the simulator against the references
# the tests check (test/hdrf_ref.c).
$(BUILD)/bench/hdrf_trees: $(BUILD)/obj/bench/hdrf_trees.o $(BUILD)/obj/test/hdrf_ref.o \
                           $(SIM_LIB_OBJ) $(APPS_A) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

# The orchestrator's benchmark links the scheduler's library too.
$(BUILD)/bench/orch: $(BUILD)/obj/bench/orch.o $(SCHED_A) $(APPS_A) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(LDSAN) -pthread -o $@ $^ $(CURL_LIBS) $(LDLIBS) $(SCHED_LIBS)

# ---- tests ------------------------------------------------------------------
TEST_SRC := $(sort $(wildcard test/*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BIN := $(BUILD)/hdrf-tests

$(BUILD)/obj/test/%.o: CPPFLAGS += -DHDRF_SRCDIR='"$(CURDIR)"' \
                                   -DHDRF_SCHED_BIN='"$(CURDIR)/$(SCHED_BIN)"' \
                                   -DHDRF_LIB_SO='"$(CURDIR)/$(LIB_SO)"'
$(BUILD)/obj/test/test_api.o: CPPFLAGS += -DHDRF_MAKE_VERSION='"$(VERSION)"'

# -pthread: the HTTP client's tests run a loopback master in a thread.
# The tests also run the scheduler program itself (two instances, failover),
# and read the symbols that the shared library, the one `make install` copies,
# exports.
$(TEST_BIN): $(TEST_OBJ) $(SIM_LIB_OBJ) $(SCHEDP_LIB_OBJ) $(SCHED_A) $(APPS_A) $(LIB_A) | $(SCHED_BIN) $(LIB_SO)
	$(CC) $(LDSAN) -pthread -o $@ $^ $(MHD_LIBS) $(CURL_LIBS) $(LDLIBS) $(SCHED_LIBS) $(shell pkg-config --libs cunit)

# The fault-injection runner: the core linked with every allocation function
# wrapped (-Wl,--wrap), so the test decides which allocation fails
# (test/oom/oom.h). --wrap rather than a malloc of our own: it catches only
# the core's calls (and jansson's, handed the same function), leaves libc's
# and the sanitizers' allocator alone, and works unchanged under ASan.
OOM_SRC := $(sort $(wildcard test/oom/*.c))
OOM_OBJ := $(OOM_SRC:%.c=$(BUILD)/obj/%.o)
OOM_BIN := $(BUILD)/hdrf-oom-tests
OOM_WRAP := $(foreach f,malloc calloc realloc strdup strndup aligned_alloc,-Wl,--wrap=$(f))

$(OOM_BIN): $(OOM_OBJ) $(LIB_A)
	$(CC) $(LDSAN) $(OOM_WRAP) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs cunit)

# ---- targets ----------------------------------------------------------------
.PHONY: all test check-one check-layers check-long demo bench fuzz format format-check module \
        install install-module clean
.DEFAULT_GOAL := all

all: $(LIB_A) $(LIB_SO) $(SIM_BIN) $(SCHED_BIN) $(TEST_BIN) $(OOM_BIN) $(BENCH_BINS)

# Every C and C++ source in the house style (.clang-format); `make format`
# rewrites them so.
FORMAT_SRC = $(shell git ls-files '*.c' '*.h' '*.cpp' '*.hpp' 2>/dev/null)
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC) && \
	  echo "== format: every source as .clang-format writes it"

# The format, the structure and the docs are checked once, from the plain build's
# objects; every fuzz target runs briefly on its seeds (a regression there
# fails the build); then the suites run twice: an optimised build, then
# ASan+UBSan in build/san.
test:
	@$(MAKE) --no-print-directory format-check
	@$(MAKE) --no-print-directory check-layers
	@scripts/check-docs && echo "== docs: every named file exists, no machine-local path"
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_TEST_SECONDS)
	@$(MAKE) --no-print-directory check-one
	@$(MAKE) --no-print-directory BUILD=build/san SAN=1 check-one

check-one: $(TEST_BIN) $(OOM_BIN)
	@echo "== hdrf tests ($(if $(filter 1,$(SAN)),ASan+UBSan,plain) build)"
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(TEST_BIN)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(OOM_BIN)

# The allocator's call graph from its objects' symbols (nm), the include
# directions, and what hdrf-sim links: see scripts/check-layers.
check-layers: $(CORE_OBJ) $(SIM_BIN)
	@sh scripts/check-layers $(BUILD)

# The long property runs: 1,000,000 random events per seed (on a 2-core
# development VM, about 41 s of CPU for alloc_props, 5 min for orch_props).
check-long: $(TEST_BIN)
	HDRF_PROPS_EVENTS=1000000 $(TEST_BIN)

# The main job: the nested-role example under drf and hdrf, side by side;
# the table on stdout, CSV and charts in $(DEMO_OUT). Then every shipped
# example end to end, each into $(DEMO_OUT)/examples/<name>/ (its table in
# summary.txt there).
DEMO_EXAMPLE ?= sim/examples/nested-roles
DEMO_OUT     ?= $(BUILD)/demo
demo: $(SIM_BIN)
	$(SIM_BIN) --out $(DEMO_OUT) $(DEMO_EXAMPLE) --compare $(DEMO_EXAMPLE)/modules-hdrf.json
	@for x in sim/examples/*; do \
	  echo "$(SIM_BIN) --out $(DEMO_OUT)/examples/$${x##*/} $$x > /dev/null"; \
	  $(SIM_BIN) --out $(DEMO_OUT)/examples/$${x##*/} $$x > /dev/null || exit 1; \
	done

bench: $(BENCH_BINS)
	@for b in $(BENCH_BINS); do echo "== $$b"; $$b || exit 1; done

# libFuzzer needs clang; each target runs FUZZ_SECONDS on its seed corpus.
# The libraries are compiled once, instrumented, into build/fuzz/obj; each
# target links them with its own LLVMFuzzerTestOneInput.
FUZZ_SECONDS ?= 60
# Per target in `make test`: enough to replay the seeds and mutate a little.
FUZZ_TEST_SECONDS ?= 10
FUZZ_SRC  := $(sort $(wildcard test/fuzz/*.c))
FUZZ_BINS := $(FUZZ_SRC:test/fuzz/%.c=build/fuzz/%)
FUZZ_LIB_SRC := $(CORE_SRC) $(APPS_SRC) $(SCHED_SRC) $(filter-out sim/main.c,$(SIM_SRC)) $(PROTO_C)
FUZZ_LIB_OBJ := $(patsubst %.c,build/fuzz/obj/%.o,$(FUZZ_LIB_SRC:$(BUILD)/gen/%=gen/%))
FUZZ_CFLAGS  := -std=c11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -MMD -MP
build/fuzz/obj/gen/%.o: $(BUILD)/gen/%.c | $(PROTO_H)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) $(CURL_CFLAGS) $(FUZZ_CFLAGS) -c $< -o $@
build/fuzz/obj/%.o: %.c | $(PROTO_H)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) $(CURL_CFLAGS) $(FUZZ_CFLAGS) -c $< -o $@
build/fuzz/%: test/fuzz/%.c $(FUZZ_LIB_OBJ)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	  -o $@ $< $(FUZZ_LIB_OBJ) $(CURL_LIBS) $(LDLIBS) $(SCHED_LIBS)
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do n=$$(basename $$f); mkdir -p build/fuzz/corpus-$$n; \
	  echo "== $$n ($(FUZZ_SECONDS) s)"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=build/fuzz/ \
	      build/fuzz/corpus-$$n test/fuzz/corpus/$$n \
	    || exit 1; done

# The shim is the only C++ and the only part that needs Mesos: built only
# here, against a Mesos 1.11.0 prefix, with the core's objects (-fPIC) linked
# into one shared library holding both modules. Mesos's headers, and the
# third-party ones its --enable-install-module-dependencies installs, are
# system headers: -Wall -Wextra -Werror judge the shim alone.
MODULE_SRC := $(sort $(wildcard modules/*.cpp))
MODULE_OBJ := $(MODULE_SRC:%.cpp=$(BUILD)/obj/%.o)
MODULE_SO  := $(BUILD)/libhdrf-mesos.so
MODULE_CXXSTD ?= c++14
MODULE_CPPFLAGS = -Iinclude -I$(BUILD)/gen $(PKG_CFLAGS) \
  -isystem $(MESOS_HOME)/include -isystem $(MESOS_HOME)/lib/mesos/3rdparty/include \
  -DPICOJSON_USE_INT64 -D__STDC_FORMAT_MACROS
MODULE_CXXFLAGS = -std=$(MODULE_CXXSTD) -Wall -Wextra -Werror -O2 -g -fPIC -MMD -MP

module:
ifeq ($(strip $(MESOS_HOME)),)
	@echo "make module: set MESOS_HOME to a Mesos 1.11.0 installation prefix," >&2
	@echo "  the directory holding include/mesos and lib/libmesos.so, e.g." >&2
	@echo "  make module MESOS_HOME=/opt/mesos-1.11.0" >&2
	@exit 2
else
	$(MAKE) $(MODULE_SO)
endif

$(BUILD)/obj/modules/%.o: modules/%.cpp | $(PROTO_H)
	@mkdir -p $(dir $@)
	$(CXX) $(MODULE_CPPFLAGS) $(MODULE_CXXFLAGS) -c $< -o $@

# The core's symbols stay inside the library (--exclude-libs) and the shim's
# calls bind to its own definitions (-Bsymbolic): the master's process also
# holds libmesos and its dependencies, whose names must not capture ours.
# --exclude-libs still matters with the core's hidden visibility: it also
# hides what libhdrf.so exports (hdrf_*, mesos__v1__*), which the module
# needs for itself only.
$(MODULE_SO): $(MODULE_OBJ) $(LIB_A)
	$(CXX) -shared -Wl,--exclude-libs,ALL -Wl,-Bsymbolic -o $@ $(MODULE_OBJ) $(LIB_A) \
	  -L$(MESOS_HOME)/lib -Wl,-rpath,$(MESOS_HOME)/lib -lmesos $(LDLIBS)

# The module where modules.json.example expects it: $(PREFIX)/lib.
install-module: module
	install -d $(LIB_DIR)
	install -m 755 $(MODULE_SO) $(LIB_DIR)/

# ---- install ----------------------------------------------------------------
INC_DIR := $(DESTDIR)$(PREFIX)/include
LIB_DIR := $(DESTDIR)$(PREFIX)/lib
install: $(LIB_A) $(LIB_SO) $(SIM_BIN) $(SCHED_BIN)
	install -d $(INC_DIR)/hdrf $(INC_DIR)/hdrf/proto $(LIB_DIR)/pkgconfig \
	  $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/hdrf
	install -m 644 include/hdrf/*.h $(INC_DIR)/hdrf/
	cd $(BUILD)/gen && find . -name '*.pb-c.h' \
	  -exec install -D -m 644 {} $(INC_DIR)/hdrf/proto/{} \;
	install -m 644 $(LIB_A) $(LIB_DIR)/
	install -m 755 $(LIB_SO) $(LIB_DIR)/
	install -m 755 $(SIM_BIN) $(SCHED_BIN) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 modules.json.example $(DESTDIR)$(PREFIX)/share/hdrf/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' hdrf.pc.in \
	  > $(LIB_DIR)/pkgconfig/hdrf.pc

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj build/fuzz/obj -name '*.d' 2>/dev/null)
