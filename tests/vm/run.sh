#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run.sh MODE - boot the Debian 6.12 kernel under QEMU TCG with virtme-ng, an emulated
# fabric-memory device (QEMU nvdimm on a sparse host file, share=on), and run
# tests/vm/MODE.sh inside. The guest sees this checkout through virtme-ng's read-only 9p
# root. Checks the guest's verdict line, not just QEMU's exit.
#
#   MODE=e2e   the end-to-end test (make test)       verdict line "e2e: ..."
#   MODE=demo  the same flow, narrated (make demo)   verdict line "e2e: ..."
#   MODE=interleave  several devices, interleaved files, policy swaps under load
#              (FAMFS_VM_DEVICES=5)                   verdict line "interleave: ..."
#   MODE=experiment  the policy experiment table (FAMFS_VM_DEVICES=3)  "experiment: ..."
#   MODE=arbiter  hostile policies, revocation, a cloned device (FAMFS_VM_DEVICES=4)
#              verdict lines "hostile: ...", "revoke: ...", "clone: ...", "memfail: ...", "arbiter: ..."
#   MODE=cxl-smoke  CXL memory devices on the 7.3 kernel (FAMFS_KERNEL_SERIES=7.3
#              FAMFS_VM_CXL=N): regions made, devdax devices mapped   verdict line "cxl: ..."
#   (two guests on one device: tests/vm/multihost-run.sh; on CXL: tests/vm/cxl-share-run.sh)
#
# Cached outside the repo, keyed by kernel version: the unpacked vmlinux
# ($FAMFS_CACHE, default ~/.cache/famfs-bpf/<kver>/vmlinux). Env: FAMFS_VM_TIMEOUT (s),
# FAMFS_DEV_SIZE (default 8G, per device), FAMFS_VM_DEVICES (default 1: that many nvdimms,
# each on its own sparse backing file; default 0 when FAMFS_VM_CXL is given),
# FAMFS_VM_CXL=N (N CXL type-3 RAM devices, each on its own sparse backing file of
# FAMFS_DEV_SIZE; a 7.3 guest: FAMFS_KERNEL_SERIES=7.3; tests/vm/guest-cxl.sh makes their
# regions), FAMFS_VM_CXL_FILES="F..." (those existing files as the CXL devices instead, e.g.
# one that another guest uses too), FAMFS_KERNEL_SERIES (6.12 or 7.3), FAMFS_VM_KEEP=1 keeps
# the backing files.
set -euo pipefail
mode=${1:-e2e}
. "$(dirname "$0")/vmlib.sh"
vm_init
[ -f "$repo/tests/vm/$mode.sh" ] || { echo "run.sh: no tests/vm/$mode.sh" >&2; exit 1; }

size=${FAMFS_DEV_SIZE:-8G}
ncxl=${FAMFS_VM_CXL:-0}
[[ "$ncxl" =~ ^[0-9]+$ ]] || { echo "run.sh: FAMFS_VM_CXL must be a count, not '$ncxl'" >&2; exit 1; }
read -r -a cxl_given <<<"${FAMFS_VM_CXL_FILES:-}"
[ ${#cxl_given[@]} -eq 0 ] || ncxl=${#cxl_given[@]}
ndev=${FAMFS_VM_DEVICES:-$([ "$ncxl" -gt 0 ] && echo 0 || echo 1)}
[[ "$ndev" =~ ^[0-9]+$ ]] && [ $((ndev + ncxl)) -ge 1 ] ||
	{ echo "run.sh: FAMFS_VM_DEVICES must be a count (>= 1 without FAMFS_VM_CXL), not '$ndev'" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/var/tmp}/famfs-vm.XXXXXX")
log="$work/guest.log"
files=()
for i in $(seq 0 $((ndev - 1))); do
	f="$work/fabric.mem"; [ "$i" = 0 ] || f="$work/fabric$i.mem"
	files+=("$f")
done
cxl_files=()
if [ ${#cxl_given[@]} -gt 0 ]; then
	for f in "${cxl_given[@]}"; do
		[ -f "$f" ] || { echo "run.sh: FAMFS_VM_CXL_FILES: no file '$f'" >&2; exit 1; }
		cxl_files+=("$f")
	done
else
	for i in $(seq 0 $((ncxl - 1))); do cxl_files+=("$work/cxl$i.mem"); done
fi
cleanup() {
	[ "${FAMFS_VM_KEEP:-0}" = 1 ] || rm -f "${files[@]}"
	[ "${FAMFS_VM_KEEP:-0}" = 1 ] || [ ${#cxl_given[@]} -gt 0 ] || rm -f "${cxl_files[@]}"
	echo "run.sh: guest log $log"
}
trap cleanup EXIT
for f in "${files[@]}"; do
	truncate -s "$size" "$f"	# sparse: the fabric memory all "hosts" would share
done
[ ${#cxl_given[@]} -gt 0 ] || for f in "${cxl_files[@]}"; do truncate -s "$size" "$f"; done
if [ "$ncxl" -gt 0 ]; then
	qemu_opts=$(vm_qemu_opts "$size" "${files[@]}" -- "${cxl_files[@]}")
else
	qemu_opts=$(vm_qemu_opts "$size" "${files[@]}")
fi

start=$(date +%s)
set +e
vm_boot "${FAMFS_VM_TIMEOUT:-1500}" "$qemu_opts" 2 "$repo/tests/vm/$mode.sh" | tee "$log"
rc=${PIPESTATUS[0]}
set -e
secs=$(( $(date +%s) - start ))
case $mode in
demo) tags=e2e ;;
arbiter) tags="stale hostile revoke clone memfail arbiter" ;;
cxl-*) tags=cxl ;;
*) tags=$mode ;;
esac
if [ "$rc" = 255 ] && [ "${FAMFS_GUEST_CONSOLE:-0}" = 1 ]; then	# see vm_boot
	st=$(grep -a -o -E '^vm: script exit [0-9]+' "$log" | tail -n1 | grep -o -E '[0-9]+$' || true)
	[ -z "$st" ] || { echo "run.sh: vng exit 255, the guest script's own exit status: $st"; rc=$st; }
fi
echo "run.sh: guest exit $rc after ${secs}s"
# with the kernel console in the log (FAMFS_GUEST_CONSOLE=1, make test-debug): any kernel
# report naming famfs (KASAN, lockdep, BUG, WARNING, sleeping in atomic) fails the run
if [ "${FAMFS_GUEST_CONSOLE:-0}" = 1 ]; then
	vm_kernel_reports "$log" >"$work/reports.txt"
	if grep -q '^@@ report famfs=yes' "$work/reports.txt"; then
		cat "$work/reports.txt"
		echo "run.sh: FAIL: kernel report naming famfs (all reports: $work/reports.txt)"
		exit 1
	fi
	nrep=$(grep -c '^@@ report' "$work/reports.txt" || true)
	echo "run.sh: kernel reports naming famfs: 0; others: $nrep ($work/reports.txt)"
fi
verdicts=
for tag in $tags; do
	verdict=$(grep -a -E "^$tag: [a-z_]+=" "$log" | tail -n1 || true)
	if [ -z "$verdict" ]; then
		echo "run.sh: FAIL: no '$tag:' verdict line from the guest (crash, panic or timeout?)"
		exit 1
	fi
	if grep -q ' mismatches=' <<<"$verdict" && ! grep -q ' mismatches=0\b' <<<"$verdict"; then
		echo "run.sh: FAIL: $verdict"
		exit 1
	fi
	verdicts+="$verdict; "
done
if [ "$rc" != 0 ]; then
	echo "run.sh: FAIL (guest exit $rc): ${verdicts%; }"
	exit 1
fi
echo "run.sh: PASS ($secs s): ${verdicts%; }"
