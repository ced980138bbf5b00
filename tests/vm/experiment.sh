#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# experiment.sh - runs INSIDE a guest (run.sh experiment, FAMFS_VM_DEVICES=3): the policy
# experiment harness; see experiment.py.
export FAMFS_SYSTEM_UUID_PATH=/tmp/famfs-host/system_uuid
exec /usr/bin/python3 "$(dirname "$0")/experiment.py"
