-- Takes or renews, for this replica, the cursor of every active subscription that no live replica holds: a new
-- subscription's cursor starts at its start_event_id. Returns the cursors this replica holds until the lease ends.
-- Parameters: $1 this replica's dispatcher id, $2 the lease in ms (on the database's clock, as its end is compared).
-- Safe with any number of replicas: the row's conflict lock makes one replica's take win; a cursor changes hands
-- only once its lease has ended (its holder died or stopped renewing).
INSERT INTO gateway_subscription_cursors AS c (subscription_id, cursor_event_id, dispatcher, dispatcher_until)
SELECT s.id, s.start_event_id, $1, now() + $2 * interval '1 millisecond'
FROM gateway_subscriptions s
WHERE s.is_active
ON CONFLICT (subscription_id) DO UPDATE
    SET dispatcher = excluded.dispatcher, dispatcher_until = excluded.dispatcher_until
    WHERE c.dispatcher IS NULL OR c.dispatcher = excluded.dispatcher OR c.dispatcher_until < now()
RETURNING c.subscription_id, c.cursor_event_id
