-- Takes the template sync's advisory lock for the caller's connection if no other replica holds it; true when taken.
-- Released by sync-unlock.sql on the same connection (or when the connection closes). The key is a class of this
-- module's keys and a fixed number for the template sync.
SELECT pg_try_advisory_lock(1464336244, 15) AS taken
