-- Last step of erasing a customer (after customer-erase-lock.sql and customer-erase-sessions.sql, in one
-- transaction): deletes the profile, the sessions (their messages go with them, ON DELETE CASCADE), the pending
-- statuses of their messages or addressed to their numbers, and the event-log entries of their sessions (their
-- deliveries and attempts cascade). Keeps tombstones without personal data (V8): the hash of the wa_id, of the BSUID
-- and of each session's phone number with the erasure time, and the hash of each message's wamid, so that Meta's retries of the
-- erased data are answered as duplicates and not stored again. Appends one whatsapp.customer.erased event per
-- business number their sessions used (one with an empty number when there is none), whose data holds the customer
-- id, the session ids and erasedAt only.
-- Parameters: $1 customer id, $2 their wa_id. Returns one row per session ({customer id, session id}; session id
-- null when there was none); no row when there was no such customer.
-- Safe under concurrency: the profile and session rows are locked by the earlier steps, so no message of theirs is
-- committed between the read of the wamids and the delete. The statement deletes event rows, which the sequencer
-- may have locked meanwhile: a deadlock is retried by the writer.
WITH sessions AS (
    SELECT id, phone_number, phone_number_id FROM whatsapp_sessions WHERE customer_profile_id = $1 OR phone_number = $2
), numbers AS (
    SELECT $2::text AS phone_number UNION SELECT phone_number FROM sessions
    -- the BSUID too (V12): a later message with the phone withheld is keyed by it
    UNION SELECT user_id FROM customer_profiles WHERE id = $1 AND user_id IS NOT NULL
), messages AS (
    SELECT m.message_id FROM whatsapp_messages m WHERE m.session_id IN (SELECT id FROM sessions)
), message_tombstones AS (
    INSERT INTO whatsapp_erased_messages (message_hash, erased_at)
    SELECT gateway_erasure_hash(message_id), now() FROM messages
    ON CONFLICT (message_hash) DO UPDATE SET erased_at = EXCLUDED.erased_at
), customer_tombstones AS (
    INSERT INTO whatsapp_erased_customers (wa_id_hash, erased_at)
    SELECT gateway_erasure_hash(phone_number), now() FROM numbers
    ON CONFLICT (wa_id_hash) DO UPDATE SET erased_at = EXCLUDED.erased_at
), pending AS (
    DELETE FROM whatsapp_pending_statuses p
    WHERE p.message_id IN (SELECT message_id FROM messages)
       OR p.payload ->> 'recipient_id' IN (SELECT phone_number FROM numbers)
), old_events AS (
    DELETE FROM gateway_events e WHERE e.subject IN (SELECT id FROM sessions)
), deleted_sessions AS (
    DELETE FROM whatsapp_sessions WHERE id IN (SELECT id FROM sessions)
), customer AS (
    DELETE FROM customer_profiles WHERE id = $1
    RETURNING id
), event AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT 'whatsapp.customer.erased', n.phone_number_id, NULL,
           jsonb_build_object('customerId', c.id,
                              'sessionIds', COALESCE((SELECT jsonb_agg(s.id ORDER BY s.id) FROM sessions s), '[]'),
                              'erasedAt', gateway_json_time(now()))
    FROM customer c,
         (SELECT DISTINCT COALESCE(phone_number_id, '') AS phone_number_id FROM sessions
          UNION SELECT '' WHERE NOT EXISTS (SELECT 1 FROM sessions)) n
)
SELECT c.id, s.id AS session_id FROM customer c LEFT JOIN sessions s ON true
