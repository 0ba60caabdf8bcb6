-- Numbers committed events that have no id yet, in insertion order, and fans each out to the matching active
-- subscriptions as a pending delivery. Runs in the transaction that holds the sequencer (sequencer-lock.sql), so
-- fan-outs, releases (release.sql) and replays run one at a time: a session's queue has one due head at most.
-- Parameters: $1 the last id handed out, $2 most events per run.
-- Safe because only committed rows are visible here and the sequencer row lock makes numbering runs commit one
-- after another: an id is never lower than one a reader could already have seen. Two events of one session are
-- appended under the session's row lock, so the later one is inserted (and numbered) after the earlier one.
WITH next AS (
    SELECT seq, $1 + row_number() OVER (ORDER BY seq) AS id
    FROM (SELECT seq FROM gateway_events WHERE id IS NULL ORDER BY seq LIMIT $2) pending
), numbered AS (
    UPDATE gateway_events e SET id = next.id FROM next WHERE e.seq = next.seq
    RETURNING e.id, e.type, e.phone_number_id, e.subject
), matched AS (
    SELECT s.id AS subscription_id, n.id, n.subject,
           row_number() OVER (PARTITION BY s.id, n.subject ORDER BY n.id) AS nth
    FROM numbered n
    JOIN gateway_subscriptions s ON s.is_active
        AND (s.event_types IS NULL OR n.type = ANY (s.event_types))
        AND (s.phone_number_ids IS NULL OR n.phone_number_id = ANY (s.phone_number_ids))
), flagged AS (
    -- a session's due head gets the new deliveries behind it. Its row lock orders this with the head's completion
    -- (attempt.sql): a head completed meanwhile is no longer pending on recheck and is not returned, and a
    -- completion after this commit reads has_successor from the row's latest version.
    UPDATE gateway_event_deliveries h SET has_successor = true
    FROM (SELECT DISTINCT subscription_id, subject FROM matched WHERE subject IS NOT NULL) m
    WHERE h.subscription_id = m.subscription_id AND h.subject = m.subject AND h.state = 'pending'
      AND h.next_attempt_at IS NOT NULL
    RETURNING h.subscription_id, h.subject
), fanned AS (
    -- due at once: the first event of its session in this run when the session has neither a due head nor
    -- waiting deliveries (waiting ones are only made and released by sequencer runs, so this snapshot sees all);
    -- the others wait (NULL) and are released one by one (release.sql)
    INSERT INTO gateway_event_deliveries (subscription_id, event_id, subject, next_attempt_at, has_successor)
    SELECT m.subscription_id, m.id, m.subject,
           CASE WHEN m.subject IS NULL OR (m.nth = 1
                    AND NOT EXISTS (SELECT 1 FROM flagged f
                                    WHERE f.subscription_id = m.subscription_id AND f.subject = m.subject)
                    AND NOT EXISTS (SELECT 1 FROM gateway_event_deliveries w
                                    WHERE w.subscription_id = m.subscription_id AND w.subject = m.subject
                                      AND w.state = 'pending' AND w.next_attempt_at IS NULL))
                THEN now() END,
           m.nth = 1 AND m.subject IS NOT NULL
               AND EXISTS (SELECT 1 FROM matched l
                           WHERE l.subscription_id = m.subscription_id AND l.subject = m.subject AND l.nth = 2)
    FROM matched m
    RETURNING 1
), moved AS (
    UPDATE gateway_event_sequencer SET last_id = (SELECT max(id) FROM next) WHERE EXISTS (SELECT 1 FROM next)
)
SELECT (SELECT count(*) FROM numbered) AS events, (SELECT count(*) FROM fanned) AS deliveries
