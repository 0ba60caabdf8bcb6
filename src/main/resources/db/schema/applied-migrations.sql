-- The module's successfully applied versioned migrations, the newest applied first (Flyway's baseline row is none):
-- the readiness check shows the first one's version, a rollback undoes them newest version first.
SELECT version, script
FROM flyway_schema_history
WHERE success AND version IS NOT NULL AND type <> 'BASELINE'
ORDER BY installed_rank DESC
