-- Gives up replica $2's claim of chunk $1 after a failed batch (the cursor stays where the last committed batch left
-- it): the chunk waits $3 seconds (the lease) before any replica takes it again, so the chunks after it go on.
UPDATE whatsapp_history_chunks SET claimed_until = now() + $3 * interval '1 second', claimed_by = NULL
 WHERE id = $1 AND claimed_by = $2
