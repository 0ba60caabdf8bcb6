-- Undoes V2__settings_app_secret.sql.
DROP INDEX IF EXISTS whatsapp_settings_active_phone_number_id_key;
ALTER TABLE whatsapp_settings DROP COLUMN IF EXISTS app_secret;
