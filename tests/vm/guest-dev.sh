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
# the nvdimm regions are the ones on the ACPI NFIT bus: on 7.3 with CXL memory the CXL pmem
# bridge has an nvdimm bus of its own and region numbers are shared, so region0 may not be
# ours. One region per nvdimm (QEMU does not interleave them): wait until all have come.
nfit_bus() { for b in /sys/bus/nd/devices/ndbus*; do [ "$(cat "$b/provider" 2>/dev/null)" = ACPI.NFIT ] && { basename "$b"; return; }; done; }
nfit_regions() { # nfit_regions: region names on the NFIT bus, in order
	local bus r
	bus=$(nfit_bus); [ -n "$bus" ] || return 0
	for r in /sys/bus/nd/devices/$bus/region*; do [ -e "$r" ] && basename "$r"; done | sort -V
}
for _ in $(seq 100); do
	bus=$(nfit_bus)
	if [ -n "$bus" ]; then
		dimms=$(find "/sys/bus/nd/devices/$bus/" -maxdepth 1 -name 'nmem*' | wc -l)
		[ "$dimms" -ge 1 ] && [ "$(nfit_regions | wc -l)" -ge "$dimms" ] && break
	fi
	sleep 0.1
done
mapfile -t REGIONS < <(nfit_regions)
[ ${#REGIONS[@]} -ge 1 ] || { echo "guest-dev: no nvdimm region on the ACPI NFIT bus" >&2; exit 1; }
udevadm settle 2>/dev/null || true
fsdax() { # fsdax REGION: make REGION's namespace fsdax (2 MiB aligned, struct pages in RAM)
	local r=$1 n=${1#region}
	[ "$(ndctl list -N -r "$r" 2>/dev/null | grep -c '"mode":"fsdax"')" -gt 0 ] && return 0
	echo 2097152 > "/sys/bus/nd/devices/$r/align" 2>/dev/null || true
	ndctl create-namespace --force --reconfig="namespace$n.0" --mode=fsdax --map=mem \
		--align=2M >/dev/null || { echo "guest-dev: namespace on $r failed" >&2; return 1; }
}
if [ "${1:-}" = --all ]; then	# every nvdimm region as an fsdax namespace
	for r in "${REGIONS[@]}"; do fsdax "$r" || exit 1; done
else
	fsdax "${REGIONS[0]}" || exit 1
fi
pmem_of() { # pmem_of REGION: its fsdax namespace's block device, /dev/pmemN
	local b
	b=$(ndctl list -N -r "$1" | jq -r 'if type == "array" then .[0].blockdev else .blockdev end')
	[ -n "$b" ] && [ "$b" != null ] && echo "/dev/$b"
}
dev=$(pmem_of "${REGIONS[0]}")
for _ in $(seq 50); do [ -b "$dev" ] && break; sleep 0.1; done
# FAMFS_KMOD: another build of the module (make test-debug passes one for its kernel)
grep -q '^famfs_bpf ' /proc/modules || insmod "${FAMFS_KMOD:-$here/kmod/famfs_bpf.ko}"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
if [ "${1:-}" = --all ]; then for r in "${REGIONS[@]}"; do pmem_of "$r"; done; else echo "$dev"; fi
