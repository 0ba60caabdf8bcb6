-- Delivery statuses applied many at a time (group commit of status webhooks, and the statuses of a delivery that
-- carries several items): one call applies a batch as status-update.sql and pending-status.sql apply one.
--
-- Each wamid's lock (pg_advisory_xact_lock(hashtext(wamid)), the lock an outbound send takes before it stores the
-- wamid) is taken once, in the order of the keys, so two batches never wait on each other in a cycle. The batch is
-- applied by the function's next statement, whose snapshot is taken after every lock was granted: a send that
-- committed meanwhile is seen (its status applied), a send still to come finds the status kept and applies it.
--
-- Per wamid, the status of highest rank (then the latest, then the first given) among the items that may touch its
-- message moves it forward, as if it had come first and the others after it; failed keeps its errors. A forward move
-- appends its whatsapp.message.status event. A status for a message not stored (yet) is kept in
-- whatsapp_pending_statuses, unless the wamid has a tombstone (V5) or belongs to an erased customer (V8).
-- An item whose scope (the business number its signer may write for; null: every number) is not the message's number
-- leaves the message as it is.
--
-- Returns one row per item, by its position (1-based) in the arrays: APPLIED (this item moved the message),
-- FOREIGN, STALE (the message is at this rank or higher, or another item of the batch moved it), PENDING (kept),
-- DELETED (tombstone, nothing kept).
CREATE FUNCTION gateway_apply_statuses(p_wamid text[], p_status text[], p_rank smallint[], p_at timestamptz[],
        p_errors text[], p_raw text[], p_scope text[])
    RETURNS TABLE (item integer, outcome text)
    LANGUAGE plpgsql VOLATILE
    -- Planned once per connection: with array parameters PostgreSQL would otherwise keep choosing a custom plan
    -- (it knows each array's length) and plan the whole statement again on every call, which cost more than
    -- running it.
    SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(l.key)
    FROM (SELECT DISTINCT hashtext(w) AS key FROM unnest(p_wamid) AS w ORDER BY 1) AS l;

    RETURN QUERY
    WITH input AS (
        SELECT i.wamid, i.status, i.rank, i.at, i.errors, i.raw, i.scope, i.ord::integer AS ord
        FROM unnest(p_wamid, p_status, p_rank, p_at, p_errors, p_raw, p_scope)
             WITH ORDINALITY AS i (wamid, status, rank, at, errors, raw, scope, ord)
    ), judged AS (
        SELECT i.*, m.message_id IS NOT NULL AS found, m.status_rank AS current_rank,
               (m.message_id IS NOT NULL AND i.scope IS NOT NULL AND m.phone_number_id IS DISTINCT FROM i.scope)
                   AS other_number
        FROM input i LEFT JOIN whatsapp_messages m ON m.message_id = i.wamid
    ), best AS (
        SELECT DISTINCT ON (j.wamid) j.*
        FROM judged j
        WHERE j.found AND NOT j.other_number AND j.rank > j.current_rank
        ORDER BY j.wamid, j.rank DESC, j.at DESC NULLS LAST, j.ord
    ), moved AS (
        UPDATE whatsapp_messages m
           SET status = b.status, status_rank = b.rank, status_at = b.at,
               status_errors = COALESCE(b.errors::jsonb, m.status_errors)
          FROM best b
         WHERE m.message_id = b.wamid AND m.status_rank < b.rank
        RETURNING m.*
    ), event AS (
        INSERT INTO gateway_events (type, phone_number_id, subject, data)
        SELECT 'whatsapp.message.status', COALESCE(m.phone_number_id, ''), m.session_id,
               gateway_event_message(m, s.phone_number)
        FROM moved m JOIN whatsapp_sessions s ON s.id = m.session_id
    ), deleted AS (
        SELECT DISTINCT j.wamid
        FROM judged j
        WHERE NOT j.found
          AND (EXISTS (SELECT 1 FROM whatsapp_deleted_messages d WHERE d.message_id = j.wamid)
               OR EXISTS (SELECT 1 FROM whatsapp_erased_messages e
                          WHERE e.message_hash = gateway_erasure_hash(j.wamid)))
    ), kept AS (
        INSERT INTO whatsapp_pending_statuses (message_id, status, status_rank, status_at, errors, payload)
        SELECT DISTINCT ON (j.wamid, j.status) j.wamid, j.status, j.rank, j.at, j.errors::jsonb, j.raw::jsonb
        FROM judged j
        WHERE NOT j.found AND j.wamid NOT IN (SELECT d.wamid FROM deleted d)
        ORDER BY j.wamid, j.status, j.ord
        ON CONFLICT (message_id, status) DO NOTHING
    )
    SELECT j.ord,
           CASE WHEN EXISTS (SELECT 1 FROM best b JOIN moved m ON m.message_id = b.wamid WHERE b.ord = j.ord)
                    THEN 'APPLIED'
                WHEN j.other_number THEN 'FOREIGN'
                WHEN j.found THEN 'STALE'
                WHEN j.wamid IN (SELECT d.wamid FROM deleted d) THEN 'DELETED'
                ELSE 'PENDING' END
    FROM judged j
    ORDER BY j.ord;
END
$$;
