-- Customers: the admin list, and erasure (DELETE /api/v1/customers/{id}) with tombstones that hold no personal data.
-- New objects only.

-- The customer list, newest first. created_at never changes, so this index does not cost the ingest's profile
-- upsert its HOT update (updated_at moves on every inbound message and is not indexed).
CREATE INDEX customer_profiles_created_at_id_idx ON customer_profiles (created_at DESC, id DESC);

-- The value an erasure tombstone keeps: SHA-256 of the text, never the text itself.
CREATE FUNCTION gateway_erasure_hash(value text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT sha256(convert_to(value, 'UTF8'))
$$;

-- An erased customer: the hash of their wa_id (and of their sessions' phone numbers) and when they were erased. An
-- inbound message from that number with a Meta timestamp at or before erased_at belongs to the erased data (Meta's
-- retries, replayed captures) and is answered as a duplicate without being stored. Purged once older than
-- gateway.whatsapp.stale-after, when the stale rule covers such messages.
CREATE TABLE whatsapp_erased_customers (
    wa_id_hash bytea       NOT NULL,
    erased_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_erased_customers_pkey PRIMARY KEY (wa_id_hash)
);
CREATE INDEX whatsapp_erased_customers_erased_at_idx ON whatsapp_erased_customers (erased_at);

-- The hashed wamids of an erased customer's messages: a status of one of them (Meta's retry) is not kept as
-- pending (its payload names the customer). Purged like the customer tombstones.
CREATE TABLE whatsapp_erased_messages (
    message_hash bytea       NOT NULL,
    erased_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_erased_messages_pkey PRIMARY KEY (message_hash)
);
CREATE INDEX whatsapp_erased_messages_erased_at_idx ON whatsapp_erased_messages (erased_at);
