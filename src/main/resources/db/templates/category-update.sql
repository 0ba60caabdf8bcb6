-- Applies a template_category_update webhook: the template's category at the entry's time $6.
-- Parameters: $1 waba id, $2 template id, $3 name, $4 language, $5 new category, $6 event time. Monotonic and
-- idempotent like status-update.sql.
INSERT INTO whatsapp_templates AS t (waba_id, template_id, name, language, category, category_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (waba_id, template_id) DO UPDATE SET
    name = COALESCE(excluded.name, t.name),
    language = COALESCE(excluded.language, t.language),
    category = excluded.category,
    category_at = excluded.category_at,
    updated_at = now()
WHERE t.category_at IS NULL OR t.category_at < excluded.category_at
   OR (t.category_at = excluded.category_at AND t.category IS DISTINCT FROM excluded.category)
RETURNING id, waba_id, template_id, name, language, category, status, quality, components::text AS components,
          rejection_reason, updated_at
