-- Undoes V4__dead_letters.sql (its index goes with the table).
DROP TABLE IF EXISTS whatsapp_dead_letters;
