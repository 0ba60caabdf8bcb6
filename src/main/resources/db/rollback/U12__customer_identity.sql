-- Undoes V12__customer_identity.sql. Customers known only by their BSUID keep it as wa_id.
DROP FUNCTION IF EXISTS gateway_apply_edit(text, text, text, text, text, jsonb, timestamptz, text, boolean);
CREATE OR REPLACE FUNCTION gateway_event_message(m whatsapp_messages, phone_number text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT jsonb_build_object(
    'id', m.id,
    'messageId', m.message_id,
    'sessionId', m.session_id,
    'direction', m.direction,
    'messageType', m.message_type,
    'content', m.content,
    'status', m.status,
    'metadata', m.metadata,
    'createdAt', gateway_json_time(m.created_at),
    'phoneNumber', phone_number,
    'phoneNumberId', m.phone_number_id)
$$;
DROP TABLE IF EXISTS whatsapp_pending_edits;
ALTER TABLE whatsapp_messages DROP COLUMN IF EXISTS edited_at, DROP COLUMN IF EXISTS revoked_at;
DROP FUNCTION IF EXISTS gateway_customer_user_id_change(text, text, text);
DROP FUNCTION IF EXISTS gateway_customer_identity(text, text, text, text, text, text);
CREATE OR REPLACE FUNCTION gateway_event_customer(p customer_profiles, session_id uuid, phone_number text,
                                                  phone_number_id text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT jsonb_build_object(
    'id', p.id,
    'waId', p.wa_id,
    'displayName', p.display_name,
    'sessionId', session_id,
    'phoneNumber', phone_number,
    'phoneNumberId', phone_number_id)
$$;
CREATE OR REPLACE FUNCTION gateway_event_session(s whatsapp_sessions) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT jsonb_build_object(
    'id', s.id,
    'phoneNumber', s.phone_number,
    'state', s.state,
    'contextData', s.context_data,
    'customerProfile', (SELECT jsonb_build_object('id', p.id, 'waId', p.wa_id, 'displayName', p.display_name)
                        FROM customer_profiles p WHERE p.id = s.customer_profile_id),
    'lastMessageAt', gateway_json_time(s.last_message_at),
    'windowOpen', s.last_inbound_at IS NOT NULL AND now() < s.last_inbound_at + interval '24 hours',
    'windowExpiresAt', gateway_json_time(s.last_inbound_at + interval '24 hours'),
    'createdAt', gateway_json_time(s.created_at),
    'updatedAt', gateway_json_time(s.updated_at),
    'lastMessage', (SELECT jsonb_build_object('id', m.id, 'messageId', m.message_id, 'direction', m.direction,
                                              'messageType', m.message_type, 'content', m.content,
                                              'status', m.status, 'createdAt', gateway_json_time(m.created_at))
                    FROM whatsapp_messages m WHERE m.session_id = s.id
                    ORDER BY m.created_at DESC, m.id DESC LIMIT 1),
    'sessionId', s.id,
    'phoneNumberId', s.phone_number_id)
$$;
DROP INDEX IF EXISTS customer_profiles_username_idx;
DROP INDEX IF EXISTS customer_profiles_user_id_key;
ALTER TABLE customer_profiles
    DROP COLUMN IF EXISTS user_id,
    DROP COLUMN IF EXISTS parent_user_id,
    DROP COLUMN IF EXISTS username,
    DROP COLUMN IF EXISTS country_code;
