# SPDX-License-Identifier: Apache-2.0
# dl-common.sh - sourced inside both guests of the delete test (after mh-common.sh): reading
# famfsctl's JSON (getmap extents, the client table) with python3's json module.

# overlaps A.json B.json: exit 0 if the two getmap -j outputs share any device byte
overlaps() {
	$PY - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p))["extents"] for p in sys.argv[1:3])
hit = any(x["dev"] == y["dev"] and x["offset"] < y["offset"] + y["len"] and
          y["offset"] < x["offset"] + x["len"] for x in a for y in b)
sys.exit(0 if hit else 1)
PY
}

# applied_of UUID: the applied index of UUID's slot in the client table ("" if none)
applied_of() {
	ctl clients -j "$MPT" | $PY -c '
import json, sys
rows = [c for c in json.load(sys.stdin)["clients"] if c["uuid"] == sys.argv[1] and c["valid"]]
print(rows[0]["applied"] if rows else "")' "$1"
}

# nclients: used slots of the client table
nclients() { ctl clients -j "$MPT" | $PY -c 'import json,sys; print(len(json.load(sys.stdin)["clients"]))'; }

# fsck_field NAME: a top-level number of famfsctl fsck -j on the mount
fsck_field() { ctl fsck -j "$MPT" | $PY -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
