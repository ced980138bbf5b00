#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# in-buildroot.sh KVER CMD [ARG...] - run CMD in the trixie build root setup made for kernel
# KVER ($FAMFS_CACHE/buildroot-<kver>: its headers, gcc-14, pahole, cxl/daxctl/ndctl), with
# this checkout bind-mounted at its own path (so paths in kbuild's output read the same
# inside and out) and /proc, /sys, /dev from the host. The mounts live in a private mount
# namespace of their own and end with CMD. Root. Exit status: CMD's.
set -euo pipefail
kver=${1:?usage: in-buildroot.sh KVER CMD [ARG...]}
shift
[ $# -gt 0 ] || { echo "usage: in-buildroot.sh KVER CMD [ARG...]" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/famfs-env.sh"
broot=$(famfs_buildroot "$kver")
[ -s "$broot/.ready" ] || { echo "in-buildroot: no build root for $kver at $broot: run 'make setup'" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "in-buildroot: must run as root (chroot)" >&2; exit 1; }
mkdir -p "$broot$repo"
# shellcheck disable=SC2016
exec unshare --mount --propagation private -- bash -c '
	set -e
	broot=$1 repo=$2; shift 2
	mount --bind "$repo" "$broot$repo"
	mount --rbind /dev "$broot/dev"
	mount -t proc proc "$broot/proc"
	mount --rbind /sys "$broot/sys"
	cd "$broot$repo"
	exec chroot "$broot" /usr/bin/env -C "$repo" PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"
' in-buildroot "$broot" "$repo" "$@"
