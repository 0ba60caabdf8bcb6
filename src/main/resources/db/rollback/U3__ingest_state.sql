-- Undoes V3__ingest_state.sql.
DROP INDEX IF EXISTS whatsapp_messages_session_created_idx;
DROP INDEX IF EXISTS whatsapp_sessions_updated_at_id_idx;
DROP TABLE IF EXISTS whatsapp_pending_statuses;
ALTER TABLE whatsapp_messages
    DROP COLUMN IF EXISTS status,
    DROP COLUMN IF EXISTS status_rank,
    DROP COLUMN IF EXISTS status_at,
    DROP COLUMN IF EXISTS status_errors,
    DROP COLUMN IF EXISTS wa_timestamp,
    DROP COLUMN IF EXISTS phone_number_id;
ALTER TABLE whatsapp_sessions
    DROP COLUMN IF EXISTS phone_number_id,
    DROP COLUMN IF EXISTS last_inbound_at;
