-- The event feed: the event log written in the same transaction as the change it describes
-- (transactional outbox), the subscriptions that receive it as signed webhooks, and their deliveries.
-- New tables only. Why events get their public id after commit: docs/decisions/0011-event-ids-after-commit.md.

-- seq: insertion order, assigned by the writer's transaction (internal).
-- id: the public event id and resume cursor, assigned once the row is committed, by one sequencer at a time,
--     in increasing order; NULL until then, and rows without one are shown to nobody.
CREATE TABLE gateway_events (
    seq             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id              bigint      UNIQUE,
    type            text        NOT NULL,
    phone_number_id text        NOT NULL,
    subject         uuid,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    data            jsonb       NOT NULL
);
-- The sequencer's work list: committed rows still without an id, in insertion order.
CREATE INDEX gateway_events_unsequenced ON gateway_events (seq) WHERE id IS NULL;
-- Retention drops the oldest sequenced rows first.
CREATE INDEX gateway_events_retention ON gateway_events (occurred_at) WHERE id IS NOT NULL;

-- The last id handed out. One row; the sequencer locks it (FOR UPDATE SKIP LOCKED), so one replica at a time
-- numbers events and the numbers commit in increasing order.
CREATE TABLE gateway_event_sequencer (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id   bigint  NOT NULL
);
INSERT INTO gateway_event_sequencer (last_id) VALUES (0);

-- A receiver of events. event_types / phone_number_ids NULL: every type / number.
-- secret: the Standard Webhooks secret (whsec_...) encrypted by SecretCipher (column "secret", row id bound in).
CREATE TABLE gateway_subscriptions (
    id               uuid        PRIMARY KEY,
    url              text        NOT NULL,
    event_types      text[],
    phone_number_ids text[],
    secret           text        NOT NULL,
    is_active        boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gateway_subscriptions_page ON gateway_subscriptions (created_at DESC, id DESC);

-- One event for one subscription. attempts counts the claims; a claim pushes next_attempt_at forward by the lease,
-- so a replica that dies mid-attempt leaves the delivery to another one once the lease ends.
CREATE TABLE gateway_event_deliveries (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id uuid        NOT NULL REFERENCES gateway_subscriptions (id) ON DELETE CASCADE,
    event_id        bigint      NOT NULL REFERENCES gateway_events (id) ON DELETE CASCADE,
    subject         uuid,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    UNIQUE (subscription_id, event_id)
);
-- Claims: due pending deliveries; per-session order: the earlier pending delivery of the same session.
CREATE INDEX gateway_event_deliveries_due ON gateway_event_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX gateway_event_deliveries_session ON gateway_event_deliveries (subscription_id, subject, event_id)
    WHERE state = 'pending';
CREATE INDEX gateway_event_deliveries_event ON gateway_event_deliveries (event_id);

-- Every attempt of a delivery: the receiver's HTTP status, or the error when there was no answer.
CREATE TABLE gateway_delivery_attempts (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id  bigint      NOT NULL REFERENCES gateway_event_deliveries (id) ON DELETE CASCADE,
    attempt      integer     NOT NULL,
    status_code  integer,
    error        text,
    duration_ms  integer     NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz
);
CREATE INDEX gateway_delivery_attempts_delivery ON gateway_delivery_attempts (delivery_id, attempt);
