-- Takes the sequencer for this transaction when there is work: committed events waiting for their id, or finished
-- deliveries whose successor waits to be released. last_id NULL with waiting true: another replica holds the
-- sequencer (the caller tries again shortly); waiting false: nothing to do, and an idle round writes nothing.
-- No parameters. The row lock serialises sequencers, so their ids commit in increasing order, and serialises
-- fan-outs, releases and replays, so a session's queue never has two due heads.
WITH waiting AS (
    SELECT EXISTS (SELECT 1 FROM gateway_events WHERE id IS NULL)
        OR EXISTS (SELECT 1 FROM gateway_event_deliveries WHERE NOT released) AS waiting
), locked AS (
    SELECT last_id FROM gateway_event_sequencer
    WHERE (SELECT waiting FROM waiting)
    FOR UPDATE SKIP LOCKED
)
SELECT (SELECT waiting FROM waiting) AS waiting, (SELECT last_id FROM locked) AS last_id
