#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# daxdev.sh - runs INSIDE a guest with 2 nvdimms (run.sh daxdev, FAMFS_VM_DEVICES=2): famfsctl
# on a dax character device next to a pmem one. Region 0 is an fsdax namespace (/dev/pmemN),
# region 1 a devdax namespace (/dev/daxN.M; the whole label-less region: on 7.3 fsdev_dax
# wants a multiple of the 16 MiB region align, which the harness's whole-GiB files miss). famfsctl daxmode reads the mode; mkfs and fsck
# work on the dax device through mmap (devdax mode); mkfs over pmem + dax makes one file
# system whose dax device mount finds by UUID. On a kernel without fsdev_dax (6.12) mount
# must refuse the dax device by name, changing nothing (it stays devdax), and the module
# itself refuses a character device given to mount(2) (dmesg names it); on a kernel with
# fsdev_dax the mixed file system mounts, a file written through pmem and dax verifies,
# and umount gives the device back. Verdict:
#   daxdev: kernel=KVER fsdev=yes|no dax_mkfs=ok dax_fsck=ok found_by_uuid=yes refused=N mounted=N mismatches=0
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
FAMFSCTL=${FAMFSCTL:-$REPO/build/famfsctl}
MPT=/tmp/famfs
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid
fails=0 refused=0 mounted=0 mismatches=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

PMEM=$(bash "$REPO/tests/vm/guest-dev.sh") || { echo "daxdev: device setup failed"; exit 1; }
modprobe dax_pmem 2>/dev/null || true
modprobe device_dax 2>/dev/null || true
modprobe fsdev_dax 2>/dev/null || true
echo 2097152 > /sys/bus/nd/devices/region1/align 2>/dev/null || true
ndctl create-namespace --force --reconfig=namespace1.0 --mode=devdax --map=mem --align=2M >/dev/null ||
	{ echo "daxdev: devdax namespace on region1 failed"; exit 1; }
DAX=$(ls /dev/dax* | sort -V | head -n1)
[ -c "$DAX" ] || { echo "daxdev: no dax device"; exit 1; }
fsdev=no; [ -d /sys/bus/dax/drivers/fsdev_dax ] && fsdev=yes
echo "pmem $PMEM, dax $DAX, kernel $(uname -r), fsdev_dax $fsdev"

mode() { "$FAMFSCTL" daxmode "$DAX" | awk '{print $3}'; }
m=$(mode); [ "$m" = devdax ] && ok "daxmode: $DAX is devdax" || fail "daxmode says '$m'"

# one dax device alone: mkfs and fsck through mmap
dax_mkfs=bad dax_fsck=bad
"$FAMFSCTL" mkfs -f "$DAX" && dax_mkfs=ok || fail "mkfs $DAX"
out=$("$FAMFSCTL" fsck -j "$DAX"); rc=$?
[ $rc = 0 ] && [ "$(jq -r .clean <<<"$out")" = true ] && dax_fsck=ok || fail "fsck $DAX: rc $rc $out"

mkdir -p "$MPT"
if [ "$fsdev" = yes ]; then
	# device 0 a dax device: mount reads it in devdax mode, puts it in famfs mode; the first
	# load-maps reads mount's copy, a later one the .meta files
	if "$FAMFSCTL" mount "$DAX" "$MPT" && [ "$(mode)" = famfs ]; then
		mounted=$((mounted + 1))
		ok "dax device 0 mounted, famfs mode"
		"$FAMFSCTL" creat -s 32M -S 7 "$MPT/f7" || fail "creat on dax device 0"
		"$FAMFSCTL" verify -S 7 -f "$MPT/f7" && ok "verify f7" || { fail "verify f7"; mismatches=$((mismatches + 1)); }
		out=$("$FAMFSCTL" load-maps -j "$MPT" 2>&1) && ok "a second load-maps (through .meta): $out" ||
			fail "load-maps on a famfs-mode device 0: $out"
		out=$("$FAMFSCTL" daxmode "$DAX" devdax 2>&1); rc=$?
		[ $rc != 0 ] && grep -q 'mounted at' <<<"$out" && [ "$(mode)" = famfs ] &&
			ok "a mounted dax device is not switched to devdax" || fail "daxmode devdax of a mounted device: rc $rc $out"
		"$FAMFSCTL" umount "$MPT" || fail "umount $DAX"
		"$FAMFSCTL" mount "$DAX" "$MPT" && "$FAMFSCTL" verify -S 7 -f "$MPT/f7" && ok "remount: f7 verifies" ||
			fail "remount of the dax device"
		"$FAMFSCTL" umount "$MPT" || fail "umount $DAX"
	else
		fail "mount of dax device 0"
		dmesg | tail -n 5
	fi
else
	out=$("$FAMFSCTL" mount "$DAX" "$MPT" 2>&1); rc=$?
	echo "  mount $DAX: exit $rc: $out"
	if [ $rc != 0 ] && grep -q 'no fsdev_dax driver on this kernel' <<<"$out" && [ "$(mode)" = devdax ] &&
	   ! mountpoint -q "$MPT"; then
		ok "mount of a dax device refused on a kernel without fsdev_dax, device unchanged"
		refused=$((refused + 1))
	else
		fail "mount $DAX on a kernel without fsdev_dax"
	fi
	out=$(mount -t famfs_bpf "$DAX" "$MPT" 2>&1); rc=$?
	msg=$(dmesg | grep -F "$DAX is a character device" | tail -n1)
	echo "  mount(2) $DAX: exit $rc: $out; dmesg: $msg"
	if [ $rc != 0 ] && grep -q 'no fs_dax_get' <<<"$msg"; then
		ok "the module refuses a character device by name"
		refused=$((refused + 1))
	else
		fail "module did not refuse $DAX by name"
	fi
fi

# pmem + dax: one file system; mount finds the dax device by UUID
"$FAMFSCTL" mkfs -f "$PMEM" "$DAX" || fail "mkfs $PMEM $DAX"
found_by_uuid=no
out=$("$FAMFSCTL" -v mount "$PMEM" "$MPT" 2>&1); rc=$?
echo "  mount $PMEM (+ $DAX): exit $rc: $(tail -n3 <<<"$out")"
if [ "$fsdev" = no ]; then
	if [ $rc != 0 ] && grep -qF "device 1 ($DAX) cannot be put in famfs mode" <<<"$out" &&
	   [ "$(mode)" = devdax ]; then
		found_by_uuid=yes
		refused=$((refused + 1))
		ok "mixed file system: $DAX found by UUID, refused on this kernel, unchanged"
	else
		fail "mixed mount on a kernel without fsdev_dax"
	fi
	out=$("$FAMFSCTL" fsck -j "$PMEM"); [ "$(jq -r .clean <<<"$out")" = true ] || fail "fsck $PMEM"
else
	if [ $rc = 0 ] && [ "$(mode)" = famfs ] && grep -q "dev=$DAX" /proc/mounts; then
		found_by_uuid=yes
		mounted=$((mounted + 1))
		ok "mixed file system mounted, $DAX in famfs mode"
		"$FAMFSCTL" creat -s 64M -S 9 -d 0 "$MPT/onpmem" || fail "creat on pmem"
		"$FAMFSCTL" creat -s 64M -S 10 -d 1 "$MPT/ondax" || fail "creat on dax"
		for f in onpmem:9 ondax:10; do
			"$FAMFSCTL" verify -S "${f#*:}" -f "$MPT/${f%:*}" && ok "verify ${f%:*}" ||
				{ fail "verify ${f%:*}"; mismatches=$((mismatches + 1)); }
		done
		dev=$("$FAMFSCTL" getmap -j "$MPT/ondax" | jq -r '.. | .devindex? // empty' | sort -u | tr '\n' ' ')
		[ "$dev" = "1 " ] && ok "ondax: the policy answers device 1 ($DAX)" || fail "ondax answered on device(s) '$dev'"
		out=$("$FAMFSCTL" fsck "$DAX" 2>&1); rc=$?
		[ $rc != 0 ] && grep -q 'is mounted at' <<<"$out" && ok "fsck of the mounted dax device refused" ||
			fail "fsck of a mounted dax device: rc $rc $out"
		"$FAMFSCTL" umount "$MPT" || fail "umount"
		# released by the module: it can go back to devdax, and the file system is clean
		"$FAMFSCTL" daxmode "$DAX" devdax && [ "$(mode)" = devdax ] && ok "$DAX back in devdax mode after umount" ||
			fail "$DAX not switched back after umount"
		out=$("$FAMFSCTL" fsck -j "$PMEM"); [ "$(jq -r .clean <<<"$out")" = true ] || fail "fsck $PMEM after umount"
	else
		fail "mixed mount: rc $rc"
		dmesg | tail -n 5
	fi
fi
dmesg | grep -E 'WARNING|BUG' | grep -i famfs && fail "kernel warnings naming famfs"

[ "$fails" = 0 ] || echo "daxdev: $fails check(s) failed"
echo "daxdev: kernel=$(uname -r) fsdev=$fsdev dax_mkfs=$dax_mkfs dax_fsck=$dax_fsck found_by_uuid=$found_by_uuid refused=$refused mounted=$mounted mismatches=$((mismatches + fails))"
[ "$fails" = 0 ]
