#!/usr/bin/env bash
# The module's migration lifecycle with the packaged jar, on a fresh database that already holds another application's
# tables with rows (a Prisma app: "_prisma_migrations", "CustomerProfile"): migrate (gateway.db.command=migrate) ->
# info -> rollback to 0 -> migrate again. Checks that the foreign tables and their rows are intact at every step, that
# rollback removed every object of the module and its history, that a target above the applied version is refused, and
# that a name clash fails with one line naming the object. Needs target/quarkus-app (./mvnw package) and psql.
# Each step is a short JVM run: C1 only and the serial collector start it fastest (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "migration-lifecycle: FAIL: $jar missing (run ./mvnw package)" >&2; exit 1; }

db="wag_lifecycle_$(date +%s)_$$"
work=$(mktemp -d)
cleanup() {
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "migration-lifecycle: FAIL: $*" >&2; [ -f "$work/last.log" ] && tail -30 "$work/last.log" >&2; exit 1; }
sql() { psql -X -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

# Runs the jar once with gateway.db.command=$1 (and more -D options); its output in $work/last.log; returns its status.
run_jar() {
  local cmd=$1; shift
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$db" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$db" \
  QUARKUS_DATASOURCE_USERNAME="$PGUSER" QUARKUS_DATASOURCE_PASSWORD="${PGPASSWORD:-}" \
  GATEWAY_ENCRYPTION_KEYS="ci:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" \
  GATEWAY_ADMIN_API_KEYS=ci-admin-key-0123456789abcdef0123456789 \
  GATEWAY_WHATSAPP_APP_SECRETS=ci-app-secret-0123456789abcdef0123456789 \
  QUARKUS_HTTP_PORT=0 QUARKUS_MANAGEMENT_PORT=0 QUARKUS_LOG_CONSOLE_JSON_ENABLED=false GATEWAY_DB_COMMAND="$cmd" \
    timeout 120 java -Xmx192m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "$@" -jar "$jar" >"$work/last.log" 2>&1
}

# The names of the relations, standalone types and functions in public.
objects() {
  sql "SELECT string_agg(name, ',' ORDER BY name) FROM (
         SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace
         UNION ALL SELECT typname FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typrelid = 0 AND typcategory <> 'A'
         UNION ALL SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace) o"
}
foreign_rows() {
  sql "SELECT (SELECT string_agg(migration_name, ',' ORDER BY migration_name) FROM \"_prisma_migrations\") || '|' ||
              (SELECT string_agg(id || ':' || email, ',' ORDER BY id) FROM \"CustomerProfile\")"
}

psql -q -d postgres -c "CREATE DATABASE $db"
sql 'CREATE TABLE "_prisma_migrations" (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, migration_name varchar(255) NOT NULL, finished_at timestamptz);
     INSERT INTO "_prisma_migrations" VALUES ($$1$$, $$c1$$, $$20240101000000_init$$, now()), ($$2$$, $$c2$$, $$20240201000000_profile$$, now());
     CREATE TABLE "CustomerProfile" (id text PRIMARY KEY, email text UNIQUE NOT NULL);
     INSERT INTO "CustomerProfile" VALUES ($$cp1$$, $$a@example.com$$), ($$cp2$$, $$b@example.com$$);' >/dev/null
before_objects=$(objects)
before_rows=$(foreign_rows)
expected=$(ls src/main/resources/db/migration/V*__*.sql | sed -E 's#.*/V([0-9]+)__.*#\1#' | sort -n | tail -1)
start=$SECONDS

# 1. A clash with one of the module's names is refused in one line naming it, and nothing is created.
sql 'CREATE TABLE customer_profiles (id int)' >/dev/null
if run_jar migrate; then fail "migrate succeeded although public.customer_profiles was there"; fi
grep -q 'already holds relation public.customer_profiles' "$work/last.log" || fail "no clash message naming public.customer_profiles"
[ "$(sql "SELECT to_regclass('flyway_schema_history') IS NULL")" = t ] || fail "the refused migrate left a history table"
sql 'DROP TABLE customer_profiles' >/dev/null
echo "migration-lifecycle: a name clash is refused: $(grep -oE "The database already holds [a-z]+ [^ ,]+" "$work/last.log" | head -1)"

# 2. migrate: every migration applied on top of the foreign tables (baseline 0), exit 0.
run_jar migrate || fail "migrate exited non-zero"
[ "$(sql "SELECT max(version::int) FROM flyway_schema_history WHERE success AND type <> 'BASELINE'")" = "$expected" ] \
  || fail "migrate did not reach version $expected"
[ "$(sql "SELECT version || ':' || type FROM flyway_schema_history ORDER BY installed_rank LIMIT 1")" = "0:BASELINE" ] \
  || fail "the existing database was not baselined at version 0"
[ "$(foreign_rows)" = "$before_rows" ] || fail "foreign rows changed by migrate"
echo "migration-lifecycle: migrate: version $expected, foreign tables intact"

# 3. info lists the applied migrations.
run_jar info || fail "info exited non-zero"
grep -q "current version: $expected" "$work/last.log" || fail "info did not show version $expected"
[ "$(grep -cE '^[0-9]+ +.+ +Success' "$work/last.log")" = "$expected" ] || fail "info did not list $expected applied migrations"

# 4. A rollback target above the applied version is refused and changes nothing.
if run_jar rollback -Dgateway.db.rollback-to=$((expected + 1)); then fail "rollback above the applied version succeeded"; fi
grep -q 'only goes down' "$work/last.log" || fail "no refusal message for a target above the applied version"

# 5. rollback to 0: the module's objects and history gone, the foreign ones as before.
run_jar rollback -Dgateway.db.rollback-to=0 || fail "rollback exited non-zero"
[ "$(objects)" = "$before_objects" ] || fail "after rollback to 0 public holds $(objects), expected $before_objects"
[ "$(foreign_rows)" = "$before_rows" ] || fail "foreign rows changed by rollback"
echo "migration-lifecycle: rollback to 0: only the foreign objects are left ($before_objects), their rows intact"

# 6. migrate again from scratch.
run_jar migrate || fail "migrate after rollback exited non-zero"
[ "$(sql "SELECT count(*) FROM flyway_schema_history WHERE success AND type <> 'BASELINE'")" = "$(ls src/main/resources/db/migration/V*__*.sql | wc -l)" ] \
  || fail "migrate after rollback did not apply every migration"
[ "$(foreign_rows)" = "$before_rows" ] || fail "foreign rows changed by the second migrate"

echo "migration-lifecycle: ok: clash refused, migrate -> info -> rollback 0 -> migrate on a database with foreign tables ($((SECONDS - start)) s)"
