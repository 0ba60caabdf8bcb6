-- Media (issue 16): the files customers send, kept before Meta forgets them (a webhook's media id lives 7 days),
-- and the files uploaded through the gateway. docs/decisions/0021-media.md.
--
-- gateway_media: one row per message with a file, inbound or outbound. It is both what the API shows of the file
-- (status pending|stored|failed, error) and the download job: due_at is when it may next be tried, lease_token and
-- lease_until the replica working on it (claimed with FOR UPDATE SKIP LOCKED; an expired lease is claimed again, so
-- a crashed replica's job is taken over). Inserted by the conversation writer's inbound statements (in the same
-- statement as the message, so the job commits with it); updated only by media/MediaJobs. Deleted with its message
-- (ON DELETE CASCADE): erasure and retention take the jobs with the messages.
CREATE TABLE gateway_media (
    message_id      uuid        NOT NULL,
    media_id        text        NOT NULL,
    phone_number_id text,
    media_type      text        NOT NULL,
    mime_type       text,
    filename        text,
    expected_sha256 text,
    sha256          text,
    file_size       bigint,
    status          text        NOT NULL DEFAULT 'pending',
    error           text,
    attempts        integer     NOT NULL DEFAULT 0,
    due_at          timestamptz NOT NULL DEFAULT now(),
    lease_token     uuid,
    lease_until     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gateway_media_pkey PRIMARY KEY (message_id),
    CONSTRAINT gateway_media_message_fkey FOREIGN KEY (message_id) REFERENCES whatsapp_messages (id) ON DELETE CASCADE,
    CONSTRAINT gateway_media_status_check CHECK (status IN ('pending', 'stored', 'failed'))
);
-- The claim reads the pending jobs by due time; the orphan sweep looks files up by hash.
CREATE INDEX gateway_media_due_idx ON gateway_media (due_at) WHERE status = 'pending';
CREATE INDEX gateway_media_sha256_idx ON gateway_media (sha256);

-- Files uploaded to Meta through POST /api/v1/media, by Meta's media id: an outbound message sending that id shows
-- this file. Written only by media/MediaJobs.
CREATE TABLE gateway_media_uploads (
    media_id        text        NOT NULL,
    phone_number_id text        NOT NULL,
    sha256          text        NOT NULL,
    mime_type       text        NOT NULL,
    filename        text,
    file_size       bigint      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gateway_media_uploads_pkey PRIMARY KEY (media_id)
);
CREATE INDEX gateway_media_uploads_sha256_idx ON gateway_media_uploads (sha256);

-- The stored files, one row per content (hex SHA-256), whatever the store; with the database store their bytes are
-- gateway_media_chunks rows keyed by that hash. A download writes its chunks under a staging key first
-- ('tmp:<message id>:<lease token>') and renames them to the hash once it is checked. Written only by
-- media/MediaFiles.
CREATE TABLE gateway_media_files (
    sha256      text        NOT NULL,
    size        bigint      NOT NULL,
    store       text        NOT NULL,
    chunk_bytes integer,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT gateway_media_files_pkey PRIMARY KEY (sha256)
);
CREATE TABLE gateway_media_chunks (
    file_key text    NOT NULL,
    seq      integer NOT NULL,
    data     bytea   NOT NULL,
    CONSTRAINT gateway_media_chunks_pkey PRIMARY KEY (file_key, seq)
);
-- Chunks are written once and read in order; no TOAST compression (media is compressed already).
ALTER TABLE gateway_media_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
