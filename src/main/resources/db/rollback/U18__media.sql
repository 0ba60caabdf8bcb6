-- Undoes V18__media.sql: the media jobs, uploads, files and their chunks.
DROP TABLE IF EXISTS gateway_media_chunks;
DROP TABLE IF EXISTS gateway_media_files;
DROP TABLE IF EXISTS gateway_media_uploads;
DROP TABLE IF EXISTS gateway_media;
