-- Frees replica $2's claim of chunk $1 after a failed batch (the cursor stays where the last committed batch left
-- it), so that a later run, on any replica, takes it again.
UPDATE whatsapp_history_chunks SET claimed_until = NULL, claimed_by = NULL WHERE id = $1 AND claimed_by = $2
