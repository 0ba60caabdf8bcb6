-- A change of BSUID (user_id_update webhook, user_changed_user_id system message) recorded on the customer
-- (gateway_customer_user_id_change, V12). Parameters: $1 previous user_id, $2 current user_id, $3 wa_id (the
-- phone or the stored key; null when unknown). Returns whether a customer changed.
SELECT gateway_customer_user_id_change($1, $2, $3) AS changed
