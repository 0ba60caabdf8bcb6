-- Applies a user_preferences webhook item (category marketing_messages): the customer's preference at time $4.
-- Parameters: $1 waba id, $2 wa_id, $3 preference (stopped / resumed), $4 time Meta reports. Monotonic: an older
-- item is skipped, a redelivery changes nothing; RETURNING yields a row only when something changed.
INSERT INTO whatsapp_marketing_preferences AS p (waba_id, wa_id, preference, changed_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (waba_id, wa_id) DO UPDATE SET
    preference = excluded.preference,
    changed_at = excluded.changed_at,
    updated_at = now()
WHERE p.changed_at < excluded.changed_at
   OR (p.changed_at = excluded.changed_at AND p.preference IS DISTINCT FROM excluded.preference)
RETURNING waba_id, wa_id, preference, changed_at
