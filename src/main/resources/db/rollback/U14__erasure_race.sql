-- Undoes V14__erasure_race.sql.
DROP FUNCTION IF EXISTS gateway_erased(text, text, timestamptz);
DROP FUNCTION IF EXISTS gateway_erasure_lock_key(text);
