-- What a template send must know: the template's status and category in the sender's business account, and the
-- recipient's marketing preference there. Parameters: $1 waba id, $2 template name, $3 language code, $4 wa_id.
SELECT (SELECT status FROM whatsapp_templates
        WHERE waba_id = $1 AND name = $2 AND ($3::text IS NULL OR language = $3::text)
        ORDER BY (status = 'APPROVED') DESC LIMIT 1) AS status,
       (SELECT category FROM whatsapp_templates
        WHERE waba_id = $1 AND name = $2 AND ($3::text IS NULL OR language = $3::text) LIMIT 1) AS category,
       (SELECT preference FROM whatsapp_marketing_preferences WHERE waba_id = $1 AND wa_id = $4) AS preference
