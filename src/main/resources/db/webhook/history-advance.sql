-- Moves a claimed chunk's cursor after one imported batch, in the batch's transaction, and renews the claim: only
-- while replica $2 still holds it (no row: the lease passed and another replica took the chunk, so this batch is
-- rolled back). The last batch ($5) marks the chunk imported, frees it and empties its payload down to Meta's
-- metadata: the messages are in the conversation tables now (where retention and erasure reach them), and the
-- chunk_hash still recognises a redelivery. Parameters: $1 chunk id, $2 replica, $3 cursor after the batch,
-- $4 messages stored now, $5 done, $6 lease in seconds.
UPDATE whatsapp_history_chunks
   SET imported_count = $3, stored_count = stored_count + $4,
       claimed_until = CASE WHEN $5 THEN NULL ELSE now() + $6 * interval '1 second' END,
       claimed_by = CASE WHEN $5 THEN NULL ELSE claimed_by END,
       imported_at = CASE WHEN $5 THEN now() END,
       payload = CASE WHEN $5 THEN jsonb_build_object('metadata', payload->'metadata') ELSE payload END
 WHERE id = $1 AND claimed_by = $2 AND imported_at IS NULL
RETURNING id
