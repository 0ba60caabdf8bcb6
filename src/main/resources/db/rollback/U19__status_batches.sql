-- Undoes V19__status_batches.sql.
DROP FUNCTION IF EXISTS gateway_apply_statuses(text[], text[], smallint[], timestamptz[], text[], text[], text[]);
