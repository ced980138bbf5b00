#!/usr/bin/env bash
# run.sh MODE - boot the Debian 6.12 kernel under QEMU TCG with virtme-ng, an emulated
# fabric-memory device (QEMU nvdimm on a sparse host file, share=on), and run
# tests/vm/MODE.sh inside. The guest sees this checkout through virtme-ng's read-only 9p
# root. Checks the guest's verdict line, not just QEMU's exit.
#
#   MODE=e2e   the end-to-end test (make test)       verdict line "e2e: ..."
#   MODE=demo  the same flow, narrated (make demo)   verdict line "e2e: ..."
#
# Cached outside the repo, keyed by kernel version: the unpacked vmlinux
# ($FAMFS_CACHE, default ~/.cache/famfs-bpf/<kver>/vmlinux). Env: FAMFS_VM_TIMEOUT (s),
# FAMFS_DEV_SIZE (default 8G), FAMFS_VM_KEEP=1 keeps the backing file.
set -euo pipefail
mode=${1:-e2e}
repo=$(cd "$(dirname "$0")/../.." && pwd)
kver=$(ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 2>/dev/null | sort -V | tail -n1 | sed 's|.*/linux-headers-||')
[ -n "$kver" ] || { echo "run.sh: no 6.12 kernel headers: run 'make setup'" >&2; exit 1; }
[ -f "/boot/vmlinuz-$kver" ] || { echo "run.sh: /boot/vmlinuz-$kver missing: run 'make setup'" >&2; exit 1; }
[ -f "$repo/tests/vm/$mode.sh" ] || { echo "run.sh: no tests/vm/$mode.sh" >&2; exit 1; }

cache=${FAMFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/famfs-bpf}/$kver
mkdir -p "$cache"
if [ ! -s "$cache/vmlinux" ] || [ "/boot/vmlinuz-$kver" -nt "$cache/vmlinux" ]; then
	echo "run.sh: unpacking /boot/vmlinuz-$kver -> $cache/vmlinux (once per kernel version)"
	bash "$repo/scripts/extract-vmlinux.sh" "/boot/vmlinuz-$kver" "$cache/vmlinux.tmp"
	mv "$cache/vmlinux.tmp" "$cache/vmlinux"
fi

vng() { # virtme-ng, from PATH or as the installed Python module
	if command -v vng >/dev/null; then command vng "$@"
	else python3 -c 'import sys; from virtme_ng.run import main; sys.exit(main())' "$@"; fi
}
size=${FAMFS_DEV_SIZE:-8G}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/famfs-vm.XXXXXX")
log="$work/guest.log"
cleanup() {
	[ "${FAMFS_VM_KEEP:-0}" = 1 ] || rm -f "$work/fabric.mem"
	echo "run.sh: guest log $log"
}
trap cleanup EXIT
truncate -s "$size" "$work/fabric.mem"	# sparse: the fabric memory both "hosts" would share

qemu_opts="-accel tcg,thread=multi -machine pc,nvdimm=on -m 2G,slots=2,maxmem=$((2 + ${size%G}))G"
qemu_opts+=" -object memory-backend-file,id=fab0,share=on,mem-path=$work/fabric.mem,size=$size,align=2M"
qemu_opts+=" -device nvdimm,id=nv0,memdev=fab0,label-size=128K"

start=$(date +%s)
set +e
export -f vng
timeout --foreground -k 10 "${FAMFS_VM_TIMEOUT:-1500}" bash -c 'vng "$@"' vng --run "$cache/vmlinux" \
	--disable-kvm --disable-microvm --force-9p --cpus 2 --memory 2G \
	--append "panic_on_oops=1 softlockup_panic=1" \
	--qemu-opts="$qemu_opts" \
	--exec "bash $repo/tests/vm/$mode.sh" </dev/null 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
secs=$(( $(date +%s) - start ))
verdict=$(grep -a -E '^e2e: files=' "$log" | tail -n1 || true)
echo "run.sh: guest exit $rc after ${secs}s"
if [ -z "$verdict" ]; then
	echo "run.sh: FAIL: no verdict line from the guest (crash, panic or timeout?)"
	exit 1
fi
if [ "$rc" != 0 ] || ! grep -q ' mismatches=0 ' <<<"$verdict"; then
	echo "run.sh: FAIL: $verdict"
	exit 1
fi
echo "run.sh: PASS ($secs s): $verdict"
