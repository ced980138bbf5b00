#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# demo.sh - runs INSIDE a guest (make demo): the end-to-end flow narrated for a person
# watching: each famfsctl command is shown as typed. Same checks and summary line as e2e.
export FAMFS_DEMO=1
exec bash "$(dirname "$0")/e2e.sh"
