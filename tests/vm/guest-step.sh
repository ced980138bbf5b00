# SPDX-License-Identifier: Apache-2.0
# guest-step.sh - sourced INSIDE a guest by the test scripts (e2e.sh, smallfiles.sh,
# interleave.sh, arbiter.sh, mh-common.sh): step TEXT prints a step's heading with the
# guest's uptime and how long the step before it took, "==> [t=123.4s +5.6s] TEXT", so a
# guest log shows where the time went (the harness reads only the verdict lines).
STEP_T0=
step() {
	local up
	read -r up _ < /proc/uptime
	up=$((10#${up/./}))	# centiseconds since boot
	echo
	if [ -n "$STEP_T0" ]; then
		printf '==> [t=%d.%ds +%d.%ds] %s\n' $((up / 100)) $((up % 100 / 10)) \
			$(((up - STEP_T0) / 100)) $(((up - STEP_T0) % 100 / 10)) "$*"
	else
		printf '==> [t=%d.%ds] %s\n' $((up / 100)) $((up % 100 / 10)) "$*"
	fi
	STEP_T0=$up
}
