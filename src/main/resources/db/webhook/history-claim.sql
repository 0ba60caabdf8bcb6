-- Claims the oldest history chunk not imported yet whose claim is free or whose lease has passed (its replica died
-- or stalled), for replica $1 until now() + $2 seconds. SKIP LOCKED: replicas claiming at once take different
-- chunks. Returns the chunk with its cursor (imported_count), or no row.
UPDATE whatsapp_history_chunks c
   SET claimed_by = $1, claimed_until = now() + $2 * interval '1 second', attempts = c.attempts + 1
 WHERE c.id = (SELECT id FROM whatsapp_history_chunks
                WHERE imported_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                ORDER BY received_at, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
RETURNING c.id, c.phone_number_id, c.waba_id, c.display_phone_number, c.payload::text AS payload, c.imported_count,
          c.message_count, c.received_at
