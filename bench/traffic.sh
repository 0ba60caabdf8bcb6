#!/usr/bin/env bash
# Meta's real traffic against messages only, side by side in one run (bench/README.md, "Real traffic"):
#   packages the service (unless --skip-build), creates a fresh database, starts the jar (production profile, the
#   image's JVM options) with its Graph API pointed at the load generator's stand-in, warms it up, then per
#   concurrency level: messages only (closed loop), the real mix (closed loop: turns of one inbound message, one
#   reply sent through the admin API, its three statuses shuffled, some before the send is stored, one send in 20
#   failed), pgbench of the message statement alone, and pgbench of the message and status statements weighted
#   1 : 3; before the real mix, the statuses mix of bench/run.sh (1 new message : 3 statuses of messages stored just
#   before, no sends) whose rate the targets compare with the other two; then both mixes in an open loop at half
#   their best rates. Verifies every acknowledged message stored once,
#   every reply's status at its highest rank and no pending status left. Writes bench/results/traffic-latest.json.
set -Eeuo pipefail
. "$(dirname "$0")/lib.sh"

usage() {
  cat <<USAGE
usage: bench/traffic.sh [options]
  --skip-build         do not run ./mvnw package (use the existing target/quarkus-app, or \$BENCH_SERVICE_JAR)
  --levels "8 32 128"  concurrency levels (closed loop)
  --count N            messages-only deliveries per level (default 20000)
  --turns N            conversation turns per level in the mix (4 deliveries and 1 send each; default 5000)
  --warmup N           warm-up deliveries (default 30000)
  --warmup-turns N     warm-up conversation turns, so that the send path is compiled (default 8000)
  --rate-seconds S     open-loop mix at half the best mix rate for about S seconds (default 20)
  --pgbench-seconds S  each pgbench run (default 15)
  --label NAME         a name for this run in the results (default: the git commit)
  --jvm-opts "..."     JVM options (default: the image's, IMAGE_JVM_OPTS in bench/lib.sh)
  --port P             service port (default 18080); the Graph stand-in listens on P + 15
  --no-results         do not write bench/results
USAGE
}

LEVELS="8 32 128"; COUNT=20000; TURNS=5000; WARMUP=30000; WARMUP_TURNS=8000; RATE_SECONDS=20; PGBENCH_SECONDS=15; PORT=18080
SKIP_BUILD=0; RESULTS=1; LABEL=""; JVM_OPTS=${BENCH_JVM_OPTS-$IMAGE_JVM_OPTS}
while (($#)); do
  case "$1" in
    --skip-build) SKIP_BUILD=1 ;;
    --levels) LEVELS=$2; shift ;;
    --count) COUNT=$2; shift ;;
    --turns) TURNS=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --warmup-turns) WARMUP_TURNS=$2; shift ;;
    --rate-seconds) RATE_SECONDS=$2; shift ;;
    --pgbench-seconds) PGBENCH_SECONDS=$2; shift ;;
    --label) LABEL=$2; shift ;;
    --jvm-opts) JVM_OPTS=$2; shift ;;
    --port) PORT=$2; shift ;;
    --no-results) RESULTS=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown option $1" ;;
  esac
  shift
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN_ID=$(date +%s)$RANDOM
OUT="$BENCH_DIR/out/traffic-$STAMP"
mkdir -p "$OUT"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
DB="wag_traffic_${RUN_ID}"
PGB_DB="wag_traffic_pgb_${RUN_ID}"
GRAPH_PORT=$((PORT + 15))
LABEL=${LABEL:-$(git -C "$ROOT_DIR" rev-parse --short HEAD)}

cleanup() {
  local rc=$?
  stop_service
  dropdb --if-exists "$DB" >/dev/null 2>&1 || true
  dropdb --if-exists "$PGB_DB" >/dev/null 2>&1 || true
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need_tools
need_wrk
need_server
pg_find_postmaster
((SKIP_BUILD)) || build_service
build_loadgen
log "out: $OUT   load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- pgbench scripts: the service's own statements -----------------------------------------------------------
python3 "$BENCH_DIR/pgbench-script.py" "$ROOT_DIR/src/main/resources/db/conversation/inbound-message.sql" \
  >"$OUT/pgbench-message.sql"
# One status of a stored reply, as a lone status delivery applies it (status-batch.sql with one element per array):
# a random one of 400,000 replies, a random one of sent / delivered / read.
python3 - "$ROOT_DIR/src/main/resources/db/conversation/status-batch.sql" >"$OUT/pgbench-status.sql" <<'PY'
import re, sys
sql = "\n".join(l for l in open(sys.argv[1], encoding="utf-8").read().splitlines()
                if l.strip() and not l.strip().startswith("--")).strip().rstrip(";")
params = {
    1: "ARRAY['wamid.PGS.' || CAST(:n AS text)]",
    2: "ARRAY[CASE CAST(:r AS int) WHEN 2 THEN 'sent' WHEN 3 THEN 'delivered' ELSE 'read' END]",
    3: "ARRAY[CAST(:r AS smallint)]",
    4: "ARRAY[to_timestamp(1768466400 + CAST(:r AS int))]",
    5: "ARRAY[CAST(NULL AS text)]",
    6: "ARRAY[format('{\"id\":\"wamid.PGS.%s\",\"status\":\"x\",\"timestamp\":\"1768466400\",\"recipient_id\":\"447700900001\"}', CAST(:n AS text))]",
    7: "ARRAY[CAST(NULL AS text)]",
}
sql = re.sub(r"\$(\d+)(?!\d)", lambda m: "(" + params[int(m.group(1))] + ")", sql)
print("\\set n random(1, 400000)\n\\set r random(2, 4)\n" + sql + ";")
PY

createdb "$DB"
createdb "$PGB_DB"
migrate_with_psql "$PGB_DB"
psql -X -q -v ON_ERROR_STOP=1 -d "$PGB_DB" <<'SQL'
INSERT INTO whatsapp_sessions (phone_number, updated_at)
SELECT '447700' || (900000 + i), now() FROM generate_series(0, 999) i;
INSERT INTO whatsapp_messages (session_id, message_id, direction, content, phone_number_id, status, status_rank)
SELECT s.id, 'wamid.PGS.' || n, 'OUTBOUND', 'Your order has shipped', '118234567890123', 'accepted', 1
FROM generate_series(1, 400000) n
JOIN (SELECT id, row_number() OVER (ORDER BY phone_number) - 1 AS k FROM whatsapp_sessions) s ON s.k = n % 1000;
VACUUM ANALYZE;
SQL

run_pgbench() {  # LEVEL NAME SCRIPT...
  local c=$1 name=$2; shift 2
  local args=() f pc
  for f in "$@"; do args+=(-f "$f"); done
  # the shared server's max_connections bounds the clients; the count used is in the output
  pc=$(pgbench_clients "$c")
  log "pgbench $name: concurrency $c ($pc clients) for $PGBENCH_SECONDS s"
  local pg0; pg0=$(pg_cpu_s)
  pgbench -n -M prepared -c "$pc" -j 2 -T "$PGBENCH_SECONDS" "${args[@]}" "$PGB_DB" >"$OUT/pgbench-$name-c$c.txt" 2>&1 \
    || { cat "$OUT/pgbench-$name-c$c.txt" >&2; die "pgbench failed"; }
  echo "$pg0 $(pg_cpu_s)" >"$OUT/pgbench-$name-cpu-c$c.txt"
}

# --- the service -----------------------------------------------------------------------------------------
export GATEWAY_GRAPH_BASE_URL="http://127.0.0.1:$GRAPH_PORT"
start_service "$DB" "$PORT" "$PGPORT" "$OUT/service.log" "$JVM_OPTS"
add_settings "$PORT"
URL="http://127.0.0.1:$PORT/webhooks/whatsapp"
LG=(--url "$URL" --secret "$BENCH_SECRET" --run-id "$RUN_ID" --acked "$OUT/acked.txt")
: >"$OUT/acked.txt"; : >"$OUT/expect.txt"; : >"$OUT/status-acked.txt"

# the warm-up's 1,000 senders wrote just now: their 24-hour windows are open for the replies
log "warm-up: $WARMUP deliveries at concurrency 32"
loadgen closed "${LG[@]}" --acked "$OUT/acked-warm.txt" --phase warmup --concurrency 32 --count "$WARMUP" \
  --out "$OUT/warmup.json"
cat "$OUT/acked-warm.txt" >>"$OUT/acked.txt"
# long enough for the JIT: with 1,000 turns a third of a core was still compiling the send path (Hibernate, the REST
# client) during the measured real-traffic phase
log "warm-up of the mix: $WARMUP_TURNS turns at concurrency 32"
loadgen traffic "${LG[@]}" --phase twarm --concurrency 32 --turns "$WARMUP_TURNS" --graph-port "$GRAPH_PORT" \
  --admin-url "http://127.0.0.1:$PORT/api/v1/messages" --admin-key "$BENCH_ADMIN_KEY" --expect "$OUT/expect-warm.txt" \
  --out "$OUT/traffic-warm.json"
cat "$OUT/expect-warm.txt" >>"$OUT/expect.txt"

measure() {  # NAME LEVEL loadgen-args...
  local name=$1 c=$2; shift 2
  local cpu0 pg0; cpu0=$(cpu_s "$SERVICE_PID"); pg0=$(pg_cpu_s)
  loadgen "$@"
  echo "$cpu0 $(cpu_s "$SERVICE_PID") $pg0 $(pg_cpu_s)" >"$OUT/cpu-$name-c$c.txt"
}

for c in $LEVELS; do
  log "messages only at concurrency $c: $COUNT deliveries"
  measure messages "$c" closed "${LG[@]}" --acked "$OUT/acked-m$c.txt" --phase "m$c" --concurrency "$c" --count "$COUNT" \
    --out "$OUT/messages-c$c.json"
  cat "$OUT/acked-m$c.txt" >>"$OUT/acked.txt"
  log "statuses mix at concurrency $c: $COUNT deliveries (1 new message : 3 statuses of the messages just stored)"
  measure statuses "$c" mix "${LG[@]}" --phase "s$c" --concurrency "$c" --count "$COUNT" --acked-in "$OUT/acked-m$c.txt" \
    --status-acked "$OUT/status-acked.txt" --out "$OUT/statuses-c$c.json"
  log "real traffic at concurrency $c: $TURNS turns"
  measure mix "$c" traffic "${LG[@]}" --phase "t$c" --concurrency "$c" --turns "$TURNS" --graph-port "$GRAPH_PORT" \
    --admin-url "http://127.0.0.1:$PORT/api/v1/messages" --admin-key "$BENCH_ADMIN_KEY" --expect "$OUT/expect-c$c.txt" \
    --out "$OUT/mix-c$c.json"
  cat "$OUT/expect-c$c.txt" >>"$OUT/expect.txt"
  run_pgbench "$c" message "$OUT/pgbench-message.sql"
  run_pgbench "$c" mix "$OUT/pgbench-message.sql@1" "$OUT/pgbench-status.sql@3"
done

BEST=$(python3 -c "import json,sys; print(max(json.load(open(f))['throughput'] for f in sys.argv[1:]))" "$OUT"/statuses-c*.json)
HALF=$(python3 -c "print(round($BEST / 2))")
log "open loop: the statuses mix at $HALF deliveries/s (half of the best $BEST/s) for $RATE_SECONDS s"
# wrk (bench/wrk/rate.lua), as bench/run.sh's open loop: a load generator without a garbage collector of its own,
# whose pauses would count as the service's latency; the statuses are those of the warm-up's messages
wrk_rate "$HALF" "$RATE_SECONDS" "$URL" "$OUT/statuses-halfrate.json" "$OUT/acked-shalf.txt" --acked-in "$OUT/acked-warm.txt"
grep ':' "$OUT/acked-shalf.txt" | tr ':' ',' >>"$OUT/status-acked.txt" || true
grep -v ':' "$OUT/acked-shalf.txt" >>"$OUT/acked.txt" || true
# the control: messages only at the same rate with the same tool, so that the two tails compare
log "open loop: messages only at the same $HALF deliveries/s for $RATE_SECONDS s (the control)"
wrk_rate "$HALF" "$RATE_SECONDS" "$URL" "$OUT/messages-halfrate.json" "$OUT/acked.txt"
BEST=$(python3 -c "import json,sys; print(max(json.load(open(f))['throughput'] for f in sys.argv[1:]))" "$OUT"/mix-c*.json)
HALF=$(python3 -c "print(round($BEST / 2))")
# actions per second: 4 deliveries and 1 send per turn
ACTIONS=$(python3 -c "print(round($HALF * 5 / 4))")
HALF_TURNS=$(python3 -c "print(max(500, round($HALF * $RATE_SECONDS / 4)))")
log "open loop: the real traffic at $HALF deliveries/s (half of the best $BEST/s), $HALF_TURNS turns"
measure halfrate 0 traffic "${LG[@]}" --phase half --rate "$ACTIONS" --turns "$HALF_TURNS" --graph-port "$GRAPH_PORT" \
  --admin-url "http://127.0.0.1:$PORT/api/v1/messages" --admin-key "$BENCH_ADMIN_KEY" --expect "$OUT/expect-half.txt" \
  --out "$OUT/halfrate.json"
cat "$OUT/expect-half.txt" >>"$OUT/expect.txt"

sleep 2  # the last statuses' commits
RSS_END=$(rss_kb "$SERVICE_PID"); HWM=$(hwm_kb "$SERVICE_PID")
log "service RSS after the run: $((RSS_END / 1024)) MiB (peak $((HWM / 1024)) MiB)"
grep -c -E ' ERROR |"level":"ERROR"' "$OUT/service.log" >"$OUT/service-errors.txt" || true
stop_service

log "verifying: every acknowledged message stored once, every reply at its final status, no pending status left"
psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" >"$OUT/verify.json" <<SQL
CREATE TEMP TABLE acked (wamid text);
\copy acked FROM '$OUT/acked.txt'
CREATE TEMP TABLE st_acked (wamid text, status text);
\copy st_acked FROM '$OUT/status-acked.txt' WITH (FORMAT csv)
CREATE TEMP TABLE st_expected AS
  SELECT wamid, max(CASE status WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 END) AS rank
  FROM st_acked GROUP BY wamid;
CREATE TEMP TABLE expect (wamid text, status text);
\copy expect FROM '$OUT/expect.txt' WITH (FORMAT csv)
SELECT json_build_object(
  'acked', (SELECT count(DISTINCT wamid) FROM acked),
  'lost', (SELECT count(*) FROM (SELECT DISTINCT wamid FROM acked) a
           WHERE NOT EXISTS (SELECT 1 FROM whatsapp_messages m WHERE m.message_id = a.wamid)),
  'duplicated', (SELECT count(*) - count(DISTINCT message_id) FROM whatsapp_messages),
  'statuses_acked', (SELECT count(*) FROM st_acked),
  'statuses_behind', (SELECT count(*) FROM st_expected e JOIN whatsapp_messages m ON m.message_id = e.wamid
           WHERE m.status_rank < e.rank),
  'replies', (SELECT count(*) FROM expect),
  'replies_stored', (SELECT count(*) FROM expect e JOIN whatsapp_messages m ON m.message_id = e.wamid),
  'replies_not_final', (SELECT count(*) FROM expect e JOIN whatsapp_messages m ON m.message_id = e.wamid
           WHERE m.status IS DISTINCT FROM e.status),
  'failed_without_errors', (SELECT count(*) FROM expect e JOIN whatsapp_messages m ON m.message_id = e.wamid
           WHERE e.status = 'failed' AND m.status_errors IS NULL),
  'pending_left', (SELECT count(*) FROM whatsapp_pending_statuses),
  'status_events', (SELECT count(*) FROM gateway_events WHERE type = 'whatsapp.message.status')
);
SQL
cat "$OUT/verify.json" >&2

cat >"$OUT/meta.json" <<JSON
{"stamp":"$STAMP","label":"$LABEL","git_commit":"$(git -C "$ROOT_DIR" rev-parse --short HEAD)",
 "service_jar":"$SERVICE_JAR","jvm_opts":"$JVM_OPTS","levels":"$LEVELS","count":$COUNT,"turns":$TURNS,
 "pgbench_seconds":$PGBENCH_SECONDS,"rss_end_kb":$RSS_END,"rss_peak_kb":$HWM,
 "service_error_log_lines":$(cat "$OUT/service-errors.txt"),"load_after":"$(cut -d' ' -f1-3 /proc/loadavg)"}
JSON
python3 "$BENCH_DIR/traffic-report.py" "$OUT" $( ((RESULTS)) && echo --results "$BENCH_DIR/results" )
