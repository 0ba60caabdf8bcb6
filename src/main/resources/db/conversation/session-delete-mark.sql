-- First step of deleting a session (session-delete.sql is the last): mark its customer's profile with the time of
-- the deletion, so that Meta's retries of messages sent before it are not stored again. The profile keyed by the
-- session's phone number is created when missing; a linked profile of another wa_id is marked too.
-- Lock order, the one ingestion uses (inbound-message.sql): the customer's profile row first, then the session row.
-- Parameter: $1 session id. Returns the number of profiles the upsert wrote: 0 when there is no such session.
WITH s AS (
    SELECT phone_number, customer_profile_id FROM whatsapp_sessions WHERE id = $1
), linked AS (
    UPDATE customer_profiles cp
       SET conversation_deleted_at = GREATEST(cp.conversation_deleted_at, now())
      FROM s WHERE cp.id = s.customer_profile_id AND cp.wa_id <> s.phone_number
)
INSERT INTO customer_profiles AS cp (wa_id, updated_at, conversation_deleted_at)
SELECT phone_number, now(), now() FROM s
ON CONFLICT (wa_id) DO UPDATE
   SET conversation_deleted_at = GREATEST(cp.conversation_deleted_at, EXCLUDED.conversation_deleted_at)
