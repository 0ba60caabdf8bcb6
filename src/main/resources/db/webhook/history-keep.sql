-- Keeps the history[] items of one history webhook (V17), before the webhook is answered: one row per item, an item
-- redelivered meets its row at (phone_number_id, chunk_hash) and is kept once. A decline (errors, no messages) has
-- nothing to import and is done at once. Parameters (arrays, one element per item): $1 phone_number_id, $2 waba_id,
-- $3 display_phone_number, $4 phase, $5 chunk_order, $6 progress, $7 the item (JSON text), $8 its errors (JSON text
-- or null), $9 its message count. Returns the rows kept now.
INSERT INTO whatsapp_history_chunks (phone_number_id, waba_id, display_phone_number, phase, chunk_order, progress,
                                     chunk_hash, payload, errors, message_count, imported_at)
SELECT c.phone_number_id, c.waba_id, c.display_phone_number, c.phase, c.chunk_order, c.progress,
       md5(c.payload::jsonb::text), c.payload::jsonb, c.errors::jsonb, c.message_count,
       CASE WHEN c.message_count = 0 THEN now() END
FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[], $8::text[], $9::int[])
         AS c(phone_number_id, waba_id, display_phone_number, phase, chunk_order, progress, payload, errors,
              message_count)
ON CONFLICT (phone_number_id, chunk_hash) DO NOTHING
RETURNING id
