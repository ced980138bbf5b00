#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# deb-test.sh (make test-deb): build the Debian packages (make deb), unpack them with dpkg -x
# into a scratch root (never installed on this machine: no dpkg -i), and check
#   - there are exactly two, famfs-bpf and famfs-bpf-dkms (Depends: dkms), of famfsctl's version
#   - the unpacked famfsctl runs (--version, --help, each command's --help)
#   - its man page is there, renders without warnings, and has a section per command
#   - the DKMS source tree holds what its dkms.conf names, and the package runs dkms
#   - the module builds from that tree as DKMS would (dkms.conf's MAKE, i.e. make -C KDIR
#     M=..., in a copy of the tree), against the cached 6.12 headers, with a .BTF section
# Verdict: `deb: packages=2 famfsctl=ok man=ok dkms_build=ok`; non-zero exit on any failure.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
out=build/deb
scratch=$out/test
fails=0
fail() { echo "deb-test: FAIL: $*" >&2; fails=$((fails + 1)); }
say() { echo "deb-test: $*"; }
packages=0 famfsctl=fail man=fail dkms_build=fail
verdict() {
	echo "deb: packages=$packages famfsctl=$famfsctl man=$man dkms_build=$dkms_build"
	[ "$fails" = 0 ] && [ "$packages" = 2 ] && [ "$famfsctl" = ok ] && [ "$man" = ok ] &&
		[ "$dkms_build" = ok ]
	exit $?
}

version=$(sed -n 's/.*FAMFSCTL_VERSION[[:space:]]*"\([^"]*\)".*/\1/p' cli/cli.h)
[ -n "$version" ] || { fail "no FAMFSCTL_VERSION in cli/cli.h"; verdict; }
kdir=${KDIR:-$(bash scripts/famfs-env.sh kdir)}

# ---- build ----
make --no-print-directory deb || { fail "make deb"; verdict; }
debs=("$out"/*.deb)
packages=${#debs[@]}
deb_bin=$out/famfs-bpf_${version}_amd64.deb
deb_dkms=$out/famfs-bpf-dkms_${version}_all.deb
[ -f "$deb_bin" ] || fail "no $deb_bin (version $version from cli/cli.h; debian/changelog says $(dpkg-parsechangelog -l debian/changelog -S Version))"
[ -f "$deb_dkms" ] || fail "no $deb_dkms"
[ "$packages" = 2 ] || fail "expected 2 packages, got $packages: ${debs[*]}"
[ -f "$deb_bin" ] && [ -f "$deb_dkms" ] || verdict
grep -qw dkms <<<"$(dpkg-deb -f "$deb_dkms" Depends)" || fail "famfs-bpf-dkms does not depend on dkms"
grep -q libelf <<<"$(dpkg-deb -f "$deb_bin" Depends)" || fail "famfs-bpf: no shared-library dependencies"

rm -rf "$scratch"
mkdir -p "$scratch/root" "$scratch/ctl"
for d in "$deb_bin" "$deb_dkms"; do
	dpkg -x "$d" "$scratch/root" || fail "dpkg -x $d"
done
root=$scratch/root

# ---- famfsctl ----
bin=$root/usr/bin/famfsctl
ok=1
if [ ! -x "$bin" ]; then
	fail "no executable usr/bin/famfsctl in famfs-bpf"; ok=0
else
	v=$("$bin" --version) || { fail "famfsctl --version exits non-zero"; ok=0; }
	[ "$v" = "famfsctl $version (on-media format 1.1)" ] || [[ $v == "famfsctl $version "* ]] ||
		{ fail "famfsctl --version says '$v', not version $version"; ok=0; }
	help=$("$bin" --help) || { fail "famfsctl --help exits non-zero"; ok=0; }
	# the commands famfsctl --help lists: two-space indent, a name, blanks, a description
	cmds=$(sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' <<<"$help")
	[ "$(wc -w <<<"$cmds")" -ge 10 ] || { fail "famfsctl --help lists too few commands: $cmds"; ok=0; }
	for c in $cmds; do
		"$bin" "$c" --help >/dev/null || { fail "famfsctl $c --help exits non-zero"; ok=0; }
	done
	for s in show attach set detach list; do
		"$bin" policy "$s" --help >/dev/null || { fail "famfsctl policy $s --help exits non-zero"; ok=0; }
	done
fi
[ "$ok" = 1 ] && famfsctl=ok

# ---- the man page ----
page=$(ls "$root"/usr/share/man/man8/famfsctl.8* 2>/dev/null | head -n1)
ok=1
if [ -z "$page" ]; then
	fail "no usr/share/man/man8/famfsctl.8* in famfs-bpf"; ok=0
else
	warn=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$warn" ] || { fail "man --warnings -l $page: $warn"; ok=0; }
	text=$(MANWIDTH=80 man -l "$page" 2>/dev/null)
	for sec in NAME SYNOPSIS DESCRIPTION COMMANDS "EXIT STATUS" FILES EXAMPLES; do
		grep -q "^$sec" <<<"$text" || { fail "man page: no $sec section"; ok=0; }
	done
	for c in ${cmds:-} "policy show" "policy attach" "policy set" "policy detach" "policy list"; do
		grep -q "^   $c\( \|$\)" <<<"$text" || { fail "man page: no section for '$c'"; ok=0; }
	done
	# every long option of every command's --help (its option lines) is in the page
	if [ -x "$bin" ]; then
		for c in ${cmds:-} "policy show" "policy list"; do
			# shellcheck disable=SC2086
			for o in $("$bin" $c --help | sed -n 's/^  *\(-[^ ,]*, *\)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u); do
				[ "$o" = --help ] && continue
				grep -qF -- "$o" <<<"$text" || { fail "man page: no $o (famfsctl $c --help has it)"; ok=0; }
			done
		done
	fi
	for f in /etc/famfs/system_uuid /sys/fs/bpf/famfs; do
		grep -qF "$f" <<<"$text" || { fail "man page: does not name $f"; ok=0; }
	done
	th=$(zcat -f "$page" | sed -n 's/^\.TH .*"famfs-bpf \([^"]*\)".*/\1/p')
	[ "$th" = "$version" ] || { fail "man page .TH says version '$th', famfsctl is $version"; ok=0; }
fi
[ "$ok" = 1 ] && man=ok

# ---- the DKMS source tree, as dkms would read it ----
src=$root/usr/src/famfs-bpf-$version
conf=$src/dkms.conf
ok=1
dpkg-deb -e "$deb_dkms" "$scratch/ctl"
grep -q 'common.postinst famfs-bpf\|DKMS_NAME=famfs-bpf' "$scratch/ctl/postinst" 2>/dev/null ||
	{ fail "famfs-bpf-dkms has no postinst running dkms"; ok=0; }
if [ ! -f "$conf" ]; then
	fail "no usr/src/famfs-bpf-$version/dkms.conf in famfs-bpf-dkms"; verdict
fi
dkms_tree=$(cd "$scratch" && pwd)/dkms
# the variables dkms sets before it sources dkms.conf (dkms read_conf)
conf_vals=$(kernelver=$(cat "$kdir/include/config/kernel.release" 2>/dev/null) arch=x86_64 \
	kernel_source_dir=$kdir dkms_tree=$dkms_tree bash -c '
	. "$1" || exit 1
	printf "name=%s\nversion=%s\nmodule=%s\nlocation=%s\ndest=%s\nautoinstall=%s\n" \
		"$PACKAGE_NAME" "$PACKAGE_VERSION" "${BUILT_MODULE_NAME[0]}" \
		"${BUILT_MODULE_LOCATION[0]}" "${DEST_MODULE_LOCATION[0]}" "$AUTOINSTALL"
	printf "make=%s\n" "${MAKE[0]}"' sh "$conf")
val() { sed -n "s/^$1=//p" <<<"$conf_vals"; }
[ "$(val name)" = famfs-bpf ] || { fail "dkms.conf: PACKAGE_NAME '$(val name)'"; ok=0; }
[ "$(val version)" = "$version" ] || { fail "dkms.conf: PACKAGE_VERSION '$(val version)', not $version"; ok=0; }
[ "$(val module)" = famfs_bpf ] || { fail "dkms.conf: BUILT_MODULE_NAME '$(val module)'"; ok=0; }
[ "$(val dest)" = /updates/dkms ] || { fail "dkms.conf: DEST_MODULE_LOCATION '$(val dest)'"; ok=0; }
[ "$(val autoinstall)" = yes ] || { fail "dkms.conf: AUTOINSTALL '$(val autoinstall)'"; ok=0; }
loc=$(val location)
[ -f "$src/$loc/Kbuild" ] || { fail "dkms.conf: BUILT_MODULE_LOCATION '$loc' has no Kbuild in the package"; ok=0; }
# every object the Kbuild names has its .c, and every header the module includes is there
for o in $(sed -n 's/^famfs_bpf-y[[:space:]]*:=//p' "$src/$loc/Kbuild"); do
	[ -f "$src/$loc/${o%.o}.c" ] || { fail "DKMS tree: no $loc${o%.o}.c (Kbuild names $o)"; ok=0; }
done
for h in $(cat "$src/$loc"/*.c "$src/$loc"/*.h | sed -n 's/^#include[[:space:]]*"\([^"]*\)".*/\1/p' | sort -u); do
	[ -f "$src/$loc/$h" ] || [ -f "$src/include/$h" ] || { fail "DKMS tree: no $h (included by the module)"; ok=0; }
done

# ---- build the module from the unpacked tree, as dkms build does ----
if [ ! -f "$kdir/Makefile" ]; then
	fail "no kernel headers at KDIR='$kdir' (run make setup)"; ok=0
elif [ "$ok" = 1 ]; then
	build=$dkms_tree/famfs-bpf/$version/build
	rm -rf "$dkms_tree"; mkdir -p "$build"
	cp -a "$src/." "$build/"
	make_cmd=$(val make)
	say "building the module from the DKMS tree: $make_cmd"
	if ! (cd "$build" && eval "$make_cmd -j2") >"$scratch/dkms-build.log" 2>&1; then
		tail -n 20 "$scratch/dkms-build.log" >&2
		fail "module build from the DKMS tree (log: $scratch/dkms-build.log)"; ok=0
	else
		ko=$build/$loc/famfs_bpf.ko
		if [ ! -f "$ko" ]; then
			fail "no $loc/famfs_bpf.ko after the DKMS build"; ok=0
		elif ! grep -q ' \.BTF ' <<<"$(readelf -S "$ko")"; then
			fail "$ko has no .BTF section (pahole? vmlinux in KDIR?)"; ok=0
		fi
		if grep -qi 'skipping btf\|warning' "$scratch/dkms-build.log"; then
			fail "DKMS build warnings: $(grep -i 'skipping btf\|warning' "$scratch/dkms-build.log" | head -n3)"; ok=0
		fi
	fi
fi
[ "$ok" = 1 ] && dkms_build=ok

verdict
