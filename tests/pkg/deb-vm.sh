#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# deb-vm.sh [--reuse] (make test-deb-vm): the e2e flow with what the packages install.
# Builds and checks the packages (tests/pkg/deb-test.sh: dpkg -x into build/deb/test/root,
# the module built from the unpacked DKMS tree as dkms would; --reuse takes that scratch
# root as the last deb-test.sh left it), then boots a guest (tests/vm/run.sh e2e) whose
# e2e.sh runs the unpacked usr/bin/famfsctl and insmods the DKMS-built famfs_bpf.ko instead
# of build/ and kmod/. Run it under the VM lock:
#   flock /tmp/famfs-vm.lock bash tests/pkg/deb-vm.sh --reuse
# Verdict: `deb-vm: famfsctl=packaged kmod=dkms e2e=ok`, after e2e's own verdict line.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
version=$(sed -n 's/.*FAMFSCTL_VERSION[[:space:]]*"\([^"]*\)".*/\1/p' cli/cli.h)
root=$here/build/deb/test/root
ctl=$root/usr/bin/famfsctl
ko=$here/build/deb/test/dkms/famfs-bpf/$version/build/kmod/famfs_bpf.ko
verdict() { echo "deb-vm: famfsctl=$1 kmod=$2 e2e=$3"; [ "$3" = ok ]; exit $?; }

if [ "${1:-}" != --reuse ]; then
	bash tests/pkg/deb-test.sh || { echo "deb-vm: deb-test.sh failed" >&2; verdict none none fail; }
fi
[ -x "$ctl" ] || { echo "deb-vm: no unpacked $ctl (run tests/pkg/deb-test.sh)" >&2; verdict none none fail; }
[ -f "$ko" ] || { echo "deb-vm: no DKMS-built $ko (run tests/pkg/deb-test.sh)" >&2; verdict packaged none fail; }
# the guest must run these files, not the tree's: different inodes, one version
[ "$("$ctl" --version)" = "$(build/famfsctl --version 2>/dev/null || "$ctl" --version)" ] ||
	echo "deb-vm: note: the packaged famfsctl is $("$ctl" --version), the tree's differs"
echo "deb-vm: famfsctl $ctl ($(sha256sum < "$ctl" | cut -c1-12)), module $ko"
out=$(FAMFS_GUEST_CTL=$ctl FAMFS_GUEST_KMOD=$ko bash tests/vm/run.sh e2e 2>&1); rc=$?
echo "$out"
# e2e.sh names the famfsctl it ran; the module it loaded is checked by srcversion in the guest
grep -qF "e2e: famfsctl $ctl" <<<"$out" || { echo "deb-vm: the guest did not run the packaged famfsctl" >&2; rc=1; }
verdict packaged dkms "$([ "$rc" = 0 ] && echo ok || echo fail)"
