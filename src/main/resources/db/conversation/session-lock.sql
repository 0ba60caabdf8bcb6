-- Second step of deleting a session: lock its row, after the profile rows (the ingest's lock order), so that the
-- wamids read next include every message committed meanwhile. Parameter: $1 session id.
SELECT 1 FROM whatsapp_sessions WHERE id = $1 FOR UPDATE
