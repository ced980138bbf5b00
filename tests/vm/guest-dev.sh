#!/bin/bash
# guest-dev.sh - in a guest: bring up the emulated fabric-memory device as an fsdax pmem
# namespace (struct pages in guest RAM: --map=mem, so shared memory holds only data), load
# famfs_bpf.ko, mount bpffs. Prints the pmem device path on stdout. Idempotent.
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
dev=$(ls /dev/pmem* | head -n1)
grep -q '^famfs_bpf ' /proc/modules || insmod "$here/kmod/famfs_bpf.ko"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
echo "$dev"
