-- The history import of one business number (whatsapp_history_chunks, V17) per phase (0: the last day, 1: the last
-- 90 days, 2: the older history up to 180 days, as Meta sends them): chunks kept and imported, the highest
-- chunk_order and progress Meta reported, messages in the chunks, imported (cursor) and stored now (new wamids).
-- Parameter: $1 phone_number_id.
SELECT phase, count(*) AS chunks, count(imported_at) AS chunks_imported, max(chunk_order) AS last_chunk_order,
       max(progress) AS progress, sum(message_count) AS messages, sum(imported_count) AS messages_imported,
       sum(stored_count) AS messages_stored, max(received_at) AS last_received_at, max(imported_at) AS last_imported_at
FROM whatsapp_history_chunks
WHERE phone_number_id = $1 AND errors IS NULL
GROUP BY phase
ORDER BY phase NULLS LAST
