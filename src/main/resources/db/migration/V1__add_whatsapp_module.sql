-- The seed's "add_whatsapp_module" migration, one to one (Prisma model -> PostgreSQL, snake_case).
-- Never edit this file: later changes go in V2, V3, ...

CREATE TYPE whatsapp_session_state AS ENUM (
    'IDLE',
    'BROWSING_CATEGORIES',
    'BROWSING_PRODUCTS',
    'VIEWING_PRODUCT',
    'VIEWING_CART',
    'CHECKOUT',
    'AWAITING_PAYMENT',
    'HUMAN_HANDOFF'
);

CREATE TYPE whatsapp_message_direction AS ENUM ('INBOUND', 'OUTBOUND');

-- CustomerProfile: the seed relates sessions to it; this service owns it.
CREATE TABLE customer_profiles (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    wa_id        text        NOT NULL,
    display_name text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL,
    CONSTRAINT customer_profiles_pkey PRIMARY KEY (id),
    CONSTRAINT customer_profiles_wa_id_key UNIQUE (wa_id)
);

CREATE TABLE whatsapp_settings (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    api_key         text        NOT NULL,
    phone_number_id text        NOT NULL,
    business_id     text        NOT NULL,
    access_token    text        NOT NULL,
    webhook_token   text        NOT NULL,
    webhook_url     text,
    is_active       boolean     NOT NULL DEFAULT true,
    last_updated_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_settings_pkey PRIMARY KEY (id)
);

CREATE TABLE whatsapp_sessions (
    id                  uuid                   NOT NULL DEFAULT gen_random_uuid(),
    phone_number        text                   NOT NULL,
    customer_profile_id uuid,
    state               whatsapp_session_state NOT NULL DEFAULT 'IDLE',
    context_data        jsonb,
    last_message_at     timestamptz            NOT NULL DEFAULT now(),
    created_at          timestamptz            NOT NULL DEFAULT now(),
    updated_at          timestamptz            NOT NULL,
    CONSTRAINT whatsapp_sessions_pkey PRIMARY KEY (id),
    CONSTRAINT whatsapp_sessions_phone_number_key UNIQUE (phone_number),
    CONSTRAINT whatsapp_sessions_customer_profile_id_fkey FOREIGN KEY (customer_profile_id)
        REFERENCES customer_profiles (id) ON DELETE SET NULL ON UPDATE CASCADE
);

CREATE TABLE whatsapp_messages (
    id           uuid                       NOT NULL DEFAULT gen_random_uuid(),
    session_id   uuid                       NOT NULL,
    message_id   text                       NOT NULL,
    direction    whatsapp_message_direction NOT NULL,
    content      text                       NOT NULL,
    message_type text                       NOT NULL DEFAULT 'text',
    metadata     jsonb,
    created_at   timestamptz                NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_messages_pkey PRIMARY KEY (id),
    CONSTRAINT whatsapp_messages_message_id_key UNIQUE (message_id),
    CONSTRAINT whatsapp_messages_session_id_fkey FOREIGN KEY (session_id)
        REFERENCES whatsapp_sessions (id) ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX whatsapp_sessions_customer_profile_id_idx ON whatsapp_sessions (customer_profile_id);
CREATE INDEX whatsapp_messages_session_id_idx ON whatsapp_messages (session_id);
