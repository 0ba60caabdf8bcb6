-- Undoes V7__event_data.sql: the functions that build the event feed's data (dependents first).
DROP FUNCTION IF EXISTS gateway_event_session(whatsapp_sessions);
DROP FUNCTION IF EXISTS gateway_event_customer(customer_profiles, uuid, text, text);
DROP FUNCTION IF EXISTS gateway_event_message(whatsapp_messages, text);
DROP FUNCTION IF EXISTS gateway_json_time(timestamptz);
