-- Undoes V5__tombstones.sql.
DROP INDEX IF EXISTS customer_profiles_conversation_deleted_at_idx;
ALTER TABLE customer_profiles DROP COLUMN IF EXISTS conversation_deleted_at;
DROP TABLE IF EXISTS whatsapp_deleted_messages;
