-- Per-number Meta app secret (for X-Hub-Signature-256), stored encrypted like the other secrets.
ALTER TABLE whatsapp_settings ADD COLUMN app_secret text;

-- At most one active settings row per business phone number: webhook routing and sending need one answer.
CREATE UNIQUE INDEX whatsapp_settings_active_phone_number_id_key
    ON whatsapp_settings (phone_number_id) WHERE is_active;
