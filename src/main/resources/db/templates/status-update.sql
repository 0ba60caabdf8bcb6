-- Applies a message_template_status_update webhook: the template's status and reason at the entry's time $7.
-- Parameters: $1 waba id, $2 template id, $3 name, $4 language, $5 status, $6 reason (NULL or NONE: none), $7 event
-- time, $8 category (NULL: unchanged). Monotonic: an update older than the stored status is skipped, and a redelivery
-- (same time, same status) changes nothing; RETURNING yields a row only when something changed.
INSERT INTO whatsapp_templates AS t (waba_id, template_id, name, language, status, rejection_reason, status_at,
                                     category)
VALUES ($1, $2, $3, $4, $5, NULLIF($6, 'NONE'), $7, $8)
ON CONFLICT (waba_id, template_id) DO UPDATE SET
    name = COALESCE(excluded.name, t.name),
    language = COALESCE(excluded.language, t.language),
    status = excluded.status,
    rejection_reason = excluded.rejection_reason,
    status_at = excluded.status_at,
    category = COALESCE(t.category, excluded.category),
    updated_at = now()
WHERE t.status_at IS NULL OR t.status_at < excluded.status_at
   OR (t.status_at = excluded.status_at AND (t.status IS DISTINCT FROM excluded.status
                                             OR t.rejection_reason IS DISTINCT FROM excluded.rejection_reason))
RETURNING id, waba_id, template_id, name, language, category, status, quality, components::text AS components,
          rejection_reason, updated_at
