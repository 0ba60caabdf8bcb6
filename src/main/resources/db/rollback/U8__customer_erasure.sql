-- Undoes V8__customer_erasure.sql.
DROP TABLE IF EXISTS whatsapp_erased_messages;
DROP TABLE IF EXISTS whatsapp_erased_customers;
DROP FUNCTION IF EXISTS gateway_erasure_hash(text);
DROP INDEX IF EXISTS customer_profiles_created_at_id_idx;
