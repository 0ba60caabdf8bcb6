-- The business accounts' message templates, as the Graph API lists them (POST /api/v1/templates/sync) and as the
-- template webhooks change them; and the customers' marketing preferences (user_preferences webhook). Written only by
-- templates/TemplateWrites. Each changeable part keeps the time of the fact it holds, so an older webhook delivered
-- late never replaces a newer fact.
CREATE TABLE whatsapp_templates (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    waba_id          text        NOT NULL,
    template_id      text        NOT NULL,
    name             text,
    language         text,
    category         text,
    status           text,
    quality          text,
    components       jsonb,
    rejection_reason text,
    status_at        timestamptz,
    category_at      timestamptz,
    quality_at       timestamptz,
    components_at    timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_templates_pkey PRIMARY KEY (id),
    CONSTRAINT whatsapp_templates_waba_id_template_id_key UNIQUE (waba_id, template_id)
);
-- The list is ordered by name, language, id; a send looks a template up by account, name and language.
CREATE INDEX whatsapp_templates_name_idx ON whatsapp_templates (name, language, id);
CREATE INDEX whatsapp_templates_lookup_idx ON whatsapp_templates (waba_id, name, language);

-- A customer's marketing preference (user_preferences, category marketing_messages) per business account, with the
-- time Meta reports for it.
CREATE TABLE whatsapp_marketing_preferences (
    waba_id    text        NOT NULL,
    wa_id      text        NOT NULL,
    preference text        NOT NULL,
    changed_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT whatsapp_marketing_preferences_pkey PRIMARY KEY (waba_id, wa_id)
);
