-- Undoes V9__data_lifecycle.sql: the message retention index and the retention overrides.
DROP INDEX IF EXISTS whatsapp_messages_retention_idx;
DROP TABLE IF EXISTS gateway_retention_overrides;
