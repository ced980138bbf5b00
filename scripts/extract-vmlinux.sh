#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# extract-vmlinux.sh BZIMAGE OUT - unpack the ELF vmlinux inside a bzImage (QEMU boots it
# through its PVH note ~2x faster under TCG: no emulated decompressor). Tries each
# compression's magic at every offset where it occurs and keeps the first output that is
# an ELF file.
set -euo pipefail
img=${1:?usage: extract-vmlinux.sh BZIMAGE OUT}
out=${2:?usage: extract-vmlinux.sh BZIMAGE OUT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

try() { # try MAGIC(printf escapes) GREP-PATTERN DECOMPRESSOR...
	local magic=$1 pat=$2; shift 2
	local pos
	for pos in $(LC_ALL=C grep -obUaP "$pat" "$img" | cut -d: -f1 | head -n 8); do
		tail -c +$((pos + 1)) "$img" | "$@" >"$tmp/v" 2>/dev/null || true
		if [ "$(head -c 4 "$tmp/v" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			mv "$tmp/v" "$out"
			return 0
		fi
	done
	return 1
}

try zstd '\x28\xb5\x2f\xfd' zstd -dc ||
try xz   '\xfd\x37\x7a\x58\x5a\x00' xz -dc ||
try gz   '\x1f\x8b\x08' gzip -dc ||
{ echo "extract-vmlinux: no ELF kernel found in $img" >&2; exit 1; }
