# SPDX-License-Identifier: Apache-2.0
# vmlib.sh - sourced by the host-side VM harnesses (run.sh, multihost-run.sh): find the 6.12
# guest kernel and its unpacked vmlinux, build QEMU's emulated fabric-memory options, and
# boot one guest with virtme-ng (QEMU TCG, host root read-only over 9p).
#
# After vm_init: $repo, $kver, $vmlinux (the unpacked guest kernel), and FAMFS_GUEST_KMOD
# set to that kernel's module when it is not the 6.12 kmod/famfs_bpf.ko (FAMFS_KERNEL_SERIES
# picks the kernel: 6.12 by default, or 7.3). Guest kernels live in
# the cache (scripts/famfs-env.sh): setup downloads Debian's kernel package and unpacks it
# there, never on the host's /boot. virtme-ng finds the guest's modules beside the image
# ($FAMFS_CACHE/kernel-<kver>/root/lib/modules/<kver>) and links them into the guest.

vm_init() {
	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	. "$repo/scripts/famfs-env.sh"
	kver=$(famfs_kernel_latest)
	[ -n "$kver" ] || { echo "vm: no guest kernel in $FAMFS_CACHE: run 'make setup'" >&2; return 1; }
	vmlinux=$(famfs_vmlinux "$kver")
	# opt-in: another guest kernel (make test-debug: scripts/build-debug-kernel.sh)
	[ -z "${FAMFS_GUEST_KERNEL:-}" ] || vmlinux=$FAMFS_GUEST_KERNEL
	[ -s "$vmlinux" ] || { echo "vm: $vmlinux missing: run 'make setup'" >&2; return 1; }
	# a kernel other than 6.12 (FAMFS_KERNEL_SERIES=7.3) has its own build of the module
	# (make kmod-7.3): the guest scripts get it as FAMFS_KMOD
	local kmod; kmod=$(famfs_kmod "$kver")
	if [ -z "${FAMFS_GUEST_KMOD:-}" ] && [ "$kmod" != "$repo/kmod/famfs_bpf.ko" ]; then
		[ -s "$kmod" ] || { echo "vm: $kmod missing: run 'make kmod-$FAMFS_KERNEL_SERIES'" >&2; return 1; }
		FAMFS_GUEST_KMOD=$kmod
	fi
}

vng() { # virtme-ng, from PATH or as the installed Python module
	if command -v vng >/dev/null; then command vng "$@"
	else python3 -c 'import sys; from virtme_ng.run import main; sys.exit(main())' "$@"; fi
}

# vm_size_gib SIZE: "8G" -> 8 (the backing files are sized in whole GiB)
vm_size_gib() {
	case $1 in
	*[Gg]) echo "${1%[Gg]}" ;;
	*) echo "vm: FAMFS_DEV_SIZE must be whole GiB like 8G, not '$1'" >&2; return 1 ;;
	esac
}

# vm_qemu_opts SIZE [FILE...] [-- CXL_FILE...]: QEMU options for one nvdimm per FILE (each
# SIZE, shared MAP_SHARED with every other QEMU on the same file, 128K label area in the
# file), and one CXL type-3 volatile memory device per CXL_FILE (each SIZE, share=on: dax
# offset = file offset, so guests on one file share it). Guest RAM: FAMFS_VM_MEM (whole GiB,
# default 2G; vm_boot uses the same). CXL (7.3 guests: tests/vm/guest-cxl.sh makes the
# regions): machine q35,cxl=on and -cpu max,hypervisor=off (with the hypervisor CPUID bit
# the region commit fails: "Failed to synchronize CPU cache state"), without ERMS/FSRM (see
# below); each device has its
# own host bridge (pxb-cxl), root port and fixed memory window of SIZE, so each gets a
# region of its own (one root decoder each, one way).
vm_qemu_opts() {
	local size=$1 gib i=0 f opts nv=() cxl=() machine fmw=
	shift
	gib=$(vm_size_gib "$size") || return 1
	while [ $# -gt 0 ] && [ "$1" != -- ]; do nv+=("$1"); shift; done
	[ $# -eq 0 ] || { shift; cxl=("$@"); }
	[ ${#nv[@]} -gt 0 ] || [ ${#cxl[@]} -gt 0 ] || { echo "vm: no fabric-memory files" >&2; return 1; }
	machine=pc,nvdimm=on
	[ ${#cxl[@]} -eq 0 ] || machine=q35,cxl=on${nv[0]:+,nvdimm=on}
	opts="-accel tcg,thread=multi -machine $machine"
	# FAMFS_VM_INSN_OUT=FILE: count guest instructions per marker (tests/bench/insn_plugin.c)
	[ -z "${FAMFS_VM_INSN_OUT:-}" ] ||
		opts+=" -plugin $repo/build/tests/insn_plugin.so,out=$FAMFS_VM_INSN_OUT"
	local mem; mem=$(vm_size_gib "${FAMFS_VM_MEM:-2G}") || return 1
	if [ ${#nv[@]} -gt 0 ]; then
		opts+=" -m ${mem}G,slots=$((${#nv[@]} + 1)),maxmem=$((mem + gib * ${#nv[@]}))G"
	fi
	for f in "${nv[@]}"; do
		opts+=" -object memory-backend-file,id=fab$i,share=on,mem-path=$f,size=$size,align=2M"
		opts+=" -device nvdimm,id=nv$i,memdev=fab$i,label-size=128K"
		i=$((i + 1))
	done
	# erms=off,fsrm=off: under TCG a rep movsb on I/O memory (which emulated CXL memory is)
	# moves one byte per access; without them the kernel copies 8 bytes at a time: read()
	# of 32 MiB from famfs on CXL memory took 13.7 s with them and 2.3 s without
	[ ${#cxl[@]} -eq 0 ] || opts+=" -cpu max,hypervisor=off,erms=off,fsrm=off"
	i=0
	for f in "${cxl[@]}"; do
		opts+=" -object memory-backend-file,id=cxlm$i,share=on,mem-path=$f,size=$size"
		opts+=" -device pxb-cxl,bus_nr=$((12 + 8 * i)),bus=pcie.0,id=cxl.$i"
		opts+=" -device cxl-rp,port=0,bus=cxl.$i,id=cxl_rp$i,chassis=$i,slot=$((2 + i))"
		opts+=" -device cxl-type3,bus=cxl_rp$i,volatile-memdev=cxlm$i,id=cxl-vmem$i"
		fmw+="${fmw:+,}cxl-fmw.$i.targets.0=cxl.$i,cxl-fmw.$i.size=${gib}G"
		i=$((i + 1))
	done
	# the windows are one array property of the machine: one -M for all (QEMU refuses more)
	[ -z "$fmw" ] || opts+=" -M $fmw"
	echo "$opts"
}

# vm_fabric_opts SIZE FILE...: the two-guest harnesses' devices: one nvdimm per FILE, or with
# FAMFS_VM_CXL >= 1 one CXL type-3 memory device per FILE (a 7.3 guest:
# FAMFS_KERNEL_SERIES=7.3). Either way two QEMUs on the same FILE share its bytes.
vm_fabric_opts() {
	local size=$1
	shift
	if [ "${FAMFS_VM_CXL:-0}" -ge 1 ] 2>/dev/null; then vm_qemu_opts "$size" -- "$@"
	else vm_qemu_opts "$size" "$@"; fi
}

# vm_boot TIMEOUT QEMU_OPTS CPUS SCRIPT [VNG_ARG...]: boot a guest that runs `bash SCRIPT`;
# its console goes to stdout. Returns vng's (or timeout's) exit status. With VM_BG=1 (a
# guest started in the background) the timeout signals the whole process group, QEMU
# included, instead of running in the terminal's foreground.
# Opt-ins (make test-debug): FAMFS_GUEST_KERNEL (vm_init), FAMFS_GUEST_KMOD (the guest
# scripts insmod it instead of kmod/famfs_bpf.ko: passed as FAMFS_KMOD to SCRIPT),
# FAMFS_GUEST_CTL (a famfsctl to run instead of build/famfsctl: FAMFSCTL to SCRIPT; e2e.sh
# honours it, make test-deb-vm passes the packaged one),
# FAMFS_GUEST_APPEND (more kernel arguments), FAMFS_GUEST_CONSOLE=1 (the kernel console,
# loglevel from FAMFS_GUEST_APPEND, goes to the output too: vng --verbose).
vm_boot() {
	local tmo=$1 qopts=$2 cpus=$3 script=$4 fg=--foreground cmd con=()
	shift 4
	[ "${VM_BG:-0}" = 1 ] && fg=
	cmd="bash $script"
	[ -z "${FAMFS_GUEST_KMOD:-}" ] || cmd="FAMFS_KMOD=$FAMFS_GUEST_KMOD $cmd"
	# the cache (guest-cxl.sh runs the cxl tool from its build root)
	[ -z "${FAMFS_CACHE:-}" ] || cmd="FAMFS_CACHE=$FAMFS_CACHE $cmd"
	[ -z "${FAMFS_GUEST_CTL:-}" ] || cmd="FAMFSCTL=$FAMFS_GUEST_CTL $cmd"
	[ -z "${FAMFS_DEVKIND:-}" ] || cmd="FAMFS_DEVKIND=$FAMFS_DEVKIND $cmd"	# e2e.sh: pmem or cxl
	# the guest prints its script's status itself: on the debug kernel virtme-ng's return
	# port comes back empty (vng exits 255 after a clean run); run.sh reads this line then
	[ "${FAMFS_GUEST_CONSOLE:-0}" != 1 ] || { con=(--verbose); cmd+='; rc=$?; echo "vm: script exit $rc"; exit $rc'; }
	# boot-time coldplug narrowed to what the guest needs (tests/vm/bootbin/udevadm): 10 s
	# from power-on to the script instead of 45; FAMFS_VM_COLDPLUG=1 keeps the full one. The
	# kernel hands PATH=... to init, which puts it before its own PATH (and so does the
	# initramfs, whose busybox needs the standard directories)
	local path=
	[ "${FAMFS_VM_COLDPLUG:-0}" = 1 ] || path="PATH=$repo/tests/vm/bootbin:/usr/sbin:/usr/bin:/sbin:/bin "
	export -f vng
	timeout $fg -k 10 "$tmo" bash -c 'vng "$@"' vng --run "$vmlinux" \
		--disable-kvm --disable-microvm --force-9p --cpus "$cpus" --memory "${FAMFS_VM_MEM:-2G}" \
		--append "${path}panic_on_oops=1 softlockup_panic=1${FAMFS_GUEST_APPEND:+ $FAMFS_GUEST_APPEND}" \
		"${con[@]}" --qemu-opts="$qopts" "$@" \
		--exec "$cmd" </dev/null 2>&1
}

# vm_kernel_reports LOG: the kernel reports in a guest log that has the kernel console in
# it (FAMFS_GUEST_CONSOLE=1): KASAN, KFENCE, lockdep, BUG, WARNING, sleeping in atomic
# context, Oops, panic. Prints each report (its first line to its end marker, at most 300
# lines), headed "@@ report famfs=yes|no: FIRST-LINE"; famfs=yes when it names famfs.
vm_kernel_reports() {
	awk '
	function flush() {
		if (n) { printf "@@ report famfs=%s: %s\n", (blk ~ /famfs/ ? "yes" : "no"), first; printf "%s", blk }
		n = 0; blk = ""
	}
	/(BUG:|WARNING:|KASAN:|KFENCE:|possible [a-z ]*(locking|deadlock)|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|bad unlock balance|lock held when returning|Oops:|Kernel panic)/ && !n {
		n = 1; first = $0; blk = $0 "\n"; next
	}
	n {
		blk = blk $0 "\n"; n++
		if ($0 ~ /---\[ end (trace|Kernel panic)/ || ($0 ~ /====================/ && n > 2) || n >= 300) flush()
	}
	END { flush() }' "$1"
}
