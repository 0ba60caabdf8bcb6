-- Undoes V12__customer_identity.sql. Customers known only by their BSUID keep it as wa_id.
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
DROP INDEX IF EXISTS customer_profiles_username_idx;
DROP INDEX IF EXISTS customer_profiles_user_id_key;
ALTER TABLE customer_profiles
    DROP COLUMN IF EXISTS user_id,
    DROP COLUMN IF EXISTS parent_user_id,
    DROP COLUMN IF EXISTS username,
    DROP COLUMN IF EXISTS country_code;
