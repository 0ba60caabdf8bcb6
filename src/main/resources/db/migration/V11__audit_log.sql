-- Audit log of admin writes: who (the admin key's name and fingerprint, never the key), what, which row, when, and
-- the outcome. Written only by audit/AuditLog (and the rollback command's own row); read by GET /api/v1/audit.
CREATE TABLE gateway_audit_log (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    actor           text        NOT NULL,
    key_fingerprint text,
    action          text        NOT NULL,
    resource_type   text,
    resource_id     text,
    http_method     text,
    path            text,
    status          integer,
    request_id      text,
    details         jsonb,
    CONSTRAINT gateway_audit_log_pkey PRIMARY KEY (id)
);

-- The list is newest first (id desc) under each filter; retention scans by time.
CREATE INDEX gateway_audit_log_actor_idx ON gateway_audit_log (actor, id DESC);
CREATE INDEX gateway_audit_log_action_idx ON gateway_audit_log (action, id DESC);
CREATE INDEX gateway_audit_log_resource_idx ON gateway_audit_log (resource_type, resource_id, id DESC);
CREATE INDEX gateway_audit_log_occurred_at_idx ON gateway_audit_log (occurred_at);
