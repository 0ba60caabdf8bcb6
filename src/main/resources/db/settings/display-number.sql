-- Learns a business number's display number from a message delivery's metadata (phone number webhooks name only
-- the display number). Writes only when it differs, so a known pair costs one index lookup.
-- Parameters: $1 phone_number_id, $2 display phone number (digits). Returns whether a row has that number.
WITH learned AS (
    UPDATE whatsapp_settings SET display_phone_number = $2
    WHERE phone_number_id = $1 AND display_phone_number IS DISTINCT FROM $2
    RETURNING id
)
SELECT EXISTS (SELECT 1 FROM learned) OR EXISTS (SELECT 1 FROM whatsapp_settings WHERE phone_number_id = $1) AS known
