-- Delivery statuses applied to their messages in one statement: V19's gateway_apply_statuses takes each wamid's lock
-- (the lock an outbound send takes before storing a wamid), then moves messages forward only (a lower or equal rank
-- is a no-op; failed keeps its errors), appends a whatsapp.message.status event per move, and keeps the statuses of
-- messages not stored (yet) unless their wamid has a tombstone. A message of another number than an item's scope is
-- never touched.
-- Parameters (arrays, one element per status): $1 wamid, $2 status, $3 rank, $4 Meta timestamp, $5 errors (JSON text
-- or null), $6 the status as received (JSON text), $7 the business number its signer may write for (null: any).
-- Returns one row per status: item (its 1-based position) and outcome (APPLIED, FOREIGN, STALE, PENDING, DELETED).
SELECT item, outcome
FROM gateway_apply_statuses($1::text[], $2::text[], $3::smallint[], $4::timestamptz[], $5::text[], $6::text[],
                            $7::text[])
