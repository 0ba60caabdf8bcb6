-- Removes a business number's override (its messages fall back to gateway.retention.messages).
-- Parameters: $1 phone_number_id. Single-row delete by primary key; a concurrent delete finds nothing (404).
DELETE FROM gateway_retention_overrides WHERE phone_number_id = $1 RETURNING phone_number_id
