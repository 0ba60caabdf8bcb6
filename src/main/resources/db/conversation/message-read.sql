-- Our read receipt for an inbound message: status read, never moving a status backwards (a lower or equal rank
-- is a no-op, so a repeated receipt changes nothing).
-- Parameters: $1 message id, $2 status, $3 its rank, $4 time.
UPDATE whatsapp_messages
   SET status = $2, status_rank = $3, status_at = $4
 WHERE id = $1 AND status_rank < $3
