-- Applies a message_template_components_update webhook: the template's components (Meta's webhook value, which
-- names the changed parts) at the entry's time $6.
-- Parameters: $1 waba id, $2 template id, $3 name, $4 language, $5 components (JSON text), $6 event time. Monotonic
-- and idempotent like status-update.sql.
INSERT INTO whatsapp_templates AS t (waba_id, template_id, name, language, components, components_at)
VALUES ($1, $2, $3, $4, $5::text::jsonb, $6)
ON CONFLICT (waba_id, template_id) DO UPDATE SET
    name = COALESCE(excluded.name, t.name),
    language = COALESCE(excluded.language, t.language),
    components = excluded.components,
    components_at = excluded.components_at,
    updated_at = now()
WHERE t.components_at IS NULL OR t.components_at < excluded.components_at
   OR (t.components_at = excluded.components_at AND t.components IS DISTINCT FROM excluded.components)
RETURNING id, waba_id, template_id, name, language, category, status, quality, components::text AS components,
          rejection_reason, updated_at
