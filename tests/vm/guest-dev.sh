#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# guest-dev.sh - in a guest: bring up the emulated fabric-memory device as an fsdax pmem
# namespace (struct pages in guest RAM: --map=mem, so shared memory holds only data), load
# famfs_bpf.ko, mount bpffs. Prints the pmem device path on stdout; with --all, makes every
# nvdimm region an fsdax namespace and prints every pmem device, one a line. Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
modprobe nfit
modprobe nd_pmem
modprobe dax_pmem 2>/dev/null || true
for i in $(seq 50); do [ -e /sys/bus/nd/devices/region0 ] && break; sleep 0.1; done
ns=$(ndctl list -N -r region0 2>/dev/null | grep -o '"mode":"[a-z]*"' | head -n1 || true)
if [ "$ns" != '"mode":"fsdax"' ]; then
	echo 2097152 > /sys/bus/nd/devices/region0/align 2>/dev/null || true
	ndctl create-namespace --force --reconfig=namespace0.0 --mode=fsdax --map=mem --align=2M >/dev/null
fi
if [ "${1:-}" = --all ]; then	# every nvdimm region as an fsdax namespace
	for r in /sys/bus/nd/devices/region*; do
		n=${r##*region}
		[ "$(ndctl list -N -r "region$n" | grep -c '"mode":"fsdax"')" -gt 0 ] && continue
		echo 2097152 > "$r/align" 2>/dev/null || true
		ndctl create-namespace --force --reconfig="namespace$n.0" --mode=fsdax --map=mem \
			--align=2M >/dev/null || { echo "guest-dev: namespace on region$n failed" >&2; exit 1; }
	done
fi
dev=$(ls /dev/pmem* | sort -V | head -n1)
# FAMFS_KMOD: another build of the module (make test-debug passes one for its kernel)
grep -q '^famfs_bpf ' /proc/modules || insmod "${FAMFS_KMOD:-$here/kmod/famfs_bpf.ko}"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
if [ "${1:-}" = --all ]; then ls /dev/pmem* | sort -V; else echo "$dev"; fi
