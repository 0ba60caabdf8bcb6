-- Gives up this replica's cursors when it stops, so another replica takes them at once instead of after the lease.
-- Parameters: $1 this replica's dispatcher id.
UPDATE gateway_subscription_cursors SET dispatcher = NULL, dispatcher_until = NULL WHERE dispatcher = $1
