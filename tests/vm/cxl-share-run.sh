#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cxl-share-run.sh - two 7.3 guests at once on ONE CXL backing file (share=on; vmlib.sh's
# vm_fabric_opts with FAMFS_VM_CXL=1, as multihost-run.sh and delete-run.sh use it): each
# makes a RAM region on its CXL type-3 device (tests/vm/guest-cxl.sh), one writes through
# mmap of its /dev/dax, the other reads it and writes back (tests/vm/cxl-share.sh). Then
# the host reads both patterns from the backing file at the same offsets: dax offset =
# file offset. Ends with one line:
#   cxl-share: kernel=<kver> guests=2 size=<bytes> a_sees_b=yes b_sees_a=yes file_offsets=ok ok=1
# Env: FAMFS_KERNEL_SERIES (7.3), FAMFS_DEV_SIZE (default 1G), FAMFS_VM_TIMEOUT (s, 600).
set -euo pipefail
. "$(dirname "$0")/vmlib.sh"
vm_init
export FAMFS_VM_CXL=1
size=${FAMFS_DEV_SIZE:-1G}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/famfs-cxl.XXXXXX")
share="$work/share"
mkdir "$share"
truncate -s "$size" "$work/cxl.mem"	# sparse: the memory both hosts share
qemu_opts=$(vm_fabric_opts "$size" "$work/cxl.mem")
. "$repo/tests/vm/vmpair.sh"
cleanup() {
	pair_cleanup
	[ "${FAMFS_VM_KEEP:-0}" = 1 ] || rm -f "$work/cxl.mem"
}
trap cleanup EXIT

start=$(date +%s)
for role in a b; do
	pair_start "$work" "$qemu_opts" "${FAMFS_VM_TIMEOUT:-600}" "$role" "famfs-cxl-$role" \
		"$repo/tests/vm/cxl-share.sh $role $share"
done
for role in a b; do
	wait "${pair_pid[$role]}" || true
	unset "pair_pid[$role]"
	v=$(grep -a "^cxl-share-$role: " "$work/$role.log" | tail -n1 || true)
	echo "cxl-share-run.sh: guest $role exit $(cat "$work/$role.rc" 2>/dev/null || echo '?'): ${v:-(no verdict line)}"
	# tell the other guest not to wait for this one any more
	grep -q ' ok=1$' <<<"$v" || echo "$role ended badly" >"$share/abort-harness"
done
secs=$(( $(date +%s) - start ))
va=$(grep -a '^cxl-share-a: ' "$work/a.log" | tail -n1 || true)
vb=$(grep -a '^cxl-share-b: ' "$work/b.log" | tail -n1 || true)
# the host's view: the same patterns at the same offsets of the backing file
fo=fail
if /usr/bin/python3 "$repo/tests/vm/dax_pattern.py" check "$work/cxl.mem" 0 11 &&
   /usr/bin/python3 "$repo/tests/vm/dax_pattern.py" check "$work/cxl.mem" $((64 << 20)) 22; then fo=ok; fi
ok=0
[ "$(field "$va" ok)" = 1 ] && [ "$(field "$vb" ok)" = 1 ] && [ "$fo" = ok ] && ok=1
echo "cxl-share-run.sh: guest logs $work/a.log $work/b.log (${secs}s)"
echo "cxl-share: kernel=$kver guests=2 size=$(field "$va" size) a_sees_b=$(field "$va" seen_other) b_sees_a=$(field "$vb" seen_other) file_offsets=$fo ok=$ok"
[ "$ok" = 1 ]
