-- Items of webhook deliveries that PostgreSQL refused with a data error (SQLSTATE class 22, 54000): a retry
-- cannot store them, so the delivery is acknowledged and the raw item is kept here for a person to look at,
-- until gateway.whatsapp.dead-letter-retention has passed (RetentionJanitor).
CREATE TABLE whatsapp_dead_letters (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    received_at     timestamptz NOT NULL DEFAULT now(),
    phone_number_id text,
    kind            text        NOT NULL,
    wamid           text,
    sqlstate        text        NOT NULL,
    error           text        NOT NULL,
    -- The item as JSON text (text, not jsonb: what jsonb refused must still be kept); payload::jsonb reads it.
    payload         text        NOT NULL,
    CONSTRAINT whatsapp_dead_letters_pkey PRIMARY KEY (id),
    CONSTRAINT whatsapp_dead_letters_kind_check CHECK (kind IN ('message', 'status'))
);

-- The janitor deletes the oldest first, in bounded batches.
CREATE INDEX whatsapp_dead_letters_received_at_idx ON whatsapp_dead_letters (received_at);
