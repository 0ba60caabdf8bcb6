-- A page of templates ordered by name, language, id, keyset paged; every filter is optional (NULL: any).
-- Parameters: $1 name, $2 status, $3 category, $4..$6 the last row of the previous page (name, language, id; NULL:
-- first page), $7 page size.
SELECT id, waba_id, template_id, name, language, category, status, quality, components::text AS components,
       rejection_reason, updated_at
FROM whatsapp_templates
WHERE ($1::text IS NULL OR name = $1::text)
  AND ($2::text IS NULL OR status = $2::text)
  AND ($3::text IS NULL OR category = $3::text)
  AND ($6::uuid IS NULL OR (COALESCE(name, ''), COALESCE(language, ''), id) > ($4::text, $5::text, $6::uuid))
ORDER BY COALESCE(name, ''), COALESCE(language, ''), id
LIMIT $7
