#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# guest-cxl.sh - in a 7.3 guest with CXL type-3 RAM devices (run.sh with FAMFS_VM_CXL=N):
# load the CXL and dax drivers, make one RAM region per memory device with trixie's cxl tool
# (cxl-cli 81: bookworm's 76 cannot make RAM regions), run from the build root setup made
# for this kernel (the guest root is the host's, read-only over 9p), wait for each region's
# dax device, leave it in devdax mode (device_dax), load famfs_bpf.ko (FAMFS_KMOD) and mount
# bpffs. Prints the dax device paths, one a line, in memdev order (like guest-dev.sh prints
# pmem devices). Idempotent: a memdev that already has a region keeps it. With --destroy
# DAXDEV: take that device's region down instead (below).
# Progress and errors go to stderr; exit 1 naming what failed.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
: "${HOME:=/root}"	# famfs-env.sh finds the cache from it when FAMFS_CACHE is not given
. "$here/scripts/famfs-env.sh"
err() { echo "guest-cxl: $*" >&2; exit 1; }
up() { cut -d' ' -f1 /proc/uptime; }

kver=$(uname -r)
broot=$(famfs_buildroot "$kver")
[ -x "$broot/usr/bin/cxl" ] || err "no cxl tool in $broot (the build root for $kver: make setup)"
# the host's modprobe.d has ndctl's install hook for libnvdimm (ndctl load-keys), which breaks
# cxl_acpi here: no configuration at all (-C /dev/null)
# never kmem: udev would load it for a CXL RAM region's dax device and online the memory as
# System RAM (the guest's /etc is a scratch overlay)
[ -e /etc/modprobe.d/famfs-no-kmem.conf ] || echo 'install kmem /bin/false' >/etc/modprobe.d/famfs-no-kmem.conf 2>/dev/null || true
for m in cxl_acpi cxl_pci cxl_mem dax_cxl device_dax fsdev_dax; do
	modprobe -C /dev/null "$m" || err "modprobe $m failed"
done

# cxl runs in the build root: its own libraries, this guest's /sys, /dev, /proc
for d in sys dev proc; do
	mountpoint -q "$broot/$d" || mount --bind "/$d" "$broot/$d" || err "cannot bind /$d into $broot"
done
cxl() { chroot "$broot" /usr/bin/cxl "$@"; }

# region_of MEMDEV: the region MEMDEV's endpoint decoder is in ("" if none). The endpoint
# port sits under its parent port; its uport link names the memdev.
region_of() {
	local ep f
	for ep in /sys/bus/cxl/devices/endpoint*; do
		[ "$(basename "$(readlink -f "$ep/uport")")" = "$1" ] || continue
		for f in "$ep"/decoder*/region; do
			[ -r "$f" ] && grep -m1 '^region' "$f" && return 0
		done
	done
	return 0
}
# dax_of MEMDEV: the dax device of MEMDEV's RAM region ("" if none): the one whose sysfs path
# runs through that region (.../regionN/dax_regionN/daxN.M)
dax_of() {
	local r d
	r=$(region_of "$1")
	[ -n "$r" ] || return 0
	for d in /sys/bus/dax/devices/dax*; do
		[ -e "$d" ] || continue
		case $(readlink -f "$d") in */"$r"/*) basename "$d"; return 0 ;; esac
	done
}
diag() { # what the CXL and dax buses hold, for a failure message
	{
		echo "guest-cxl: at $(up)s: memdevs/regions/decoders: $(cd /sys/bus/cxl/devices && ls | tr '\n' ' ')"
		for f in /sys/bus/cxl/devices/endpoint*/decoder*/region; do echo "  $f: $(cat "$f" 2>/dev/null) (uport $(basename "$(readlink -f "${f%/decoder*}/uport")"))"; done
		for d in /sys/bus/dax/devices/*; do [ -e "$d" ] && echo "  dax: $(readlink -f "$d")"; done
		cxl list -RXMu 2>&1 | head -n 60
		dmesg | grep -i -E 'cxl|dax|region' | tail -n 30
	} >&2
}

# guest-cxl.sh --destroy /dev/daxN.M: take that dax device's region down (cxl disable-region,
# destroy-region), so the device is gone as if the region had never been made on this boot;
# a later guest-cxl.sh makes it again (the memory, and so any file system on it, stays)
if [ "${1:-}" = --destroy ]; then
	d=${2:-}; d=${d#/dev/}
	r=$(readlink -f "/sys/bus/dax/devices/$d" 2>/dev/null | grep -o -m1 'region[0-9]*' | head -n1 || true)
	[ -n "$r" ] || err "--destroy: '${2:-}' is not the dax device of a CXL region"
	cxl disable-region "$r" >&2 && cxl destroy-region "$r" >&2 || err "cannot take $r ($d) down"
	echo "guest-cxl: at $(up)s: $r ($d) destroyed" >&2
	exit 0
fi

# as many memdevs as CXL memory-device PCI functions (class 0x0502xx): wait for them all
want=$(grep -l '^0x0502' /sys/bus/pci/devices/*/class 2>/dev/null | wc -l)
[ "$want" -ge 1 ] || err "no CXL memory device on the PCI bus (QEMU cxl-type3)"
for _ in $(seq 100); do
	n=$(find /sys/bus/cxl/devices -maxdepth 1 -name 'mem*' 2>/dev/null | wc -l)
	[ "$n" -ge "$want" ] && break
	sleep 0.1
done
[ "$n" -ge "$want" ] || { diag; err "$n of $want CXL memdevs appeared (cxl_pci/cxl_mem)"; }
echo "guest-cxl: at $(up)s: $n memdevs" >&2


devs=()
for md in $(cd /sys/bus/cxl/devices && ls -d mem* | sort -V); do
	if [ -z "$(dax_of "$md")" ]; then
		# the root decoder that reaches this memdev: try each (one per fixed memory window)
		ok=
		for rd in $(cxl list -D -d root | jq -r '.[].decoder' | sort -V); do
			if cxl create-region -t ram -d "$rd" -w 1 -m "$md" >/tmp/guest-cxl.out 2>&1; then ok=$rd; break; fi
		done
		echo "guest-cxl: at $(up)s: $md: region $(region_of "$md") on ${ok:-no root decoder}" >&2
		[ -n "$ok" ] || { cat /tmp/guest-cxl.out >&2; diag; err "cxl create-region -t ram -m $md failed on every root decoder"; }
	fi
	dax=	# under TCG the region's struct pages take a while: up to 120 s
	for _ in $(seq 600); do
		dax=$(dax_of "$md")
		[ -n "$dax" ] && break
		sleep 0.2
	done
	echo "guest-cxl: at $(up)s: $md: $dax" >&2
	[ -n "$dax" ] || { diag; err "no dax device for $md's region $(region_of "$md") (dax_cxl)"; }
	# devdax mode: bind to device_dax unless it is already (famfsctl switches to fsdev_dax)
	drv=$(basename "$(readlink "/sys/bus/dax/devices/$dax/driver" 2>/dev/null)" 2>/dev/null || true)
	case $drv in
	device_dax | fsdev_dax) ;;
	"") echo "$dax" >/sys/bus/dax/drivers/device_dax/new_id 2>/dev/null ||
		echo "$dax" >/sys/bus/dax/drivers/device_dax/bind || err "cannot bind $dax to device_dax"
	    drv="device_dax, bound here" ;;
	*) err "$dax is bound to $drv, not device_dax (kmem would online it as system RAM)" ;;
	esac
	for _ in $(seq 300); do [ -c "/dev/$dax" ] && break; sleep 0.2; done
	[ -c "/dev/$dax" ] || [ "$drv" = fsdev_dax ] || err "/dev/$dax did not appear ($drv)"
	echo "guest-cxl: $md -> $dax ($(cat "/sys/bus/dax/devices/$dax/size") bytes, align $(cat "/sys/bus/dax/devices/$dax/align"), $drv)" >&2
	devs+=("/dev/$dax")
done

grep -q '^famfs_bpf ' /proc/modules || insmod "${FAMFS_KMOD:-$(famfs_kmod "$kver")}"
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
printf '%s\n' "${devs[@]}"
