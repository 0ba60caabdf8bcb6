-- Tombstones of deleted conversations, so that Meta's retries (and replayed captures) of what was deleted are
-- acknowledged as duplicates instead of storing the conversation again. Written in the transaction that
-- deletes a session; purged once older than gateway.whatsapp.stale-after, when the stale rule covers them.

-- The wamids of a deleted session's messages (inbound and outbound: a status of a deleted outbound message is
-- not kept as pending either).
CREATE TABLE whatsapp_deleted_messages (
    message_id text        NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_deleted_messages_pkey PRIMARY KEY (message_id)
);
CREATE INDEX whatsapp_deleted_messages_deleted_at_idx ON whatsapp_deleted_messages (deleted_at);

-- The customer's tombstone: when their conversation was last deleted. An inbound message from them with a Meta
-- timestamp at or before it belongs to the deleted conversation. On the profile row because ingestion upserts
-- (and so locks) that row before anything else: a deletion racing a delivery meets it there (see the headers
-- of db/ingest/inbound-message.sql and inbound-batch.sql).
ALTER TABLE customer_profiles ADD COLUMN conversation_deleted_at timestamptz;
CREATE INDEX customer_profiles_conversation_deleted_at_idx ON customer_profiles (conversation_deleted_at)
    WHERE conversation_deleted_at IS NOT NULL;
