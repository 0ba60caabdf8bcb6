-- Undoes V16__account_events.sql: the raw webhook changes, the account events and the account columns of settings.
DROP TABLE IF EXISTS whatsapp_webhook_events;
DROP TABLE IF EXISTS whatsapp_account_events;
ALTER TABLE whatsapp_settings
    DROP COLUMN IF EXISTS account_status_at,
    DROP COLUMN IF EXISTS account_status,
    DROP COLUMN IF EXISTS messaging_limit_tier_at,
    DROP COLUMN IF EXISTS messaging_limit_tier,
    DROP COLUMN IF EXISTS quality_rating_at,
    DROP COLUMN IF EXISTS quality_rating,
    DROP COLUMN IF EXISTS display_phone_number;
