-- Releases the template sync's advisory lock taken by sync-lock.sql on this connection.
SELECT pg_advisory_unlock(1464336244, 15)
