# famfs-bpf top-level Makefile.
#   make          user space (libfamfs, famfsctl), BPF policies + skeletons, famfs_bpf.ko
#   make test     unit tests on the host, then the VM tests (virtme-ng, QEMU TCG): the
#                 single-host end-to-end test, then two hosts sharing one device
#   make demo     the end-to-end flow on an emulated fabric-memory device, step by step,
#                 then two hosts sharing it
#   make setup    install what the build and tests need (idempotent; root)
# V=1 prints full commands. Outputs go to build/ (and kmod/ for kbuild's files).

.DELETE_ON_ERROR:
.SUFFIXES:

V ?= 0
ifeq ($(V),1)
Q :=
msg :=
KBUILD_V := V=1
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
KBUILD_V := -s
endif

BUILD   := build
ENV     := bash scripts/famfs-env.sh
# The kernel to build famfs_bpf.ko for: KDIR= if given; else the running kernel's build tree
# when it is a supported one (Debian 6.12); else the guest kernel's headers that setup
# unpacked into the cache (never installed on the host).
RUNNING_KDIR := $(wildcard /lib/modules/$(shell uname -r)/build/Makefile)
ifeq ($(origin KDIR),undefined)
ifneq ($(and $(RUNNING_KDIR),$(filter 6.12.%,$(shell uname -r))),)
KDIR    := $(patsubst %/Makefile,%,$(RUNNING_KDIR))
else
KDIR    := $(shell FAMFS_KERNEL_SERIES=6.12 $(ENV) kdir)
endif
endif
# The newest kernel (7.3, trixie-backports: CXL, fsdev_dax): its module is built in the trixie
# build root setup made for it (make kmod-7.3), into build/kmod-<kver>/; make all builds it
# too when that build root exists.
NEW_SERIES := 7.3
NEW_KVER   := $(shell FAMFS_KERNEL_SERIES=$(NEW_SERIES) $(ENV) kver)
NEW_BROOT  := $(if $(NEW_KVER),$(wildcard $(shell FAMFS_KERNEL_SERIES=$(NEW_SERIES) $(ENV) buildroot)/.ready))
NEW_KMOD   := $(BUILD)/kmod-$(NEW_KVER)/famfs_bpf.ko
KVER    ?= $(patsubst linux-headers-%,%,$(notdir $(KDIR)))
CC      ?= cc
CLANG   ?= clang
BPFTOOL ?= bpftool
# libbpf of the version bpftool 7.5 writes skeletons for (1.5), built by setup from Debian's
# source package into the cache and linked statically: skeletons are used as generated.
LIBBPF_DIR ?= $(shell $(ENV) libbpf-dir)
CFLAGS  ?= -O2 -g
CFLAGS  += -Wall -Wextra -Wno-format-truncation -Wno-unused-parameter -std=gnu11 -D_GNU_SOURCE \
	   -isystem $(LIBBPF_DIR)/include -Iinclude -Ilib -Iloader -Icli -I$(BUILD)
LDLIBS  := $(LIBBPF_DIR)/lib/libbpf.a -luuid -lz -ljson-c -lelf
# libndctl/libdaxctl: finding and checking nvdimm namespaces (loader/nvdimm.c)
LDLIBS  += $(shell pkg-config --libs libndctl libdaxctl 2>/dev/null || echo -lndctl -ldaxctl)

LIB_SRCS  := $(wildcard lib/*.c)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_SRCS  := $(wildcard cli/*.c loader/*.c)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/bpf/%.bpf.o)
BPF_SKELS := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/%.skel.h)
# famfsctl's parts that need no kernel (argument parsing, text and JSON reports, finding a
# file system's devices and checking namespaces): the unit tests link them from libfamfscli.a
CLI_PURE_OBJS := $(patsubst %.c,$(BUILD)/%.o,cli/parse.c cli/report.c cli/json.c cli/cp_copy.c loader/devices.c loader/nvdimm.c loader/bind.c loader/daxmode.c loader/mounttab.c)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

# keep the .bpf.o between the .bpf.c and its skeleton (only those: a bare .SECONDARY would
# make every missing object count as "intermediate" and never rebuild famfsctl)
.SECONDARY: $(BPF_OBJS)

.PHONY: all user bpf kmod kmod-7.3 cxl-smoke cxl-share testpolicies test unit vmtest vmtest-cxl vmtest-daxdev multihost-cxl interleave-cxl smallfiles multihost delete interleave arbiter bench-grants bench bench-faults bench-appends experiment test-debug demo setup clean fuzz fuzz-check
all: user kmod testpolicies $(if $(NEW_BROOT),kmod-$(NEW_SERIES))

setup:
	$(Q)bash scripts/setup.sh

user: $(BUILD)/famfsctl
bpf: $(BPF_SKELS)

$(BUILD)/libfamfs.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)ar rcs $@ $^

# remade when the member list changes (an object older than the archive would be left out)
$(BUILD)/libfamfscli.a: $(CLI_PURE_OBJS) Makefile
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $(CLI_PURE_OBJS)

$(BUILD)/lib/%.o: lib/%.c $(wildcard include/*.h lib/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.c $(wildcard include/*.h lib/*.h cli/*.h loader/*.h) | $(BPF_SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# the loader embeds the policies' ELF bytes from their skeletons
$(BUILD)/loader/policy.o: $(BPF_SKELS)

$(BUILD)/famfsctl: $(CLI_OBJS) $(BUILD)/libfamfs.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# BPF: .bpf.c -> .bpf.o -> .skel.h
$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard include/*.h bpf/*.h) vmlinux/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -isystem $(LIBBPF_DIR)/include -Ivmlinux -Iinclude -Ibpf \
		-c $< -o $@.tmp && $(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(BUILD)/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

# The test suite's own policies (tests/policies: hostile ones, a stale context) and the
# small libbpf loader that attaches them; the VM tests use build/tests/policy_load.
TPOL_SRCS  := $(wildcard tests/policies/*.bpf.c)
TPOL_SKELS := $(TPOL_SRCS:tests/policies/%.bpf.c=$(BUILD)/tests/policies/%.skel.h)
.SECONDARY: $(TPOL_SRCS:tests/policies/%.bpf.c=$(BUILD)/tests/policies/%.bpf.o)
testpolicies: $(BUILD)/tests/policy_load $(BUILD)/tests/pageclass $(BUILD)/tests/faultbench \
	      $(BUILD)/tests/insn_plugin.so

# guest instruction counting (tests/bench): the QEMU plugin and a fault-in program
$(BUILD)/tests/insn_plugin.so: tests/bench/insn_plugin.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -Wall -shared -fPIC -fvisibility=hidden -o $@ $<

$(BUILD)/tests/faultbench: tests/bench/faultbench.c tests/bench/marker.h $(BUILD)/libfamfs.a
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/bench -o $@ $< $(BUILD)/libfamfs.a $(LDLIBS)

$(BUILD)/tests/mark: tests/bench/mark.c tests/bench/marker.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/bench -o $@ $<

$(BUILD)/tests/pageclass: tests/vm/pageclass.c $(BUILD)/libfamfs.a
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libfamfs.a $(LDLIBS)

$(BUILD)/tests/policies/%.bpf.o: tests/policies/%.bpf.c $(wildcard include/*.h bpf/*.h) vmlinux/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -isystem $(LIBBPF_DIR)/include -Ivmlinux -Iinclude -Ibpf \
		-c $< -o $@.tmp && $(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(BUILD)/tests/policies/%.skel.h: $(BUILD)/tests/policies/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

$(BUILD)/tests/policy_load: tests/policies/policy_load.c $(TPOL_SKELS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) -I$(BUILD)/tests/policies -o $@ $< $(LDLIBS)

vmlinux/vmlinux.h:
	$(Q)bash vmlinux/gen-vmlinux-h.sh $(KDIR) > $@

# famfs_bpf.ko against the 6.12 headers (kbuild runs pahole: the module gets .BTF);
# V=1 is passed on to kbuild so its commands show too
kmod:
	$(call msg,KMOD,kmod/famfs_bpf.ko)
	$(Q)$(MAKE) $(KBUILD_V) -C $(KDIR) M=$(CURDIR)/kmod modules

# famfs_bpf.ko for 7.3: kbuild run in the trixie build root (scripts/in-buildroot.sh: its
# gcc-14, and pahole 1.30 for module BTF) on build/kmod-<kver>/src/, a tree of symlinks to
# kmod/ and include/ (7.3's kbuild refuses an M= tree holding another build's modules.order,
# so the 6.12 objects in kmod/ and these stay apart); the module is copied up to
# build/kmod-<kver>/famfs_bpf.ko. RESOLVE_BTFIDS_FLAGS= drops 7.3's --distill_base for
# external modules: with a distilled base (.BTF.base) the kernel renumbers the module's BTF
# types at load, and the id the module resolved at build time for struct famfs_xlate
# (BTF_ID_LIST_SINGLE, checked in btf_struct_access) no longer matches: every policy was
# refused ("only struct famfs_xlate out fields are writable"). Plain split BTF on this exact
# kernel's vmlinux keeps the build-time ids, as on 6.12.
NEW_SRC := $(BUILD)/kmod-$(NEW_KVER)/src
kmod-7.3:
	$(Q)[ -n "$(NEW_BROOT)" ] || { echo "make kmod-7.3: no $(NEW_SERIES) kernel and build root in the cache: run 'make setup'" >&2; exit 1; }
	$(call msg,KMOD,$(NEW_KMOD))
	$(Q)mkdir -p $(NEW_SRC)/kmod && ln -sfn $(CURDIR)/include $(NEW_SRC)/include
	$(Q)for f in kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h); do \
		ln -sf $(CURDIR)/$$f $(NEW_SRC)/$$f || exit 1; done
	$(Q)bash scripts/in-buildroot.sh $(NEW_KVER) $(MAKE) $(KBUILD_V) -C /usr/src/linux-headers-$(NEW_KVER) \
		M=$(CURDIR)/$(NEW_SRC)/kmod RESOLVE_BTFIDS_FLAGS= modules
	$(Q)cp -p $(NEW_SRC)/kmod/famfs_bpf.ko $(NEW_KMOD)

# Unit tests (Criterion), host only: each links libfamfs and famfsctl's pure parts
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libfamfscli.a $(BUILD)/libfamfs.a $(wildcard include/*.h lib/*.h cli/*.h loader/*.h tests/unit/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libfamfscli.a $(BUILD)/libfamfs.a -lcriterion $(LDLIBS)

# the famfsctl binary's own test runs it (help, version, refusals, fsck on an image)
$(BUILD)/tests/test_cli_famfsctl: $(BUILD)/famfsctl

# ... and famfsctl walked through bad input on image files (tests/unit/cli_bad_input.sh)
unit: $(UNIT_BINS) $(BUILD)/famfsctl
	$(Q)set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t --jobs 2; done
	$(Q)echo "== tests/unit/cli_bad_input.sh"; bash tests/unit/cli_bad_input.sh $(BUILD)/famfsctl

vmtest: all
	$(Q)bash tests/vm/run.sh e2e

# famfsctl on a dax device (an nvdimm devdax namespace) beside pmem: mkfs, fsck, discovery by
# UUID; on 6.12 the refusals (no fsdev_dax); verdict "daxdev: ..."; not in make test yet
vmtest-daxdev: all
	$(Q)FAMFS_VM_DEVICES=2 FAMFS_DEV_SIZE=2G bash tests/vm/run.sh daxdev

# e2e on the 7.3 kernel with one emulated CXL memory region in famfs mode (docs/cxl.md);
# verdict "e2e: kernel=7.3... device=cxl ..."
vmtest-cxl: all
	$(Q)FAMFS_KERNEL_SERIES=7.3 FAMFS_VM_CXL=1 FAMFS_DEV_SIZE=2G FAMFS_DEVKIND=cxl bash tests/vm/run.sh e2e

# two guests at once on one backing file: master and client (tests/vm/multihost-run.sh)
multihost: all
	$(Q)bash tests/vm/multihost-run.sh

# small files packed at page granularity, large files still 2 MiB (tests/vm/smallfiles.sh)
smallfiles: all
	$(Q)bash tests/vm/run.sh smallfiles

# delete and reclaim with a following, stale client: two guests (tests/vm/delete-run.sh)
delete: all
	$(Q)bash tests/vm/delete-run.sh

# several devices, interleaved files, two policies at once, policy swaps under load
interleave: all
	$(Q)FAMFS_VM_DEVICES=5 FAMFS_DEV_SIZE=2G bash tests/vm/run.sh interleave

# the two-host test on 7.3: both guests on one CXL backing file (a CXL type-3 RAM device each)
multihost-cxl: all
	$(Q)FAMFS_KERNEL_SERIES=7.3 FAMFS_VM_CXL=1 FAMFS_DEV_SIZE=2G FAMFS_DEVKIND=cxl bash tests/vm/multihost-run.sh

# interleave on 7.3 with file system A over two CXL memory regions (dax devices in famfs
# mode) and B over two pmem namespaces and a third CXL region (one file system, both kinds)
interleave-cxl: all
	$(Q)FAMFS_KERNEL_SERIES=7.3 FAMFS_VM_CXL=3 FAMFS_VM_DEVICES=2 FAMFS_DEV_SIZE=2G FAMFS_DEVKIND=cxl \
		bash tests/vm/run.sh interleave

# the module as arbiter: hostile policies, revocation on policy switch, a cloned device
arbiter: all
	$(Q)FAMFS_VM_DEVICES=4 FAMFS_DEV_SIZE=2G bash tests/vm/run.sh arbiter

# the cost of the grant check, in guest instructions (tests/bench/grants-run.sh): not in make test
bench-grants: all
	$(Q)bash tests/bench/grants-run.sh

# make bench (docs/performance.md; not in make test): faults, reads, pread and XLATE against
# device-dax and ext4-dax and under each policy against const_answer (one boot), then the
# metadata phases at 1,000 and 8,000 files (a second boot), db_bench on a database twice
# the guest's RAM (a third); table, JSON line, chart in
# build/bench. bench-faults: the first boot only.
bench: all $(BUILD)/tests/mark $(BUILD)/tests/insn_plugin.so
	$(Q)bash tests/bench/bench-run.sh
bench-faults: all $(BUILD)/tests/insn_plugin.so
	$(Q)FAMFS_BENCH_APPENDS=0 FAMFS_BENCH_DB=0 bash tests/bench/bench-run.sh

# what cp -r of many small files costs: 1,000 vs 8,000 files (guest instructions), and
# filling the whole log (docs/performance.md): not part of make test
bench-appends: all $(BUILD)/tests/mark $(BUILD)/tests/insn_plugin.so
	$(Q)bash tests/bench/appends-run.sh

# the policy experiment table (docs/experiments.md): not part of make test
experiment: all
	$(Q)FAMFS_VM_DEVICES=3 FAMFS_DEV_SIZE=2G bash tests/vm/run.sh experiment

# CXL memory on the 7.3 kernel (tests/vm/guest-cxl.sh): two CXL type-3 RAM devices, a region
# each, mapped in devdax mode (tests/vm/cxl-smoke.sh); not part of make test
cxl-smoke: all
	$(Q)FAMFS_KERNEL_SERIES=$(NEW_SERIES) FAMFS_VM_CXL=2 FAMFS_DEV_SIZE=1G FAMFS_VM_TIMEOUT=$${FAMFS_VM_TIMEOUT:-420} \
		bash tests/vm/run.sh cxl-smoke

# two 7.3 guests at once on one CXL backing file see each other's bytes (tests/vm/cxl-share-run.sh)
cxl-share: all
	$(Q)FAMFS_KERNEL_SERIES=$(NEW_SERIES) bash tests/vm/cxl-share-run.sh

# e2e, interleave and arbiter on a KASAN/lockdep/KFENCE kernel built once from Debian's
# linux-source-6.12 into the cache (docs/testing-debug.md): not part of make test
test-debug: all
	$(Q)bash tests/vm/test-debug.sh

# make test checks that it leaves the host's kernel alone: /boot before setup == /boot after
BOOT_DIGEST = find /boot -xdev -printf '%p %s %T@ %l\n' 2>/dev/null | sort | sha256sum
test:
	$(Q)mkdir -p $(BUILD) && $(BOOT_DIGEST) > $(BUILD)/boot.before
	$(Q)bash scripts/setup.sh
	$(Q)$(MAKE) --no-print-directory all unit
	$(Q)$(MAKE) --no-print-directory fuzz
	@# fuzz-check (one host core) runs beside the e2e guest, whose script keeps about one
	@# vCPU busy; its lines are shown when both are done, and either failing fails make test
	$(Q)$(MAKE) --no-print-directory fuzz-check FUZZ_TIME=$(TEST_FUZZ_TIME) >$(BUILD)/fuzz-check.out 2>&1 & \
	fuzz=$$!; $(MAKE) --no-print-directory vmtest; vm=$$?; wait $$fuzz; f=$$?; \
	cat $(BUILD)/fuzz-check.out; [ $$f = 0 ] || echo "make test: FAIL: fuzz-check (exit $$f)"; \
	[ $$vm = 0 ] && [ $$f = 0 ]
	$(Q)$(MAKE) --no-print-directory smallfiles
	$(Q)$(MAKE) --no-print-directory multihost
	$(Q)$(MAKE) --no-print-directory delete
	$(Q)$(MAKE) --no-print-directory interleave
	$(Q)$(MAKE) --no-print-directory arbiter
	@# the newest Debian kernel (7.3) with emulated CXL memory devices (fsdev_dax): the e2e,
	@# two hosts on one CXL memory device, interleave over two CXL devices
	$(Q)$(MAKE) --no-print-directory vmtest-cxl
	$(Q)$(MAKE) --no-print-directory multihost-cxl
	$(Q)$(MAKE) --no-print-directory interleave-cxl
	$(Q)$(BOOT_DIGEST) | cmp -s - $(BUILD)/boot.before || \
		{ echo "make test: FAIL: /boot changed (the host kernel must never be touched)"; exit 1; }
	$(Q)echo "make test: host /boot unchanged"

demo:
	$(Q)mkdir -p $(BUILD) && $(BOOT_DIGEST) > $(BUILD)/boot.before
	$(Q)bash scripts/setup.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)bash tests/vm/run.sh demo
	$(Q)FAMFS_DEMO=1 bash tests/vm/multihost-run.sh
	$(Q)$(BOOT_DIGEST) | cmp -s - $(BUILD)/boot.before || \
		{ echo "make demo: FAIL: /boot changed (the host kernel must never be touched)"; exit 1; }
	$(Q)echo "make demo: host /boot unchanged"

# Fuzzers (libFuzzer, clang; tests/fuzz/): make fuzz builds the harnesses and their seed
# corpora (cut from real images by gen_seeds); make fuzz-check runs each harness over its
# corpus and its regression inputs (tests/fuzz/regress/NAME/), then FUZZ_TIME seconds each.
FUZZ_CC     ?= clang
FUZZ_TIME   ?= 60
# make test's share of it: each harness runs its seeds and regressions, then 20 s (at the
# rates of docs/fuzzing.md, tens to hundreds of thousands of executions each)
TEST_FUZZ_TIME ?= 20
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SAN) -std=gnu11 -D_GNU_SOURCE \
	       -isystem $(LIBBPF_DIR)/include -Iinclude -Ilib -Iloader -Itests/fuzz
FUZZ_DIR    := $(BUILD)/fuzz
FUZZ_NAMES  := fuzz_sb fuzz_log fuzz_replay
FUZZ_BINS   := $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)
# cacheflush.c as built by $(CC) (clang 14 knows no __builtin_cpu_supports("clwb"))
FUZZ_LIB    := $(patsubst lib/%.c,$(FUZZ_DIR)/lib/%.o,$(filter-out lib/cacheflush.c,$(LIB_SRCS))) \
	       $(BUILD)/lib/cacheflush.o $(FUZZ_DIR)/fuzz_common.o
FUZZ_HDRS   := $(wildcard include/*.h lib/*.h loader/*.h tests/fuzz/*.h)
# the loader's file-system calls are wrapped by fuzz_replay's escape detector
FUZZ_WRAP   := $(foreach f,mkdir open chown chmod famfs_fmap_put famfs_fmaps_open,-Wl,--wrap=$(f))

$(FUZZ_DIR)/%.o: %.c $(FUZZ_HDRS)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_common.o: tests/fuzz/fuzz_common.c $(FUZZ_HDRS)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB) $(FUZZ_HDRS)
	$(call msg,FUZZLD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) -luuid -lz

FUZZ_REPLAY := $(patsubst %.c,$(FUZZ_DIR)/%.o,loader/replay.c loader/fmaps.c \
	       $(wildcard loader/bind.c loader/unbind.c) tests/fuzz/replay_stubs.c)
$(FUZZ_DIR)/fuzz_replay: tests/fuzz/fuzz_replay.c $(FUZZ_REPLAY) $(FUZZ_LIB) $(FUZZ_HDRS)
	$(call msg,FUZZLD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_WRAP) -o $@ $< $(FUZZ_REPLAY) \
		$(FUZZ_LIB) $(LIBBPF_DIR)/lib/libbpf.a -lelf -luuid -lz

$(FUZZ_DIR)/gen_seeds: tests/fuzz/gen_seeds.c $(BUILD)/libfamfs.a $(FUZZ_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/fuzz -o $@ $< $(BUILD)/libfamfs.a -luuid -lz

$(FUZZ_DIR)/seeds/.stamp: $(FUZZ_DIR)/gen_seeds
	$(call msg,SEEDS,$(FUZZ_DIR)/seeds)
	$(Q)rm -rf $(FUZZ_DIR)/seeds && $(FUZZ_DIR)/gen_seeds $(FUZZ_DIR)/seeds && touch $@

fuzz: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/.stamp

fuzz-check: fuzz
	$(Q)FUZZ_DIR=$(FUZZ_DIR) FUZZ_TIME=$(FUZZ_TIME) bash tests/fuzz/run.sh $(FUZZ_NAMES)

# ---- install, the DKMS source tree, Debian packages (README "Install") ----
#   make install [PREFIX=/usr/local] [DESTDIR=]  famfsctl, its man page (docs/famfsctl.8) and
#        famfs_bpf.ko, the latter through kbuild's modules_install against KDIR into
#        $(DESTDIR)/lib/modules/<kver>/extra (skipped, saying so, when KDIR has no headers)
#   make install-dkms-src [DESTDIR=]  the DKMS source tree /usr/src/famfs-bpf-<version>
#        (dkms.conf, kmod/, include/); then: dkms install famfs-bpf/<version>
#   make deb       build/deb/famfs-bpf_*.deb, famfs-bpf-dkms_*.deb: dpkg-buildpackage (debian/)
#        run on a copy of the work tree's files (those git tracks or does not ignore: what
#        make builds) in build/deb/src/, with this LIBBPF_DIR
#   make test-deb  tests/pkg/deb-test.sh: builds the packages, unpacks them with dpkg -x into a
#        scratch root, runs famfsctl, renders the man page, builds the module from the
#        unpacked DKMS source (not part of make test; never installs the packages)
#   make test-deb-vm  the same, then the e2e flow in a guest with that famfsctl and module
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
PKG_VERSION := $(shell sed -n 's/.*FAMFSCTL_VERSION[[:space:]]*"\([^"]*\)".*/\1/p' cli/cli.h)
DKMS_SRC := /usr/src/famfs-bpf-$(PKG_VERSION)
DKMS_FILES := kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h include/*.h)
KDIR_OK  := $(wildcard $(KDIR)/Makefile)
KREL     = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
# a distribution's headers hold no module signing key: install unsigned then (not sign-file's
# errors); DKMS signs with its own key where Secure Boot needs it
KSIGN    = $(if $(wildcard $(KDIR)/certs/signing_key.pem $(KDIR)/output/signing_key.pem),,CONFIG_MODULE_SIG_ALL=)
DEB_DIR  := $(BUILD)/deb
DEB_SRC  := $(DEB_DIR)/src/famfs-bpf-$(PKG_VERSION)

.PHONY: install install-user install-kmod install-dkms-src uninstall deb test-deb test-deb-vm
install: install-user install-kmod

install-user: $(BUILD)/famfsctl
	$(call msg,INSTALL,$(DESTDIR)$(BINDIR)/famfsctl)
	$(Q)install -D -m 0755 $(BUILD)/famfsctl $(DESTDIR)$(BINDIR)/famfsctl
	$(call msg,INSTALL,$(DESTDIR)$(MANDIR)/man8/famfsctl.8)
	$(Q)install -D -m 0644 docs/famfsctl.8 $(DESTDIR)$(MANDIR)/man8/famfsctl.8

ifneq ($(KDIR_OK),)
# modules_install skips depmod without a System.map (Debian's headers have none): run it
# here when installing into this system for a kernel it has (it has a modules.dep)
install-kmod: kmod
	$(call msg,INSTALL,$(DESTDIR)/lib/modules/$(KREL)/extra/famfs_bpf.ko)
	$(Q)$(MAKE) $(KBUILD_V) -C $(KDIR) M=$(CURDIR)/kmod INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=extra $(KSIGN) modules_install
	$(Q)if [ -z "$(DESTDIR)" ] && [ -f /lib/modules/$(KREL)/modules.dep ]; then depmod -a $(KREL); fi
else
install-kmod:
	@echo "make install: skipping famfs_bpf.ko: no kernel headers at KDIR='$(KDIR)'" \
		"(give KDIR=/lib/modules/<kver>/build, or run make setup for the cached 6.12 headers)"
endif

install-dkms-src:
	$(call msg,INSTALL,$(DESTDIR)$(DKMS_SRC))
	$(Q)for f in $(DKMS_FILES); do install -D -m 0644 $$f $(DESTDIR)$(DKMS_SRC)/$$f || exit 1; done
	$(Q)sed 's/#MODULE_VERSION#/$(PKG_VERSION)/' dkms.conf > $(DESTDIR)$(DKMS_SRC)/dkms.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/famfsctl $(DESTDIR)$(MANDIR)/man8/famfsctl.8 $(DESTDIR)$(MANDIR)/man8/famfsctl.8.gz
	$(if $(KREL),rm -f $(DESTDIR)/lib/modules/$(KREL)/extra/famfs_bpf.ko*)
	$(if $(KREL),$(Q)if [ -z "$(DESTDIR)" ] && [ -f /lib/modules/$(KREL)/modules.dep ]; then depmod -a $(KREL); fi)

deb:
	$(call msg,DEB,$(DEB_DIR)/*.deb)
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	$(Q)git ls-files -z --cached --others --exclude-standard | \
		xargs -0 sh -c 'for f; do [ -f "$$f" ] && printf "%s\0" "$$f"; done' sh | \
		tar --null --no-recursion -T - -cf - | tar -xf - -C $(DEB_SRC)
	$(Q)cd $(DEB_SRC) && LIBBPF_DIR=$(abspath $(LIBBPF_DIR)) dpkg-buildpackage -b -us -uc \
		>$(CURDIR)/$(DEB_DIR)/build.log 2>&1 || \
		{ tail -n 30 $(CURDIR)/$(DEB_DIR)/build.log; echo "make deb: FAILED (log: $(DEB_DIR)/build.log)"; exit 1; }
	$(Q)mv $(DEB_DIR)/src/*.deb $(DEB_DIR)/ && ls $(DEB_DIR)/*.deb

test-deb:
	$(Q)bash tests/pkg/deb-test.sh

# the e2e flow in a guest with the packaged famfsctl and the DKMS-built module (after
# test-deb's checks; not in make test). Under the VM lock: flock /tmp/famfs-vm.lock make test-deb-vm
test-deb-vm:
	$(Q)bash tests/pkg/deb-vm.sh

clean:
	rm -rf $(BUILD)
	-$(MAKE) -s -C $(KDIR) M=$(CURDIR)/kmod clean
