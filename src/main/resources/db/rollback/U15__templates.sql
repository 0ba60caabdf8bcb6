-- Undoes V15__templates.sql: the templates and the marketing preferences.
DROP TABLE IF EXISTS whatsapp_marketing_preferences;
DROP TABLE IF EXISTS whatsapp_templates;
