-- First step of erasing a customer (customer-erase.sql is the last). Takes the erasure lock of their wa_id (V14)
-- exclusively, before any other lock: it waits for the transactions storing messages of that wa_id (which hold it
-- shared, gateway_erased) and holds off later ones until this commits; the next steps' fresh snapshots see what
-- the earlier ones stored. Then locks the profile row, the first lock of the ingest's order (inbound-message.sql).
-- Parameter: $1 customer id. Returns their wa_id (no row: no such customer).
WITH erasing AS (
    SELECT id, wa_id, pg_advisory_xact_lock(gateway_erasure_lock_key(wa_id)) AS locked
    FROM customer_profiles WHERE id = $1
)
SELECT cp.wa_id FROM customer_profiles cp JOIN erasing e ON e.id = cp.id FOR UPDATE OF cp
