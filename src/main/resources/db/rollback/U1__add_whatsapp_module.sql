-- Undoes V1__add_whatsapp_module.sql: the module's first tables, their indexes and its two enum types.
-- Run by the rollback command (docs/operations.md) in its transaction, after U2..Un; never a foreign table.
DROP TABLE IF EXISTS whatsapp_messages;
DROP TABLE IF EXISTS whatsapp_sessions;
DROP TABLE IF EXISTS whatsapp_settings;
DROP TABLE IF EXISTS customer_profiles;
DROP TYPE IF EXISTS whatsapp_message_direction;
DROP TYPE IF EXISTS whatsapp_session_state;
