#!/usr/bin/env bash
# build-debug-kernel.sh - the debug guest kernel for `make test-debug`, and famfs_bpf.ko
# built against it. Idempotent: the kernel is built once per version and config fragment
# and reused; the module is rebuilt (incrementally) from this checkout each run.
#
# Debian's linux-source-6.12 package of the guest kernel's upstream version (the
# bookworm(-backports/-security) one matching $(famfs-env.sh kver), else the nearest
# older one available) is fetched with `apt-get download` (never installed) and built
# with allnoconfig + scripts/debug-kernel.config: everything built in, KASAN (generic,
# inline), KFENCE, PROVE_LOCKING, DEBUG_ATOMIC_SLEEP, module BTF. Every value the
# fragment asks for is checked in the final .config.
#
#   $FAMFS_CACHE/debug-<version>/
#     src/                            the build tree (in-tree build: KDIR for the module)
#     root/boot/vmlinux-<release>     the ELF vmlinux the guest boots (PVH entry)
#     root/lib/modules/<release>/     modules.builtin etc. (guest modprobe of built-ins)
#     kmod-build/{kmod,include}/      copies of this checkout's kmod/ and include/
#     kmod-build/kmod/famfs_bpf.ko    the module for this kernel
#     build-time                      CPU and wall time of the kernel build
#     .built                          stamp: version, fragment sha256, release
#
# Prints shell assignments on stdout (FAMFS_DEBUG_VMLINUX=..., FAMFS_DEBUG_KMOD=...,
# FAMFS_DEBUG_KDIR=...); progress goes to stderr, the full build log to
# $FAMFS_CACHE/debug-<version>/build.log. Env: FAMFS_DEBUG_JOBS (default 2; the build runs
# under nice -n 10).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/famfs-env.sh"
say() { echo "build-debug-kernel: $*" >&2; }
die() { echo "build-debug-kernel: $*" >&2; exit 1; }

frag=$here/debug-kernel.config
jobs=${FAMFS_DEBUG_JOBS:-2}
kver=$(famfs_kernel_latest)		# e.g. 6.12.117+deb12-amd64
[ -n "$kver" ] || die "no guest kernel in $FAMFS_CACHE: run 'make setup'"
want=${kver%%+*}			# 6.12.117
series=${want%.*}			# 6.12

# the linux-source package version to use: exactly $want if available, else the nearest
# older, else the nearest newer (apt-cache madison lists every suite apt knows)
pick_source() {
	local vs v
	vs=$(apt-cache madison "linux-source-$series" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -uV)
	[ -n "$vs" ] || return 1
	v=$(grep -E "^$want-" <<<"$vs" | tail -n1)
	[ -n "$v" ] || v=$( (echo "$want-~"; echo "$vs") | sort -V | sed -n "/^$want-~\$/q;p" | tail -n1)
	[ -n "$v" ] || v=$(head -n1 <<<"$vs")
	echo "$v"
}

fragsum=$(sha256sum "$frag" | cut -c1-16)
# a finished build of any source version for this guest kernel is reused as is
dir=
for d in "$FAMFS_CACHE"/debug-"$series".*; do
	[ -s "$d/.built" ] && grep -q "^guest=$kver\$" "$d/.built" && dir=$d
done
if [ -z "$dir" ]; then
	srcver=$(pick_source) || die "no linux-source-$series package known to apt (apt-get update?)"
	upver=${srcver%%-*}
	dir=$FAMFS_CACHE/debug-$upver
fi
src=$dir/src
LOG=$dir/build.log
mkdir -p "$dir"

stamp_ok() {
	[ -s "$dir/.built" ] && grep -q "^fragment=$fragsum\$" "$dir/.built" &&
		[ -s "$src/vmlinux" ] && [ -s "$src/arch/x86/boot/bzImage" ]
}

# ---- host build tools (Debian packages; the kernel build needs them) ----
need=
for t in flex:flex bison:bison bc:bc pahole:pahole; do
	command -v "${t%%:*}" >/dev/null || need+=" ${t#*:}"
done
[ -e /usr/include/openssl/ssl.h ] || need+=" libssl-dev"
[ -e /usr/include/libelf.h ] || need+=" libelf-dev"
if [ -n "$need" ]; then
	[ "$(id -u)" = 0 ] || die "missing build tools:$need (install them, or run as root)"
	say "installing:$need"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need >>"$LOG" 2>&1 ||
		die "apt-get install$need failed (see $LOG)"
fi

if ! stamp_ok; then
	# ---- the source: Debian's linux-source package, downloaded and unpacked ----
	if [ ! -s "$src/Makefile" ]; then
		: "${srcver:=$(pick_source)}"
		say "fetching linux-source-$series=$srcver into $dir"
		rm -rf "$dir/debs" "$src.tmp"; mkdir -p "$dir/debs" "$src.tmp"
		(cd "$dir/debs" && apt-get download "linux-source-$series=$srcver") >>"$LOG" 2>&1 ||
			die "apt-get download linux-source-$series=$srcver failed (see $LOG)"
		dpkg-deb --fsys-tarfile "$dir"/debs/*.deb | tar -xO "./usr/src/linux-source-$series.tar.xz" |
			tar -xJ -C "$src.tmp" --strip-components=1
		rm -rf "$dir/debs" "$src"; mv "$src.tmp" "$src"
		echo "$srcver" >"$dir/source-version"
	fi
	# ---- config: allnoconfig + the fragment; check that every value stuck ----
	say "configuring ($(basename "$frag"))"
	cfg=$dir/config.new
	rm -f "$cfg"
	(cd "$src" && KCONFIG_CONFIG="$cfg" scripts/kconfig/merge_config.sh -n "$frag") >>"$LOG" 2>&1 ||
		die "merge_config failed (see $LOG)"
	bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) grep -qxF "$line" "$cfg" || { say "config: wanted $line, got '$(grep -E "^(# )?${line%%=*}[= ]" "$cfg" || true)'"; bad=1; } ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}
			! grep -q "^$sym=" "$cfg" || { say "config: wanted $sym off, got $(grep "^$sym=" "$cfg")"; bad=1; } ;;
		esac
	done <"$frag"
	[ "$bad" = 0 ] || die "the config fragment did not stick (dependencies?): fix $frag"
	# replace .config only when it changed, so an unchanged config rebuilds nothing
	cmp -s "$cfg" "$src/.config" || cp "$cfg" "$src/.config"
	rm -f "$cfg"

	# ---- build ----
	say "building the kernel in $src (nice -n 10 make -j$jobs; log $LOG)"
	/usr/bin/time -f "%e %U %S" -o "$dir/time.raw" \
		nice -n 10 make -C "$src" -j"$jobs" all >>"$LOG" 2>&1 ||
		{ tail -n 30 "$LOG" >&2; die "kernel build failed (see $LOG)"; }
	read -r wall user sys <"$dir/time.raw"
	printf 'kernel build %s (%s): wall %ss, cpu %ss (user %s + sys %s), %s jobs, finished %s\n' \
		"$(cat "$dir/source-version" 2>/dev/null)" "$(date -u +%F)" "$wall" \
		"$(echo "$user + $sys" | bc)" "$user" "$sys" "$jobs" "$(date -u +%T)" >>"$dir/build-time"
	say "$(tail -n1 "$dir/build-time")"
	rel=$(make -s -C "$src" kernelrelease)
	rm -rf "$dir/root"
	make -C "$src" INSTALL_MOD_PATH="$dir/root" modules_install >>"$LOG" 2>&1 ||
		die "modules_install failed (see $LOG)"
	mkdir -p "$dir/root/boot"
	ln -f "$src/vmlinux" "$dir/root/boot/vmlinux-$rel"
	printf 'guest=%s\nfragment=%s\nrelease=%s\n' "$kver" "$fragsum" "$rel" >"$dir/.built"
else
	say "kernel: cached in $dir ($(sed -n 's/^release=//p' "$dir/.built"); not rebuilt)"
fi
rel=$(sed -n 's/^release=//p' "$dir/.built")
vmlinux=$dir/root/boot/vmlinux-$rel
[ -s "$vmlinux" ] || die "$vmlinux missing (remove $dir/.built to rebuild)"

# ---- famfs_bpf.ko for this kernel, from copies of this checkout's kmod/ and include/ ----
kb=$dir/kmod-build
mkdir -p "$kb/kmod" "$kb/include"
# cp -p keeps timestamps, so kbuild recompiles only what changed
for f in "$repo"/kmod/*.c "$repo"/kmod/*.h "$repo"/kmod/Kbuild; do
	[ -e "$f" ] && { cmp -s "$f" "$kb/kmod/${f##*/}" || cp -p "$f" "$kb/kmod/"; }
done
for f in "$repo"/include/*.h; do
	cmp -s "$f" "$kb/include/${f##*/}" || cp -p "$f" "$kb/include/"
done
say "building famfs_bpf.ko against $src"
nice -n 10 make -C "$src" M="$kb/kmod" -j"$jobs" modules >>"$LOG" 2>&1 ||
	{ tail -n 30 "$LOG" >&2; die "module build failed (see $LOG)"; }
ko=$kb/kmod/famfs_bpf.ko
readelf -S "$ko" | grep -q '\.BTF' || die "$ko has no .BTF section (module BTF is needed)"

echo "FAMFS_DEBUG_KDIR=$src"
echo "FAMFS_DEBUG_VMLINUX=$vmlinux"
echo "FAMFS_DEBUG_KMOD=$ko"
