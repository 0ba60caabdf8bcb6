-- Records one admin write in the audit log.
-- Parameters: $1 actor, $2 key fingerprint (NULL: none), $3 action, $4 resource type, $5 resource id, $6 HTTP method,
-- $7 path template, $8 HTTP status, $9 request id, $10 details (a JSON object, NULL: none). A plain insert: rows are
-- only appended, so concurrent writers never meet.
INSERT INTO gateway_audit_log (actor, key_fingerprint, action, resource_type, resource_id, http_method, path, status,
                               request_id, details)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
