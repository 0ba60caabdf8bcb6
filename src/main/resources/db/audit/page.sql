-- A page of the audit log, newest first, keyset paged by id; every filter is optional (NULL: any).
-- Parameters: $1 actor, $2 action, $3 resource type, $4 resource id, $5 occurred at or after, $6 occurred before,
-- $7 before this id (NULL: first page), $8 page size.
SELECT id, occurred_at, actor, key_fingerprint, action, resource_type, resource_id, http_method, path, status,
       request_id, details::text AS details
FROM gateway_audit_log
WHERE ($1::text IS NULL OR actor = $1::text)
  AND ($2::text IS NULL OR action = $2::text)
  AND ($3::text IS NULL OR resource_type = $3::text)
  AND ($4::text IS NULL OR resource_id = $4::text)
  AND ($5::timestamptz IS NULL OR occurred_at >= $5::timestamptz)
  AND ($6::timestamptz IS NULL OR occurred_at < $6::timestamptz)
  AND ($7::bigint IS NULL OR id < $7::bigint)
ORDER BY id DESC
LIMIT $8
