-- Erasure against deliveries in flight. An inbound statement whose snapshot was taken before an erasure committed
-- did not see the erasure's tombstone, and its customer upsert, finding the deleted profile row gone once the erasure
-- committed, inserted it again: a message sent before the erasure could be stored after it. Now the two meet at an
-- advisory lock on the customer's wa_id: the inbound statement takes it shared and then reads the tombstones with a
-- fresh snapshot (this function is VOLATILE, so its query sees what committed before the lock was granted); the
-- erasure takes it exclusive before anything else, so it waits for the transactions that are storing that
-- customer's messages (and then erases what they stored), and later ones wait for it (and then see its tombstone).

-- The advisory lock key of a wa_id: a class of this module's keys and the hash of the wa_id (V12's
-- gateway_customer_identity computes the same key inline, since it is created before this function).
CREATE FUNCTION gateway_erasure_lock_key(wa_id text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT (1464336244::bigint << 32) | (hashtext(wa_id)::bigint & 4294967295)
$$;

-- Whether an inbound message from wa_id / phone_number with Meta timestamp ts belongs to erased data: waits for an
-- erasure of that wa_id in progress, then reads the tombstones (V8) as they are now.
CREATE FUNCTION gateway_erased(wa_id text, phone_number text, ts timestamptz) RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(gateway_erasure_lock_key(wa_id));
    RETURN EXISTS (SELECT 1 FROM whatsapp_erased_customers
                   WHERE wa_id_hash IN (gateway_erasure_hash(wa_id), gateway_erasure_hash(phone_number))
                     AND erased_at >= ts);
END
$$;
