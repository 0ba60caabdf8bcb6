-- Deletes a subscription with its deliveries and their attempts (cascade). Parameters: $1 id.
DELETE FROM gateway_subscriptions WHERE id = $1
