#!/usr/bin/env bash
# Two replicas started at the same moment against one fresh, empty database: Flyway's PostgreSQL advisory lock lets
# exactly one migrate while the other waits and then finds nothing to do; both become ready; every migration is
# recorded exactly once. Also shows that HTTP (and so /q/health/ready) only answers after Flyway has finished.
# Needs the packaged jar (target/quarkus-app, from `./mvnw verify` or `package`) and the PostgreSQL server at
# PGHOST:PGPORT (as PGUSER/PGPASSWORD, defaults 127.0.0.1:5432 postgres) with psql.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "concurrent-migration: FAIL: $jar missing (run ./mvnw package)" >&2; exit 1; }

db="wag_migrate_$(date +%s)_$$"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q -d postgres -c "CREATE DATABASE $db"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
expected=$(ls src/main/resources/db/migration/V*__*.sql | wc -l)

start() { # $1 = name, $2 = port, $3 = management port (health)
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$db" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$db" \
  QUARKUS_DATASOURCE_USERNAME="$PGUSER" QUARKUS_DATASOURCE_PASSWORD="${PGPASSWORD:-}" \
  GATEWAY_ENCRYPTION_KEYS="ci:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" \
  GATEWAY_ADMIN_API_KEYS=ci-admin-key-0123456789abcdef0123456789 \
  GATEWAY_WHATSAPP_APP_SECRETS=ci-app-secret-0123456789abcdef0123456789 QUARKUS_HTTP_PORT="$2" QUARKUS_MANAGEMENT_PORT="$3" \
    java -Xmx192m -jar "$jar" >"$work/$1.log" 2>&1 &
  pids+=($!)
}

# Watches one instance: the first moment its port answers HTTP (any status: the handshake without parameters answers
# 403), Flyway must already have logged its outcome. Readiness is on the management port.
watch() { # $1 = name, $2 = port, $3 = management port; writes $work/$1.result
  local deadline=$((SECONDS + 180))
  while [ $SECONDS -lt $deadline ]; do
    if curl -s -o /dev/null "http://127.0.0.1:$2/webhooks/whatsapp" 2>/dev/null; then
      if grep -qE 'Successfully applied|is up to date. No migration necessary' "$work/$1.log"; then
        echo "http-after-flyway" >"$work/$1.result"
      else
        echo "http-before-flyway" >"$work/$1.result"
      fi
      break
    fi
    sleep 0.05
  done
  deadline=$((SECONDS + 180))
  until curl -sf "http://127.0.0.1:$3/q/health/ready" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "not-ready" >>"$work/$1.result"; return; }
    sleep 0.2
  done
  echo "ready" >>"$work/$1.result"
}

port_a=$(free_port); port_b=$(free_port); mgmt_a=$(free_port); mgmt_b=$(free_port)
start a "$port_a" "$mgmt_a"; start b "$port_b" "$mgmt_b"
watch a "$port_a" "$mgmt_a" & watcher_a=$!
watch b "$port_b" "$mgmt_b" & watcher_b=$!
wait $watcher_a $watcher_b

fail=0
for n in a b; do
  result=$(tr '\n' ' ' <"$work/$n.result" 2>/dev/null || echo none)
  echo "concurrent-migration: instance $n: $result"
  [ "$result" = "http-after-flyway ready " ] || { echo "--- log of $n" >&2; tail -40 "$work/$n.log" >&2; fail=1; }
done

migrated=$(grep -lE 'Successfully applied [0-9]+ migration' "$work/a.log" "$work/b.log" | wc -l)
uptodate=$(grep -lE 'No migration necessary' "$work/a.log" "$work/b.log" | wc -l)
echo "concurrent-migration: instances that migrated: $migrated; that found the schema up to date: $uptodate"
[ "$migrated" = 1 ] && [ "$uptodate" = 1 ] || fail=1

history=$(psql -At -d "$db" -c "SELECT count(*), count(DISTINCT version), bool_and(success) FROM flyway_schema_history WHERE version IS NOT NULL")
dupes=$(psql -At -d "$db" -c "SELECT count(*) FROM (SELECT version FROM flyway_schema_history WHERE version IS NOT NULL GROUP BY version HAVING count(*) > 1) d")
echo "concurrent-migration: flyway_schema_history (rows, distinct versions, all successful) = $history; expected $expected migrations once each"
[ "$history" = "$expected|$expected|t" ] && [ "$dupes" = 0 ] || fail=1

if [ "$fail" != 0 ]; then
  echo "concurrent-migration: FAIL" >&2
  exit 1
fi
echo "concurrent-migration: ok: two simultaneous replicas, one migration run, both ready, no traffic before Flyway finished"
