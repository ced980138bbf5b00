# vmlib.sh - sourced by the host-side VM harnesses (run.sh, multihost-run.sh): find the 6.12
# guest kernel and its unpacked vmlinux, build QEMU's emulated fabric-memory options, and
# boot one guest with virtme-ng (QEMU TCG, host root read-only over 9p).
#
# After vm_init: $repo, $kver, $vmlinux (the unpacked guest kernel). Guest kernels live in
# the cache (scripts/famfs-env.sh): setup downloads Debian's kernel package and unpacks it
# there, never on the host's /boot. virtme-ng finds the guest's modules beside the image
# ($FAMFS_CACHE/kernel-<kver>/root/lib/modules/<kver>) and links them into the guest.

vm_init() {
	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	. "$repo/scripts/famfs-env.sh"
	kver=$(famfs_kernel_latest)
	[ -n "$kver" ] || { echo "vm: no guest kernel in $FAMFS_CACHE: run 'make setup'" >&2; return 1; }
	vmlinux=$(famfs_vmlinux "$kver")
	[ -s "$vmlinux" ] || { echo "vm: $vmlinux missing: run 'make setup'" >&2; return 1; }
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

# vm_qemu_opts SIZE FILE...: QEMU options for one nvdimm per FILE (each SIZE, shared
# MAP_SHARED with every other QEMU on the same file, 128K label area in the file).
vm_qemu_opts() {
	local size=$1 gib i=0 f opts
	shift
	gib=$(vm_size_gib "$size") || return 1
	opts="-accel tcg,thread=multi -machine pc,nvdimm=on"
	opts+=" -m 2G,slots=$(($# + 1)),maxmem=$((2 + gib * $#))G"
	for f in "$@"; do
		opts+=" -object memory-backend-file,id=fab$i,share=on,mem-path=$f,size=$size,align=2M"
		opts+=" -device nvdimm,id=nv$i,memdev=fab$i,label-size=128K"
		i=$((i + 1))
	done
	echo "$opts"
}

# vm_boot TIMEOUT QEMU_OPTS CPUS SCRIPT [VNG_ARG...]: boot a guest that runs `bash SCRIPT`;
# its console goes to stdout. Returns vng's (or timeout's) exit status. With VM_BG=1 (a
# guest started in the background) the timeout signals the whole process group, QEMU
# included, instead of running in the terminal's foreground.
vm_boot() {
	local tmo=$1 qopts=$2 cpus=$3 script=$4 fg=--foreground
	shift 4
	[ "${VM_BG:-0}" = 1 ] && fg=
	export -f vng
	timeout $fg -k 10 "$tmo" bash -c 'vng "$@"' vng --run "$vmlinux" \
		--disable-kvm --disable-microvm --force-9p --cpus "$cpus" --memory 2G \
		--append "panic_on_oops=1 softlockup_panic=1" \
		--qemu-opts="$qopts" "$@" \
		--exec "bash $script" </dev/null 2>&1
}
