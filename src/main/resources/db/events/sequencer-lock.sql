-- Takes the sequencer for this transaction, or answers no row when another replica holds it (that replica
-- numbers what is committed, and every replica is woken again by the next commit).
-- No parameters. The row lock serialises sequencers, so their ids commit in increasing order.
SELECT last_id FROM gateway_event_sequencer FOR UPDATE SKIP LOCKED
