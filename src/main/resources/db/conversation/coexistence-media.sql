-- The download job (gateway_media, V18) of an image, video, audio, document or sticker message of the WhatsApp
-- Business app just stored by coexistence-message.sql (an echo or an imported history message), in the same
-- transaction, as inbound-message.sql records one for an inbound message. Meta's media object is the raw message's
-- object of its type (metadata.message.<type>); a message without a media id records nothing.
-- Parameter: $1 wamid.
INSERT INTO gateway_media (message_id, media_id, phone_number_id, media_type, mime_type, filename, expected_sha256)
SELECT m.id, b ->> 'id', m.phone_number_id, m.message_type, b ->> 'mime_type', b ->> 'filename', b ->> 'sha256'
FROM whatsapp_messages m, LATERAL (SELECT m.metadata -> 'message' -> m.message_type AS b) body
WHERE m.message_id = $1 AND m.message_type IN ('image', 'video', 'audio', 'document', 'sticker')
  AND b ->> 'id' IS NOT NULL
ON CONFLICT (message_id) DO NOTHING
