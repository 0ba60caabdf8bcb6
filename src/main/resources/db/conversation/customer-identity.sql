-- The key (wa_id = session phone_number) a message from a sender with a BSUID is stored under, its customer
-- linked or merged on the way (gateway_customer_identity, V12). Runs in the inbound statement's transaction, whose
-- lock it holds until commit. Parameters: $1 phone (null when withheld), $2 user_id, $3 parent_user_id,
-- $4 username, $5 country_code, $6 phone_number_id.
SELECT gateway_customer_identity($1, $2, $3, $4, $5, $6) AS key
