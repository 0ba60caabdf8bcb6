-- Keeps an item PostgreSQL refused with a data error (SQLSTATE class 22, 54000), so that its delivery can be
-- acknowledged: a retry would be refused the same way. Plain text columns only, so the row itself is storable
-- whatever the item held (the caller truncates the short columns and replaces U+0000).
-- Parameters: $1 phone_number_id, $2 kind ('message' or 'status'), $3 wamid, $4 SQLSTATE, $5 error message,
-- $6 the raw item (JSON text). An insert with no unique key: safe under any concurrency.
INSERT INTO whatsapp_dead_letters (phone_number_id, kind, wamid, sqlstate, error, payload)
VALUES ($1, $2, $3, $4, $5, $6)
