-- Records an action of a database command (JDBC, so ? placeholders), in the command's own transaction.
-- Parameters: actor, action, resource type, resource id, details (jsonb text).
INSERT INTO gateway_audit_log (actor, action, resource_type, resource_id, details)
VALUES (?, ?, ?, ?, ?::jsonb)
