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
KVER    ?= $(shell ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 2>/dev/null | sort -V | tail -n1 | sed 's|.*/linux-headers-||')
KDIR    ?= /usr/src/linux-headers-$(KVER)
CC      ?= cc
CLANG   ?= clang
BPFTOOL ?= bpftool
CFLAGS  ?= -O2 -g
CFLAGS  += -Wall -Wextra -Wno-format-truncation -Wno-unused-parameter -std=gnu11 -D_GNU_SOURCE -Iinclude -Ilib -Iloader -Icli -I$(BUILD)
LDLIBS  := -lbpf -luuid -lz -ljson-c -lelf

LIB_SRCS  := $(wildcard lib/*.c)
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_SRCS  := $(wildcard cli/*.c loader/*.c)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/%.o)
BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/bpf/%.bpf.o)
BPF_SKELS := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/%.skel.h)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

# keep the .bpf.o between the .bpf.c and its skeleton (only those: a bare .SECONDARY would
# make every missing object count as "intermediate" and never rebuild famfsctl)
.SECONDARY: $(BPF_OBJS)

.PHONY: all user bpf kmod test unit vmtest multihost interleave experiment demo setup clean
all: user kmod

setup:
	$(Q)bash scripts/setup.sh

user: $(BUILD)/famfsctl
bpf: $(BPF_SKELS)

$(BUILD)/libfamfs.a: $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)ar rcs $@ $^

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
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -Ivmlinux -Iinclude -Ibpf \
		-c $< -o $@.tmp && $(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

# bpftool 7.5 writes libbpf 1.5's struct_ops auto-attach line (map->link); libbpf 1.4's
# bpf_map_skeleton has no such field, and the loader attaches struct_ops itself: drop it.
$(BUILD)/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf | sed '/^\tmap->link = /d' > $@

vmlinux/vmlinux.h:
	$(Q)bash vmlinux/gen-vmlinux-h.sh $(KVER) > $@

# famfs_bpf.ko against the 6.12 headers (kbuild runs pahole: the module gets .BTF);
# V=1 is passed on to kbuild so its commands show too
kmod:
	$(call msg,KMOD,kmod/famfs_bpf.ko)
	$(Q)$(MAKE) $(KBUILD_V) -C $(KDIR) M=$(CURDIR)/kmod modules

# Unit tests (Criterion), host only
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libfamfs.a $(wildcard include/*.h lib/*.h tests/unit/*.h)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libfamfs.a -lcriterion $(LDLIBS)

unit: $(UNIT_BINS)
	$(Q)set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t --jobs 2; done

vmtest: all
	$(Q)bash tests/vm/run.sh e2e

# two guests at once on one backing file: master and client (tests/vm/multihost-run.sh)
multihost: all
	$(Q)bash tests/vm/multihost-run.sh

# several devices, interleaved files, two policies at once, policy swaps under load
interleave: all
	$(Q)FAMFS_VM_DEVICES=5 FAMFS_DEV_SIZE=2G bash tests/vm/run.sh interleave

# the policy experiment table (docs/experiments.md): not part of make test
experiment: all
	$(Q)FAMFS_VM_DEVICES=3 FAMFS_DEV_SIZE=2G bash tests/vm/run.sh experiment

test: setup
	$(Q)$(MAKE) --no-print-directory all unit
	$(Q)$(MAKE) --no-print-directory vmtest
	$(Q)$(MAKE) --no-print-directory multihost
	$(Q)$(MAKE) --no-print-directory interleave

demo: setup
	$(Q)$(MAKE) --no-print-directory all
	$(Q)bash tests/vm/run.sh demo
	$(Q)FAMFS_DEMO=1 bash tests/vm/multihost-run.sh

clean:
	rm -rf $(BUILD)
	-$(MAKE) -s -C $(KDIR) M=$(CURDIR)/kmod clean
