-- Takes the sequencer for this transaction when committed events wait for their id. No row: nothing waits, or
-- another replica holds the sequencer (it numbers what is committed, and every replica is woken again by the next
-- commit). Checking first keeps an idle round from writing anything.
-- No parameters. The row lock serialises sequencers, so their ids commit in increasing order.
SELECT last_id FROM gateway_event_sequencer
WHERE EXISTS (SELECT 1 FROM gateway_events WHERE id IS NULL)
FOR UPDATE SKIP LOCKED
