-- Appends one event to the log inside the caller's transaction (the change and its event commit together) and
-- asks for the dispatchers to be woken: PostgreSQL delivers the notification only on commit, once per
-- transaction however many events it appends. The public id is assigned after commit (sequence.sql).
-- Parameters: $1 type, $2 phone_number_id, $3 subject (session id, may be NULL), $4 data (JSON text).
-- A plain insert: safe under any concurrency.
WITH appended AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    VALUES ($1, $2, $3, $4::text::jsonb)
    RETURNING seq
)
SELECT pg_notify('gateway_events', 'appended') FROM appended
