-- Export of a customer (GET /api/v1/customers/{id}/export, CustomerExport), first part: their profile as JSON text,
-- and the wa_id the other parts look up. Parameter: $1 customer id. No row: no such customer. A plain read.
SELECT wa_id,
       json_build_object('id', id, 'waId', wa_id, 'displayName', display_name, 'userId', user_id,
                         'parentUserId', parent_user_id, 'username', username, 'countryCode', country_code,
                         'createdAt', gateway_json_time(created_at), 'updatedAt', gateway_json_time(updated_at),
                         'conversationDeletedAt', gateway_json_time(conversation_deleted_at))::text AS json
FROM customer_profiles WHERE id = $1
