-- Undoes V17__echoes_history.sql: the history chunks and the coexistence functions. Imported and echoed messages stay
-- (they are messages like any other).
DROP FUNCTION IF EXISTS gateway_customer_phone_change(text, text, text);
DROP FUNCTION IF EXISTS gateway_store_coexistence_message(text, text, text, text, text, timestamptz, text, text, text,
    text, jsonb, text, smallint, timestamptz, text);
DROP TABLE IF EXISTS whatsapp_history_chunks;
