-- A user_changed_number system message (V17, gateway_customer_phone_change): the customer of the old phone takes the
-- new one, merged into the new phone's customer and session when those exist. Parameters: $1 old phone, $2 new phone
-- (system.wa_id), $3 phone_number_id.
SELECT gateway_customer_phone_change($1, $2, $3) AS changed
