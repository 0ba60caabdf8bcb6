-- Stores a business number's display number, as the metadata of its message deliveries names it (phone number
-- webhooks name only the display number). Writes only when it differs.
-- Parameters: $1 phone_number_id, $2 display phone number (digits).
UPDATE whatsapp_settings SET display_phone_number = $2
WHERE phone_number_id = $1 AND display_phone_number IS DISTINCT FROM $2
