# SPDX-License-Identifier: Apache-2.0
# dl-common.sh - sourced inside both guests of the delete test (after mh-common.sh): reading
# famfsctl's JSON (getmap extents, the client table) with jq (not python3: each python start
# costs seconds of TCG time, and the waits below poll these).

# overlaps A.json B.json: exit 0 if the two getmap -j outputs share any device byte
overlaps() {
	jq -e -n --slurpfile a "$1" --slurpfile b "$2" '
		[$a[0].extents[] as $x | $b[0].extents[] as $y |
		 select($x.dev == $y.dev and $x.offset < $y.offset + $y.len and
			$y.offset < $x.offset + $x.len)] | length > 0' >/dev/null
}

# applied_of UUID: the applied index of UUID's slot in the client table ("" if none)
applied_of() {
	ctl clients -j "$MPT" |
		jq -r --arg u "$1" '[.clients[] | select(.uuid == $u and .valid)][0].applied // empty'
}

# nclients: used slots of the client table
nclients() { ctl clients -j "$MPT" | jq '.clients | length'; }

# fsck_field NAME: a top-level number of famfsctl fsck -j on the mount
fsck_field() { ctl fsck -j "$MPT" | jq -r --arg k "$1" '.[$k]'; }
