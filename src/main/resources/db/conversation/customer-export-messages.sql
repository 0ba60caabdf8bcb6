-- Export of a customer, third part: one page of a session's messages, oldest first (created_at, id), after the key
-- ($2, $3) of the previous page's last row, each with its metadata and status as JSON text. The export reads page by
-- page, so a customer with many messages never makes it hold more than one page.
-- Parameters: $1 session id, $2 created_at and $3 id of the previous page's last row (the earliest instant and the nil uuid
-- for the first page), $4 page size. A plain read over the (session_id, created_at, id) index.
SELECT created_at, id,
       json_build_object('id', id, 'messageId', message_id, 'direction', direction, 'messageType', message_type,
                         'content', content, 'metadata', metadata, 'status', status,
                         'statusAt', gateway_json_time(status_at), 'statusErrors', status_errors,
                         'waTimestamp', gateway_json_time(wa_timestamp), 'phoneNumberId', phone_number_id,
                         'createdAt', gateway_json_time(created_at))::text AS json
FROM whatsapp_messages
WHERE session_id = $1 AND (created_at, id) > ($2, $3)
ORDER BY created_at, id
LIMIT $4
