-- First attempts answered 2xx logged per cursor statement, not per event (decision 0024). A subscription's lane
-- logs what was delivered since its previous cursor statement as one row of parallel arrays: one heap row and a few
-- index entries per statement instead of a row, three index entries and a foreign-key check per event. Retries,
-- failed first attempts and replays keep their rows in gateway_delivery_attempts.
--
-- A run's id is drawn from the attempt log's own identity sequence, so that the two together are ordered as they
-- were written: an entry of the log is (id, position), position 0 for an attempt row and 1..n for the events of a
-- run, newest first by (id, position) descending.
CREATE TABLE gateway_delivery_runs (
    id              bigint      PRIMARY KEY DEFAULT nextval('gateway_delivery_attempts_id_seq'),
    subscription_id uuid        NOT NULL REFERENCES gateway_subscriptions (id) ON DELETE CASCADE,
    -- one element per event, in the order the answers came
    event_ids       bigint[]    NOT NULL,
    status_codes    integer[]   NOT NULL,
    durations_ms    integer[]   NOT NULL,
    attempted_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (cardinality(event_ids) > 0 AND cardinality(status_codes) = cardinality(event_ids)
           AND cardinality(durations_ms) = cardinality(event_ids))
);
-- the log of one subscription, newest first
CREATE INDEX gateway_delivery_runs_subscription ON gateway_delivery_runs (subscription_id, id DESC);
-- the log of one event (GET .../deliveries?eventId=)
CREATE INDEX gateway_delivery_runs_events ON gateway_delivery_runs USING gin (event_ids);
-- retention: a run is dropped once it is older than the events' retention (its events were all older still)
CREATE INDEX gateway_delivery_runs_attempted_at ON gateway_delivery_runs (attempted_at);

-- The whole attempt log, one row per attempt (for operators and reports; the service pages the two tables itself).
CREATE VIEW gateway_delivery_log AS
SELECT a.id, 0::bigint AS position, a.subscription_id, a.event_id, a.delivery_id, a.attempt, a.status_code, a.error,
       a.duration_ms, a.attempted_at, a.next_attempt_at
FROM gateway_delivery_attempts a
UNION ALL
SELECT r.id, o.position, r.subscription_id, o.event_id, NULL::bigint, 1, o.status_code, NULL::text, o.duration_ms,
       r.attempted_at, NULL::timestamptz
FROM gateway_delivery_runs r
CROSS JOIN LATERAL unnest(r.event_ids, r.status_codes, r.durations_ms) WITH ORDINALITY
    AS o(event_id, status_code, duration_ms, position);
