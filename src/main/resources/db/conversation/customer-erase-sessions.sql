-- Second step of erasing a customer: lock their sessions (linked to the profile, or keyed by their wa_id, as a send
-- creates them), after the profile row (the ingest's lock order), so that the messages read next include every
-- message committed meanwhile. Parameters: $1 customer id, $2 their wa_id. Ordered by id: concurrent erasures lock
-- shared rows in one order.
SELECT id FROM whatsapp_sessions WHERE customer_profile_id = $1 OR phone_number = $2 ORDER BY id FOR UPDATE
