-- Undoes V11__audit_log.sql: the audit log and its indexes.
DROP TABLE IF EXISTS gateway_audit_log;
