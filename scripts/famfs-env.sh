#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# famfs-env.sh - where famfs-bpf keeps what is expensive to rebuild, outside the repo (one
# definition for setup.sh, the Makefile and the VM harness). Source it for the functions, or
# run `famfs-env.sh kver|kroot|kdir|vmlinux|buildroot|kmod|libbpf-dir|libbpf-version` to print
# one value (of the FAMFS_KERNEL_SERIES kernel).
#
#   $FAMFS_CACHE (default ~/.cache/famfs-bpf)
#     kernel-<kver>/root     Debian's linux-image/-headers/-kbuild packages, unpacked
#     libbpf-<ver>/          libbpf built from Debian source, the version bpftool uses
#     buildroot-<kver>/      a trixie root (mmdebstrap) with gcc-14, pahole, that kernel's
#                            headers and cxl/daxctl/ndctl 81: builds famfs_bpf.ko for a
#                            trixie kernel, and runs the cxl tool in guests
#     apt-trixie/            the private apt configuration for trixie(-backports): packages
#                            are only downloaded or unpacked through it, never installed here
# FAMFS_KERNEL_SERIES picks the guest kernel: 6.12 (bookworm-backports, nvdimm pmem) or 7.3
# (trixie-backports, CXL and fsdev_dax; its module is build/kmod-<kver>/famfs_bpf.ko).
FAMFS_CACHE=${FAMFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/famfs-bpf}
FAMFS_KERNEL_SERIES=${FAMFS_KERNEL_SERIES:-6.12}

famfs_kernel_root() { echo "$FAMFS_CACHE/kernel-$1/root"; }
# newest unpacked guest kernel of the series, e.g. 6.12.117+deb12-amd64 ("" if none)
famfs_kernel_latest() {
	local d
	for d in "$FAMFS_CACHE"/kernel-"$FAMFS_KERNEL_SERIES".*/root/.unpacked; do
		if [ -s "$d" ]; then cat "$d"; fi
	done | sort -V | tail -n1
}
# the newest trixie-backports series setup fetches (and the suites it comes from)
famfs_new_series() { echo 7.3; }
famfs_new_suites() { echo trixie trixie-backports; }
famfs_buildroot() { echo "$FAMFS_CACHE/buildroot-$1"; }
# famfs_kmod KVER: the module built for KVER (6.12: the in-tree kbuild output kmod/)
famfs_kmod() {
	local repo; repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	case $1 in
	6.12.*) echo "$repo/kmod/famfs_bpf.ko" ;;
	*) echo "$repo/build/kmod-$1/famfs_bpf.ko" ;;
	esac
}
# famfs_trixie_apt CMD ARGS...: apt-get/apt-cache through the private trixie configuration
# (reads no host package state: Dir::State::status is empty)
famfs_trixie_apt() {
	local a=$FAMFS_CACHE/apt-trixie cmd=$1; shift
	"$cmd" -o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$a/sources" \
		-o Dir::State::Lists="$a/lists" -o Dir::Cache="$a/cache" \
		-o Dir::State::status=/dev/null "$@"
}
famfs_kdir() { echo "$(famfs_kernel_root "$1")/usr/src/linux-headers-$1"; }
famfs_vmlinux() { echo "$(famfs_kernel_root "$1")/boot/vmlinux-$1"; }
# libbpf: the version bpftool's skeleton generator was built with ("1.5" -> 1.5.x source)
famfs_libbpf_series() { bpftool version 2>/dev/null | sed -n 's/^using libbpf v\([0-9.]*\).*/\1/p'; }
famfs_libbpf_suite() { echo trixie; }	# Debian suite whose source package has that series
famfs_libbpf_version() { # Debian source version of that series, e.g. 1:1.5.0-3
	local s; s=$(famfs_libbpf_series)
	[ -n "$s" ] || return 1
	if [ -s "$FAMFS_CACHE/libbpf-$s/.version" ]; then cat "$FAMFS_CACHE/libbpf-$s/.version"; return; fi
	apt-cache -o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$FAMFS_CACHE/apt-src/sources" \
		-o Dir::State::Lists="$FAMFS_CACHE/apt-src/lists" -o Dir::Cache="$FAMFS_CACHE/apt-src/cache" \
		showsrc libbpf 2>/dev/null | sed -n 's/^Version: //p' | grep -E "^([0-9]+:)?$s\." | sort -V | tail -n1
}
famfs_libbpf_dir() { echo "$FAMFS_CACHE/libbpf-$(famfs_libbpf_series)"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	case ${1:-} in
	kver) famfs_kernel_latest ;;
	kroot) famfs_kernel_root "$(famfs_kernel_latest)" ;;
	kdir) k=$(famfs_kernel_latest); [ -n "$k" ] && famfs_kdir "$k" ;;
	vmlinux) k=$(famfs_kernel_latest); [ -n "$k" ] && famfs_vmlinux "$k" ;;
	buildroot) k=$(famfs_kernel_latest); [ -n "$k" ] && famfs_buildroot "$k" ;;
	kmod) k=$(famfs_kernel_latest); [ -n "$k" ] && famfs_kmod "$k" ;;
	libbpf-dir) famfs_libbpf_dir ;;
	libbpf-version) famfs_libbpf_version ;;
	*) echo "usage: famfs-env.sh kver|kroot|kdir|vmlinux|buildroot|kmod|libbpf-dir|libbpf-version" >&2; exit 2 ;;
	esac
fi
