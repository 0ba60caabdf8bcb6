-- One message of the WhatsApp Business app on the same number (coexistence, V17): an echo of what the business sent
-- from the app, or a message of the imported history; see gateway_store_coexistence_message. Parameters: $1 the
-- customer's phone (null when withheld), $2 their BSUID, $3 parent BSUID, $4 username, $5 phone_number_id, $6 Meta
-- timestamp, $7 wamid, $8 direction (INBOUND, OUTBOUND), $9 content, $10 message_type, $11 metadata (JSON text),
-- $12 status (null for an inbound message), $13 its rank, $14 created_at (null = now), $15 event type (null = none).
SELECT gateway_store_coexistence_message($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text::jsonb, $12, $13, $14,
                                         $15) AS stored
