-- Applies a message_template_quality_update webhook: the template's quality score at the entry's time $6.
-- Parameters: $1 waba id, $2 template id, $3 name, $4 language, $5 new quality score, $6 event time. Monotonic and
-- idempotent like status-update.sql.
INSERT INTO whatsapp_templates AS t (waba_id, template_id, name, language, quality, quality_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (waba_id, template_id) DO UPDATE SET
    name = COALESCE(excluded.name, t.name),
    language = COALESCE(excluded.language, t.language),
    quality = excluded.quality,
    quality_at = excluded.quality_at,
    updated_at = now()
WHERE t.quality_at IS NULL OR t.quality_at < excluded.quality_at
   OR (t.quality_at = excluded.quality_at AND t.quality IS DISTINCT FROM excluded.quality)
RETURNING id, waba_id, template_id, name, language, category, status, quality, components::text AS components,
          rejection_reason, updated_at
