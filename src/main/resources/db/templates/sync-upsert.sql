-- Stores one template as the Graph API lists it (POST /api/v1/templates/sync). The listing is the state at $10, so
-- it replaces each part whose stored fact is not newer; a webhook fact stamped later than the listing is kept.
-- Parameters: $1 waba id, $2 template id, $3 name, $4 language, $5 category, $6 status, $7 quality, $8 components
-- (JSON text), $9 rejection reason, $10 time of the listing. Idempotent; concurrent upserts of one template meet at
-- its unique key and apply one after the other.
-- Returns the stored template and changed: it is new, or a part the API shows differs from what was stored before
-- (its whatsapp.template.updated event is appended then, as for a webhook change).
WITH before AS (
    SELECT name, language, category, status, quality, components, rejection_reason
    FROM whatsapp_templates WHERE waba_id = $1 AND template_id = $2
), stored AS (
INSERT INTO whatsapp_templates AS t (waba_id, template_id, name, language, category, status, quality, components,
                                     rejection_reason, status_at, category_at, quality_at, components_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10, $10, $10, $10)
ON CONFLICT (waba_id, template_id) DO UPDATE SET
    name = COALESCE(excluded.name, t.name),
    language = COALESCE(excluded.language, t.language),
    status = CASE WHEN t.status_at IS NULL OR t.status_at <= excluded.status_at THEN excluded.status ELSE t.status END,
    rejection_reason = CASE WHEN t.status_at IS NULL OR t.status_at <= excluded.status_at THEN excluded.rejection_reason
                            ELSE t.rejection_reason END,
    status_at = GREATEST(t.status_at, excluded.status_at),
    category = CASE WHEN t.category_at IS NULL OR t.category_at <= excluded.category_at THEN excluded.category
                    ELSE t.category END,
    category_at = GREATEST(t.category_at, excluded.category_at),
    quality = CASE WHEN t.quality_at IS NULL OR t.quality_at <= excluded.quality_at THEN excluded.quality
                   ELSE t.quality END,
    quality_at = GREATEST(t.quality_at, excluded.quality_at),
    components = CASE WHEN t.components_at IS NULL OR t.components_at <= excluded.components_at THEN excluded.components
                      ELSE t.components END,
    components_at = GREATEST(t.components_at, excluded.components_at),
    updated_at = now()
RETURNING id, waba_id, template_id, name, language, category, status, quality, components, rejection_reason,
          updated_at
)
SELECT s.id, s.waba_id, s.template_id, s.name, s.language, s.category, s.status, s.quality,
       s.components::text AS components, s.rejection_reason, s.updated_at,
       NOT EXISTS (SELECT 1 FROM before)
           OR (SELECT (b.name, b.language, b.category, b.status, b.quality, b.components, b.rejection_reason)
                      IS DISTINCT FROM (s.name, s.language, s.category, s.status, s.quality, s.components,
                                        s.rejection_reason)
               FROM before b) AS changed
FROM stored s
