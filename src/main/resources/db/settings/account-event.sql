-- One account webhook change (account_update, account_alerts, phone_number_quality_update,
-- phone_number_name_update), as a single statement: find the settings rows it is for, store one account event per
-- row unless its dedupe key is stored there already (a redelivery writes nothing), move the row's account state
-- forward (each value only when the event is at least as new as the one it came from, so an older event arriving
-- late stores its row but changes nothing), and append one whatsapp.account.updated per stored event; all commit
-- together.
-- Routing: the rows of phone_number_id $3, else of display number $4 (learned from message deliveries) in business
-- account $2, else every row of business account $2; only rows the delivery's signer may change ($13 every number,
-- else numbers $14 or business accounts $15).
-- Parameters: $1 field, $2 WABA id (entry.id), $3 phone_number_id, $4 display phone number (digits), $5 event,
-- $6 quality rating, $7 messaging limit tier, $8 account status (each NULL: not in this change), $9 details (JSON
-- text), $10 value (JSON text), $11 the event's time, $12 dedupe key, $13 every number, $14 numbers, $15 WABA ids.
-- Returns how many rows it was for and how many events it stored.
WITH owned AS (
    SELECT s.id, s.phone_number_id, s.business_id, s.display_phone_number
    FROM whatsapp_settings s
    WHERE $13::boolean OR s.phone_number_id = ANY ($14::text[]) OR s.business_id = ANY ($15::text[])
), by_number AS (
    SELECT id FROM owned WHERE $3::text IS NOT NULL AND phone_number_id = $3::text
    UNION
    SELECT id FROM owned
    WHERE $3::text IS NULL AND $4::text IS NOT NULL AND display_phone_number = $4::text
      AND ($2::text IS NULL OR business_id = $2::text)
), targets AS (
    SELECT id FROM by_number
    UNION ALL
    SELECT id FROM owned
    WHERE NOT EXISTS (SELECT 1 FROM by_number) AND $3::text IS NULL AND business_id = $2::text
), inserted AS (
    INSERT INTO whatsapp_account_events (settings_id, waba_id, field, event, quality_rating, messaging_limit_tier,
                                         account_status, details, value, event_at, dedupe_key)
    SELECT t.id, $2, $1, $5, $6, $7, $8, $9::text::jsonb, $10::text::jsonb, $11, $12 FROM targets t
    ON CONFLICT (settings_id, dedupe_key) DO NOTHING
    RETURNING id, settings_id
), updated AS (
    UPDATE whatsapp_settings s
    SET quality_rating          = CASE WHEN $6::text IS NOT NULL AND (s.quality_rating_at IS NULL
                                           OR s.quality_rating_at <= $11) THEN $6::text ELSE s.quality_rating END,
        quality_rating_at       = CASE WHEN $6::text IS NOT NULL AND (s.quality_rating_at IS NULL
                                           OR s.quality_rating_at <= $11) THEN $11 ELSE s.quality_rating_at END,
        messaging_limit_tier    = CASE WHEN $7::text IS NOT NULL AND (s.messaging_limit_tier_at IS NULL
                                           OR s.messaging_limit_tier_at <= $11) THEN $7::text
                                       ELSE s.messaging_limit_tier END,
        messaging_limit_tier_at = CASE WHEN $7::text IS NOT NULL AND (s.messaging_limit_tier_at IS NULL
                                           OR s.messaging_limit_tier_at <= $11) THEN $11
                                       ELSE s.messaging_limit_tier_at END,
        account_status          = CASE WHEN $8::text IS NOT NULL AND (s.account_status_at IS NULL
                                           OR s.account_status_at <= $11) THEN $8::text ELSE s.account_status END,
        account_status_at       = CASE WHEN $8::text IS NOT NULL AND (s.account_status_at IS NULL
                                           OR s.account_status_at <= $11) THEN $11 ELSE s.account_status_at END
    FROM inserted i
    WHERE s.id = i.settings_id
    RETURNING s.id, s.phone_number_id, s.business_id, s.display_phone_number, s.quality_rating,
              s.messaging_limit_tier, s.account_status,
              GREATEST(s.quality_rating_at, s.messaging_limit_tier_at, s.account_status_at) AS account_updated_at,
              i.id AS event_id
), events AS (
    INSERT INTO gateway_events (type, phone_number_id, subject, data)
    SELECT 'whatsapp.account.updated', u.phone_number_id, u.id,
           jsonb_build_object('id', u.event_id::text, 'settingsId', u.id, 'phoneNumberId', u.phone_number_id,
                              'businessId', u.business_id, 'displayPhoneNumber', u.display_phone_number,
                              'field', $1::text, 'event', $5::text, 'details', $9::text::jsonb,
                              'eventAt', gateway_json_time($11),
                              'qualityRating', u.quality_rating, 'messagingLimitTier', u.messaging_limit_tier,
                              'accountStatus', u.account_status,
                              'accountUpdatedAt', gateway_json_time(u.account_updated_at))
    FROM updated u
    ORDER BY u.id
    RETURNING seq
)
SELECT (SELECT count(*) FROM targets) AS targets, (SELECT count(*) FROM inserted) AS stored,
       (SELECT count(*) FROM (SELECT pg_notify('gateway_events', 'appended') FROM events LIMIT 1) n) AS notified
