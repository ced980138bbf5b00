#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# delete-run.sh - delete and reclaim with a stale client (issue 13): two guests at once on ONE
# fabric-memory backing file, as multihost-run.sh (same pieces: vmlib.sh, mh-common.sh and
# its markers), a master (tests/vm/dl-master.sh) and a client that follows the log
# (tests/vm/dl-client.sh). Passes only on both guests' verdicts, and ends with one line:
#   delete: kernel=KVER device=pmem deleted=N revoked_on_apply=yes early_reuse=0 reused_after_ack=yes evict=ok mismatches=0
#
# Env: FAMFS_VM_TIMEOUT (s, per guest, default 1200), FAMFS_DEV_SIZE (default 2G),
# FAMFS_VM_CXL=1 (a 7.3 guest, FAMFS_KERNEL_SERIES=7.3) makes the shared backing file a CXL
# type-3 RAM device in both guests instead of an nvdimm (vmlib.sh vm_fabric_opts),
# FAMFS_VM_KEEP=1 keeps the backing file.
set -euo pipefail
. "$(dirname "$0")/vmlib.sh"
vm_init

size=${FAMFS_DEV_SIZE:-2G}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/famfs-dl.XXXXXX")
share="$work/share"
mkdir "$share"
truncate -s "$size" "$work/fabric.mem"
qemu_opts=$(vm_fabric_opts "$size" "$work/fabric.mem")	# FAMFS_VM_CXL=1: a CXL device on it
. "$repo/tests/vm/vmpair.sh"
cleanup() {
	pair_cleanup
	[ "${FAMFS_VM_KEEP:-0}" = 1 ] || rm -f "$work/fabric.mem"
}
trap cleanup EXIT
for role in master client; do
	pair_start "$work" "$qemu_opts" "${FAMFS_VM_TIMEOUT:-1200}" "$role" "famfs-dl-$role" \
		"$repo/tests/vm/dl-$role.sh $share"
done
pair_wait "$work" delete delete-run.sh
secs=$pair_secs
verdict_of() { pair_verdict "$work" delete "$1"; }
guest_ok() { pair_ok "$work" delete "$1"; }

m=$(verdict_of master)
c=$(verdict_of client)
echo "delete-run.sh: master: ${m:-(no verdict line)}"
echo "delete-run.sh: client: ${c:-(no verdict line)}"
echo "delete-run.sh: guest logs $work/master.log $work/client.log"
mm=$(field "$m" mismatches); cm=$(field "$c" mismatches)
if [[ "$mm" =~ ^[0-9]+$ && "$cm" =~ ^[0-9]+$ ]]; then mism=$((mm + cm)); else mism="?"; fi
line="delete: kernel=$kver device=${FAMFS_DEVKIND:-pmem} deleted=$(field "$m" deleted) revoked_on_apply=$(field "$c" revoked_on_apply) early_reuse=$(field "$m" early_reuse) reused_after_ack=$(field "$m" reused_after_ack) evict=$(field "$m" evict) mismatches=$mism"
if guest_ok master && guest_ok client && [ "$(field "$c" revoked_on_apply)" = yes ] &&
	[ "$(field "$m" early_reuse)" = 0 ] && [ "$(field "$m" reused_after_ack)" = yes ] &&
	[ "$(field "$m" evict)" = ok ]; then
	echo "delete-run.sh: PASS (${secs}s)"
	echo "$line"
	exit 0
fi
echo "delete-run.sh: FAIL (${secs}s)"
echo "$line"
exit 1
