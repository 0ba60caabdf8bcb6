-- Numbers committed events that have no id yet, in insertion order. Runs in the transaction that holds the
-- sequencer (sequencer-lock.sql). Parameters: $1 the last id handed out, $2 most events per run.
-- Safe because only committed rows are visible here and the sequencer row lock makes numbering runs commit one
-- after another: an id is never lower than one a reader could already have seen, so a reader (a stream, a
-- subscription's cursor) that goes on after the last id it read misses nothing. Two events of one session are
-- appended under the session's row lock, so the later one is inserted (and numbered) after the earlier one.
WITH next AS (
    SELECT seq, $1 + row_number() OVER (ORDER BY seq) AS id
    FROM (SELECT seq FROM gateway_events WHERE id IS NULL ORDER BY seq LIMIT $2) pending
), numbered AS (
    UPDATE gateway_events e SET id = next.id FROM next WHERE e.seq = next.seq
    RETURNING e.id
), moved AS (
    UPDATE gateway_event_sequencer SET last_id = (SELECT max(id) FROM next) WHERE EXISTS (SELECT 1 FROM next)
)
SELECT (SELECT count(*) FROM numbered) AS events
