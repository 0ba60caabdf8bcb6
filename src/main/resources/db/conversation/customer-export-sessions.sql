-- Export of a customer, second part: their sessions (linked to the profile, or keyed by their wa_id, as a send
-- creates them; the sessions an erasure deletes), oldest first, each as JSON text.
-- Parameters: $1 customer id, $2 their wa_id. A plain read.
SELECT id, phone_number,
       json_build_object('id', id, 'phoneNumber', phone_number, 'phoneNumberId', phone_number_id, 'state', state,
                         'contextData', context_data, 'lastMessageAt', gateway_json_time(last_message_at),
                         'lastInboundAt', gateway_json_time(last_inbound_at),
                         'createdAt', gateway_json_time(created_at), 'updatedAt', gateway_json_time(updated_at))::text
           AS json
FROM whatsapp_sessions WHERE customer_profile_id = $1 OR phone_number = $2
ORDER BY created_at, id
