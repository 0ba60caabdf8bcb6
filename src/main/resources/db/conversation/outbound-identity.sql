-- The session key of a send to a BSUID (POST /api/v1/messages with recipient), in the send's transaction, after
-- ConversationWrites.LOCK_IDENTITY took the BSUID's lock (as gateway_customer_identity does, V12; a statement of
-- its own, so this one's snapshot sees a merge that committed while it waited): the key of the customer holding
-- the BSUID (the phone once known), else the BSUID itself. Parameter: $1 the BSUID.
SELECT COALESCE((SELECT wa_id FROM customer_profiles WHERE user_id = $1), $1) AS key
