-- customer-identity.sql for the BSUID senders of a group commit, in one round trip: parallel arrays, one element
-- per distinct sender, sorted by BSUID so that concurrent groups take the per-BSUID locks in one order (volatile
-- functions in the select list run after the ORDER BY). Returns each input position with its key.
SELECT i.ord, gateway_customer_identity(i.phone, i.user_id, i.parent_user_id, i.username, i.country_code,
                                        i.phone_number_id) AS key
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
     AS i (phone, user_id, parent_user_id, username, country_code, phone_number_id, ord)
ORDER BY i.user_id, i.ord
