-- Export of a customer, last part: statuses kept for messages not stored (yet) that are addressed to their numbers
-- (Meta's recipient_id), oldest first, at most $2, as one JSON array text. They live at most
-- gateway.whatsapp.pending-status-retention. Parameters: $1 their numbers (text[]), $2 most rows. A plain read.
SELECT COALESCE(json_agg(json_build_object('messageId', p.message_id, 'status', p.status,
                                           'statusAt', gateway_json_time(p.status_at), 'errors', p.errors,
                                           'receivedAt', gateway_json_time(p.received_at))
                         ORDER BY p.received_at, p.message_id, p.status), '[]')::text AS json
FROM (SELECT * FROM whatsapp_pending_statuses WHERE payload ->> 'recipient_id' = ANY ($1)
      ORDER BY received_at, message_id, status LIMIT $2) p
