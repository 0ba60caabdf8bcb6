-- One edit or revoke (a message of type edit / revoke) applied to its original, after LOCK_WAMID on the original's
-- wamid (gateway_apply_edit, V12): 'applied', 'duplicate' or 'pending' (the original not stored yet). Parameters:
-- $1 the edit's wamid, $2 the original's wamid, $3 kind (edit, revoke), $4 new message type, $5 new content,
-- $6 the edit's new message JSON, $7 Meta timestamp, $8 phone_number_id, $9 keep revoked content.
SELECT gateway_apply_edit($1, $2, $3, $4, $5, $6::text::jsonb, $7, $8, $9) AS outcome
