-- The data of the event feed's events, built by the database in the statement that makes the change: the
-- conversation writer's statements append their events to gateway_events (V6) in the same statement, so an event
-- costs no extra round trip and commits with its change (docs/decisions/0013-events-in-the-writers-statements.md).
-- Each function gives a row in the shape the admin API shows it (GET /api/v1/messages/{id}, /sessions/{id}, the
-- session's customerProfile), plus sessionId, phoneNumber (the customer's) and phoneNumberId (the business
-- number); EventEmissionTest compares them field by field with the admin API's answers.
-- New functions only.

-- A timestamp as the admin API writes one (Java's Instant in ISO-8601, UTC): no fraction when it is zero, else
-- milliseconds or microseconds, as few digits as needed.
CREATE FUNCTION gateway_json_time(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
       || CASE
              WHEN extract(microseconds FROM t)::bigint % 1000000 = 0 THEN ''
              WHEN extract(microseconds FROM t)::bigint % 1000 = 0 THEN to_char(t AT TIME ZONE 'UTC', '.MS')
              ELSE to_char(t AT TIME ZONE 'UTC', '.US')
          END
       || 'Z'
$$;

-- A message (MessageResponse) with its session's customer phone number.
CREATE FUNCTION gateway_event_message(m whatsapp_messages, phone_number text) RETURNS jsonb
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

-- A customer (CustomerProfileSummary) with the session the change came through.
CREATE FUNCTION gateway_event_customer(p customer_profiles, session_id uuid, phone_number text,
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

-- A session (SessionResponse: its customer, the 24-hour window at the time of the change, its latest message).
-- Reads the profile and the latest message: call it where those are not changed by the same statement.
CREATE FUNCTION gateway_event_session(s whatsapp_sessions) RETURNS jsonb
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
