#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# multihost-run.sh - two hosts, one memory: boot two guests at the same time on ONE
# fabric-memory backing file (QEMU nvdimm, share=on), a master (tests/vm/mh-master.sh) and a
# client (tests/vm/mh-client.sh), each with its own system identity. They coordinate their
# steps through marker files in a host directory both mount read-write (virtme-ng --rwdir);
# the data they share, and the hand-off ticket, live in famfs. Each guest's console goes to
# its own log (shown live here, prefixed). Passes only on both guests' verdict lines, and
# ends with one line:
#   multihost: kernel=KVER device=pmem|cxl clients=1 files_shared=N packed=P stale_catchup=ok handoff=ok apps=sqlite,rocksdb,duckdb mismatches=0
#
# Env: FAMFS_VM_TIMEOUT (s, per guest, default 1800), FAMFS_DEV_SIZE (default 8G),
# FAMFS_VM_CXL=1 (a 7.3 guest, FAMFS_KERNEL_SERIES=7.3) makes the shared backing file a CXL
# type-3 RAM device in both guests instead of an nvdimm (vmlib.sh vm_fabric_opts),
# FAMFS_VM_KEEP=1 keeps the backing file, FAMFS_DEMO=1 shows commands as typed,
# FAMFS_APPS_ROWS / FAMFS_APPS_KEYS size the applications' data (mh-apps.sh).
set -euo pipefail
. "$(dirname "$0")/vmlib.sh"
vm_init

size=${FAMFS_DEV_SIZE:-8G}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/famfs-mh.XXXXXX")
share="$work/share"
mkdir "$share"
[ "${FAMFS_DEMO:-0}" = 1 ] && : > "$share/demo"
truncate -s "$size" "$work/fabric.mem"	# sparse: the memory both hosts share
# the applications' data and the answers of its source copies, made here natively (mh-apps.sh)
# On CXL memory (I/O memory in QEMU, about 10 MB/s) a smaller data set: 30,000 flights, 20,000 keys
if [ "${FAMFS_VM_CXL:-0}" -ge 1 ] 2>/dev/null; then
	export FAMFS_APPS_ROWS=${FAMFS_APPS_ROWS:-30000} FAMFS_APPS_KEYS=${FAMFS_APPS_KEYS:-20000}
fi
( PY=/usr/bin/python3 REPO=$repo; . "$repo/tests/vm/mh-handoff.sh"; . "$repo/tests/vm/mh-apps.sh"
  apps_prepare "$share" ) > "$work/apps.log" 2>&1 ||
	{ cat "$work/apps.log"; echo "multihost-run.sh: FAIL: building the application data"; exit 1; }
qemu_opts=$(vm_fabric_opts "$size" "$work/fabric.mem")	# FAMFS_VM_CXL=1: a CXL device on it
. "$repo/tests/vm/vmpair.sh"
cleanup() {
	pair_cleanup
	[ "${FAMFS_VM_KEEP:-0}" = 1 ] || rm -f "$work/fabric.mem"
}
trap cleanup EXIT
for role in master client; do
	pair_start "$work" "$qemu_opts" "${FAMFS_VM_TIMEOUT:-1800}" "$role" "famfs-$role" \
		"$repo/tests/vm/mh-$role.sh $share"
done
pair_wait "$work" multihost multihost-run.sh
secs=$pair_secs
verdict_of() { pair_verdict "$work" multihost "$1"; }
guest_ok() { pair_ok "$work" multihost "$1"; }

m=$(verdict_of master)
c=$(verdict_of client)
echo "multihost-run.sh: master: ${m:-(no verdict line)}"
echo "multihost-run.sh: client: ${c:-(no verdict line)}"
echo "multihost-run.sh: guest logs $work/master.log $work/client.log"
echo "multihost-run.sh: both guests took ${secs}s; phases: master${m#*times:}; client${c#*times:}"
mm=$(field "$m" mismatches); cm=$(field "$c" mismatches)
if [[ "$mm" =~ ^[0-9]+$ && "$cm" =~ ^[0-9]+$ ]]; then mism=$((mm + cm)); else mism="?"; fi
handoff=fail
[ "$(field "$m" handoff)" = ok ] && [ "$(field "$c" handoff)" = ok ] && handoff=ok
line="multihost: kernel=$kver device=${FAMFS_DEVKIND:-pmem} clients=1 files_shared=$(field "$c" files_shared) packed=$(field "$c" packed) stale_catchup=$(field "$c" stale_catchup) handoff=$handoff apps=$(field "$m" apps) mismatches=$mism"
if guest_ok master && guest_ok client && [ "$handoff" = ok ] &&
	[ "$(field "$c" stale_catchup)" = ok ] && [ "$(field "$m" apps)" = sqlite,rocksdb,duckdb ]; then
	echo "multihost-run.sh: PASS (${secs}s)"
	echo "$line"
	exit 0
fi
echo "multihost-run.sh: FAIL"
echo "$line"
exit 1
