-- A checked download's chunks become the file's: staging key $1 to the hex SHA-256 $2.
UPDATE gateway_media_chunks SET file_key = $2 WHERE file_key = $1
