-- First step of erasing a customer (customer-erase.sql is the last): lock their profile row, the first lock of the
-- ingest's order (inbound-message.sql), so that a delivery of theirs being written finishes first and one that
-- comes later waits for the erasure. Parameter: $1 customer id. Returns their wa_id (no row: no such customer).
SELECT wa_id FROM customer_profiles WHERE id = $1 FOR UPDATE
