#!/usr/bin/env bash
# test-debug.sh - make test-debug: the e2e, interleave and arbiter VM tests on a debug
# kernel (KASAN, KFENCE, lockdep, atomic-sleep checks, module BTF) built from Debian's
# linux-source-6.12 by scripts/build-debug-kernel.sh (once per version, cached), with
# famfs_bpf.ko built against it from this checkout. Guests boot with panic_on_warn=1 and
# kasan.fault=panic and the kernel console (loglevel 5: warnings and worse) in the log;
# a test passes only if its verdicts pass and no kernel report names famfs (run.sh).
# Each guest runs under flock $FAMFS_VM_LOCK (default /tmp/famfs-vm.lock), so it never
# shares the machine's 2 cores with another guest started the same way.
#
# Env: FAMFS_DEBUG_TESTS (default "e2e interleave arbiter"), FAMFS_DEBUG_APPEND (kernel
# arguments), FAMFS_VM_TIMEOUT (s per guest, default 5400: the debug kernel is slow under
# TCG). Not part of make test.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$(bash "$repo/scripts/build-debug-kernel.sh") || exit 1
eval "$out"
echo "test-debug: kernel $FAMFS_DEBUG_VMLINUX"
echo "test-debug: module $FAMFS_DEBUG_KMOD"
export FAMFS_GUEST_KERNEL=$FAMFS_DEBUG_VMLINUX FAMFS_GUEST_KMOD=$FAMFS_DEBUG_KMOD FAMFS_GUEST_CONSOLE=1
export FAMFS_GUEST_APPEND=${FAMFS_DEBUG_APPEND:-panic_on_warn=1 kasan.fault=panic loglevel=5}
export FAMFS_VM_TIMEOUT=${FAMFS_VM_TIMEOUT:-5400}
lock=${FAMFS_VM_LOCK:-/tmp/famfs-vm.lock}

results=() fails=0
for t in ${FAMFS_DEBUG_TESTS:-e2e interleave arbiter}; do
	case $t in
	interleave) env=(FAMFS_VM_DEVICES=5 FAMFS_DEV_SIZE=2G) ;;
	arbiter) env=(FAMFS_VM_DEVICES=4 FAMFS_DEV_SIZE=2G) ;;
	*) env=() ;;
	esac
	echo "test-debug: $t (waiting for $lock)"
	res=$(mktemp)
	flock "$lock" env "${env[@]}" bash "$repo/tests/vm/run.sh" "$t" 2>&1 | tee "$res"
	rc=${PIPESTATUS[0]}
	line=$(grep -a '^run.sh: \(PASS\|FAIL\)' "$res" | tail -n1)
	rm -f "$res"
	[ "$rc" = 0 ] || fails=$((fails + 1))
	results+=("$t: ${line:-run.sh exit $rc}")
done
echo
echo "test-debug: results on $(basename "$FAMFS_DEBUG_VMLINUX")"
printf '  %s\n' "${results[@]}"
[ "$fails" = 0 ] || { echo "test-debug: FAIL ($fails of ${#results[@]})"; exit 1; }
echo "test-debug: PASS"
