#!/usr/bin/env bash
# The event-feed benchmark (bench/README.md, "Event feed"), on one service run and one fresh database:
#   a. throughput A/B: closed loop (wrk) at each level, alternating without / with one subscription to a local
#      receiver (LoadGen receive), deliveries/s, ratio, service and PostgreSQL CPU per delivery;
#   b. latency: open loop (Java load generator) at half the best rate with the subscription: time from each
#      webhook's 200 to the receiver getting its whatsapp.message.received event;
#   c. subscriber down (503, then refused connections) while open-loop load continues, then up: drain time;
#   d. SIGKILL of the service with a backlog pending (receiver slowed), restart on the same database, drain;
#   then checks every acknowledged wamid's event arrived (missing, duplicates, per-session order) at the receiver
#   and in the database (every event has a 2xx attempt in the log, no delivery row left pending). Writes bench/out/<stamp>/events.json and,
#   unless --no-results, bench/results/events-latest.json.
set -Eeuo pipefail
. "$(dirname "$0")/lib.sh"

usage() {
  cat <<USAGE
usage: bench/events.sh [options]
  --skip-build         do not run ./mvnw package (use the existing target/quarkus-app)
  --levels "32 8"      closed-loop concurrency levels of the A/B phase
  --seconds S          seconds per A/B run (default 10)
  --rounds N           off/on pairs per level (default 2)
  --latency-seconds S  open-loop latency run (default 15)
  --down-seconds S     subscriber down: S/2 answering 503, S/2 refusing connections (default 30)
  --down-rate R        deliveries/s during the down phase (default: a quarter of the best A/B rate)
  --port P             service port (default 18080); the receiver uses P+10 and P+11 (control)
  --no-results         do not write bench/results/events-latest.json
USAGE
}

LEVELS="32 8"; SECS=10; ROUNDS=2; LAT_SECS=15; DOWN_SECS=30; DOWN_RATE=""; PORT=18080; SKIP_BUILD=0; RESULTS=1
while (($#)); do
  case "$1" in
    --skip-build) SKIP_BUILD=1 ;;
    --levels) LEVELS=$2; shift ;;
    --seconds) SECS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --latency-seconds) LAT_SECS=$2; shift ;;
    --down-seconds) DOWN_SECS=$2; shift ;;
    --down-rate) DOWN_RATE=$2; shift ;;
    --port) PORT=$2; shift ;;
    --no-results) RESULTS=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown option $1" ;;
  esac
  shift
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN_ID=$(date +%s)$RANDOM
OUT="$BENCH_DIR/out/events-$STAMP"
mkdir -p "$OUT"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
DB="wag_events_${RUN_ID}"
RPORT=$((PORT + 10)); RCTL=$((PORT + 11))
RECEIVER_PID=""
# the subscription's Standard Webhooks secret: whsec_ + base64 of 32 random bytes
EV_SECRET="whsec_$(head -c 32 /dev/urandom | base64)"
# Service settings of this run: loopback subscriber allowed; a 15 s lease (default 60 s) so that the SIGKILL phase,
# whose in-flight deliveries wait for their lease to end, drains within a short run
export GATEWAY_EVENTS_ALLOW_PRIVATE_URLS=true
# one encryption key for both starts of the service: the subscription secrets are encrypted at rest with it
export BENCH_ENCRYPTION_KEYS="bench:$(head -c 32 /dev/urandom | base64)"
export GATEWAY_EVENTS_LEASE=${BENCH_EVENTS_LEASE:-15s} GATEWAY_EVENTS_REQUEST_TIMEOUT=${BENCH_EVENTS_REQUEST_TIMEOUT:-5s}

cleanup() {
  local rc=$?
  stop_service
  if [ -n "$RECEIVER_PID" ]; then kill "$RECEIVER_PID" 2>/dev/null || true; wait "$RECEIVER_PID" 2>/dev/null || true; fi
  dropdb --if-exists "$DB" >/dev/null 2>&1 || true
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rctl() { curl -sf "http://127.0.0.1:$RCTL$1" || die "receiver control $1 failed"; }
api() { curl -sf -X "$1" "http://127.0.0.1:$PORT/api/v1$2" -H "Authorization: Bearer $BENCH_ADMIN_KEY" \
  -H 'Content-Type: application/json' ${3:+-d "$3"}; }
# the bench's own counts without the JIT, which would compile them on every call and add to the measured PG CPU
q() { PGOPTIONS="-c jit=off" psql -X -At -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }
# events not numbered yet + matching events after an active subscription's cursor + delivery rows not delivered or
# failed yet
backlog() { q "SELECT (SELECT count(*) FROM gateway_events WHERE id IS NULL)
  + (SELECT COALESCE(sum(a.n), 0) FROM gateway_subscriptions s
     LEFT JOIN gateway_subscription_cursors c ON c.subscription_id = s.id
     CROSS JOIN LATERAL (SELECT count(*) AS n FROM gateway_events e
       WHERE s.is_active AND e.id > GREATEST(COALESCE(c.cursor_event_id, 0), s.start_event_id)
         AND (s.event_types IS NULL OR e.type = ANY (s.event_types))
         AND (s.phone_number_ids IS NULL OR e.phone_number_id = ANY (s.phone_number_ids))) a)
  + (SELECT count(*) FROM gateway_event_deliveries WHERE state = 'pending')"; }
# wait_drain LIMIT_S: seconds (3 decimals) until the backlog is 0, measured from the call
wait_drain() {
  local t0 n; t0=$(date +%s%N)
  while :; do
    n=$(backlog)
    [ "$n" = 0 ] && break
    if (( ($(date +%s%N) - t0) / 1000000000 > $1 )); then
      log "WARNING: backlog $n after $1 s (state in $OUT/stuck-*.txt)"; stuck_state; break
    fi
    sleep 0.1
  done
  python3 -c "print(round(($(date +%s%N) - $t0) / 1e9, 3))"
}
# what a backlog that does not drain is waiting for
stuck_state() {
  local f; f="$OUT/stuck-$(date +%H%M%S).txt"
  psql -X -d "$DB" >"$f" 2>&1 <<'SQL' || true
SELECT count(*) FILTER (WHERE id IS NULL) AS unnumbered, max(id) AS max_id, max(seq) AS max_seq FROM gateway_events;
SELECT last_id FROM gateway_event_sequencer;
SELECT * FROM gateway_subscription_cursors;
SELECT state, attempts > 0 AS tried, next_attempt_at <= now() AS due, count(*), min(next_attempt_at), max(next_attempt_at)
  FROM gateway_event_deliveries GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT status_code, error, count(*), max(attempted_at) FROM gateway_delivery_log GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10;
SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS xact_age, left(query, 80)
  FROM pg_stat_activity WHERE datname = current_database();
SQL
}
accepted() { rctl /stats | python3 -c "import json,sys; print(json.load(sys.stdin)['paths'].get('$1', {}).get('accepted', 0))"; }

need_tools
need_wrk
need_server
pg_find_postmaster
((SKIP_BUILD)) || build_service
build_loadgen
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "out: $OUT   load average before: $LOAD_BEFORE"

java -Xms64m -Xmx512m -XX:+UseSerialGC -jar "$LOADGEN_JAR" receive --secret "$EV_SECRET" --port "$RPORT" --control-port "$RCTL" \
  >"$OUT/receiver.log" 2>&1 &
RECEIVER_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$RCTL/stats" >/dev/null 2>&1 && break; sleep 0.1; done
rctl /stats >/dev/null

createdb "$DB"
start_service "$DB" "$PORT" "$PGPORT" "$OUT/service.log" "${BENCH_JVM_OPTS-$IMAGE_JVM_OPTS}"
add_settings "$PORT"
URL="http://127.0.0.1:$PORT/webhooks/whatsapp"
LG=(--url "$URL" --secret "$BENCH_SECRET" --run-id "$RUN_ID")
sub() { api POST /subscriptions "{\"url\":\"http://127.0.0.1:$RPORT$1\",\"secret\":\"$EV_SECRET\",\"isActive\":$2}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
SUB_AB=$(sub /ab true) || die "could not create the subscription"
: >"$OUT/acked-ab.txt"

# --- warm-up: with the subscription, so the dispatch path is compiled too ---------------------------------
log "warm-up: ${BENCH_EVENTS_WARMUP:-20000} deliveries at concurrency 32 (subscription active)"
loadgen closed "${LG[@]}" --phase warmup --concurrency 32 --count "${BENCH_EVENTS_WARMUP:-20000}" --acked "$OUT/acked-ab.txt" --out "$OUT/warmup.json"
log "warm-up drained after $(wait_drain "${BENCH_EVENTS_DRAIN_LIMIT:-60}") s"
# then each level through wrk, as measured below: the receiver's JIT went on compiling through the first measured
# round otherwise (its CPU per event was several times that of the second round)
for c in $LEVELS; do
  wrk_closed "$c" "warm$c" "${BENCH_EVENTS_WARMUP_SECONDS:-10}" "$URL" "$OUT/warmup-c$c.json" "$OUT/acked-ab.txt"
done
log "warm-up at each level drained after $(wait_drain "${BENCH_EVENTS_DRAIN_LIMIT:-60}") s"

# --- a. throughput with / without the subscription ----------------------------------------------------------
: >"$OUT/ab.jsonl"
for c in $LEVELS; do
  for r in $(seq 1 "$ROUNDS"); do
    for state in off on; do
      api PATCH "/subscriptions/$SUB_AB" "{\"isActive\":$([ $state = on ] && echo true || echo false)}" >/dev/null
      a0=$(accepted /ab); cpu0=$(cpu_s "$SERVICE_PID"); pg0=$(pg_cpu_s); rc0=$(cpu_s "$RECEIVER_PID")
      wrk_closed "$c" "ab$c$state$r" "$SECS" "$URL" "$OUT/ab-c$c-$state$r.json" "$OUT/acked-ab.txt"
      left=$(backlog); cpu1=$(cpu_s "$SERVICE_PID"); pg1=$(pg_cpu_s); a1=$(accepted /ab)
      drain=$(wait_drain "${BENCH_EVENTS_DRAIN_LIMIT:-60}")
      cpu2=$(cpu_s "$SERVICE_PID"); pg2=$(pg_cpu_s); a2=$(accepted /ab); rc2=$(cpu_s "$RECEIVER_PID")
      echo "{\"c\":$c,\"state\":\"$state\",\"round\":$r,\"file\":\"ab-c$c-$state$r.json\",\"svc_cpu_s\":[$cpu0,$cpu1,$cpu2],\"pg_cpu_s\":[$pg0,$pg1,$pg2],\"receiver_cpu_s\":[$rc0,$rc2],\"events_accepted\":[$a0,$a1,$a2],\"backlog_at_end\":$left,\"drain_s\":$drain,\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\"}" >>"$OUT/ab.jsonl"
      log "  c=$c $state round $r: backlog at the end $left, drained after $drain s"
    done
  done
done
api PATCH "/subscriptions/$SUB_AB" '{"isActive":false}' >/dev/null
MAX_ON=$(python3 -c "
import json,sys
rows=[json.loads(l) for l in open('$OUT/ab.jsonl')]
print(max(json.load(open('$OUT/'+r['file']))['throughput'] for r in rows if r['state']=='on'))")
HALF=$(python3 -c "print(round($MAX_ON / 2))")
DOWN_RATE=${DOWN_RATE:-$(python3 -c "print(round($MAX_ON / 4))")}

# --- the checked subscription: every event numbered after BOUNDARY must reach /check exactly once -----------
wait_drain 60 >/dev/null
BOUNDARY=$(q "SELECT coalesce(max(id), 0) FROM gateway_events")
SUB_CHECK=$(sub /check true) || die "could not create the checked subscription"

# --- b. latency: open loop at half the best rate ------------------------------------------------------------
log "latency: open loop at $HALF deliveries/s (half of the best $MAX_ON/s with the subscription) for $LAT_SECS s"
: >"$OUT/acked-lat.txt"; : >"$OUT/acked-times.txt"
loadgen rate "${LG[@]}" --phase lat --rate "$HALF" --duration "$LAT_SECS" --acked "$OUT/acked-lat.txt" \
  --acked-times "$OUT/acked-times.txt" --out "$OUT/latency.json"
echo "{\"drain_s\":$(wait_drain 120)}" >"$OUT/latency-drain.json"

# --- c. subscriber down during load -------------------------------------------------------------------------
HALF_DOWN=$((DOWN_SECS / 2)); PRE=5; POST=10
log "subscriber down: open loop at $DOWN_RATE/s for $((PRE + DOWN_SECS + POST)) s; receiver 503 for $HALF_DOWN s, refusing for $((DOWN_SECS - HALF_DOWN)) s"
: >"$OUT/acked-down.txt"
wrk_rate "$DOWN_RATE" "$((PRE + DOWN_SECS + POST))" "$URL" "$OUT/down.json" "$OUT/acked-down.txt" &
WRK_PID=$!
for _ in $(seq 1 600); do pgrep -P "$WRK_PID" -x wrk >/dev/null && break; sleep 0.05; done  # bodies prepared, wrk runs
sleep $((3 + PRE))   # wrk_rate's lead-in, then PRE seconds up
rctl "/mode?m=503" >/dev/null; sleep "$HALF_DOWN"
rctl "/mode?m=refuse" >/dev/null; sleep "$((DOWN_SECS - HALF_DOWN))"
rctl "/mode?m=ok" >/dev/null; T_UP=$(date +%s%N)
DOWN_BACKLOG=$(backlog)
wait "$WRK_PID" || die "the down-phase load failed"
DOWN_DRAIN=$(wait_drain 300)
DOWN_DRAIN=$(python3 -c "print(round(($(date +%s%N) - $T_UP) / 1e9, 3))")
echo "{\"rate\":$DOWN_RATE,\"down_s\":$DOWN_SECS,\"backlog_when_up\":$DOWN_BACKLOG,\"drain_after_up_s\":$DOWN_DRAIN}" >"$OUT/down-drain.json"
log "subscriber down: backlog $DOWN_BACKLOG when it came back, drained $DOWN_DRAIN s after"

# --- d. SIGKILL with a backlog pending ----------------------------------------------------------------------
log "SIGKILL: receiver slowed to 100 ms per event, 5 s of load at concurrency 32, then kill -9"
rctl "/mode?m=slow&delay=100" >/dev/null
: >"$OUT/acked-kill.txt"
wrk_closed 32 kill 5 "$URL" "$OUT/kill.json" "$OUT/acked-kill.txt"
KILL_BACKLOG=$(backlog)
KILL_INFLIGHT=$(q "SELECT count(*) FROM gateway_event_deliveries WHERE state = 'pending' AND attempts > 0")
kill -9 "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=""
log "killed with a backlog of $KILL_BACKLOG ($KILL_INFLIGHT claimed); restarting on the same database"
rctl "/mode?m=ok" >/dev/null
start_service "$DB" "$PORT" "$PGPORT" "$OUT/service-restart.log" "${BENCH_JVM_OPTS-$IMAGE_JVM_OPTS}"
RESTART_MS=$START_MS
KILL_DRAIN=$(wait_drain 120)
echo "{\"backlog_at_kill\":$KILL_BACKLOG,\"claimed_at_kill\":$KILL_INFLIGHT,\"restart_ms\":$RESTART_MS,\"drain_after_ready_s\":$KILL_DRAIN,\"lease\":\"$GATEWAY_EVENTS_LEASE\"}" >"$OUT/kill-drain.json"
log "SIGKILL: drained $KILL_DRAIN s after the restarted service was ready"

# --- checks -------------------------------------------------------------------------------------------------
sleep 1
rctl /stats >"$OUT/receiver-stats.json"
rctl "/dump?file=$OUT/received.tsv" >/dev/null
stop_service
cat "$OUT"/acked-{ab,lat,down,kill}.txt >"$OUT/acked-all.txt"
verify_db "$DB" "$OUT/acked-all.txt" /dev/null "$RUN_ID" >"$OUT/verify.json"
psql -X -At -v ON_ERROR_STOP=1 -d "$DB" >"$OUT/verify-events.json" <<SQL
SELECT json_build_object(
  'events_total', (SELECT count(*) FROM gateway_events),
  'events_unnumbered', (SELECT count(*) FROM gateway_events WHERE id IS NULL),
  'events_after_boundary', (SELECT count(*) FROM gateway_events WHERE id > $BOUNDARY),
  'delivery_rows_by_state', (SELECT json_object_agg(state, n) FROM (SELECT state, count(*) n FROM gateway_event_deliveries GROUP BY state) s),
  'check_delivery_rows', (SELECT count(*) FROM gateway_event_deliveries WHERE subscription_id = '$SUB_CHECK'),
  'check_pending_rows', (SELECT count(*) FROM gateway_event_deliveries WHERE subscription_id = '$SUB_CHECK' AND state <> 'delivered'),
  'check_delivered', (SELECT count(DISTINCT event_id) FROM gateway_delivery_log
      WHERE subscription_id = '$SUB_CHECK' AND status_code BETWEEN 200 AND 299),
  'check_events_not_delivered', (SELECT count(*) FROM gateway_events e WHERE e.id > $BOUNDARY AND NOT EXISTS
      (SELECT 1 FROM gateway_delivery_log a WHERE a.event_id = e.id AND a.subscription_id = '$SUB_CHECK'
         AND a.status_code BETWEEN 200 AND 299)),
  'check_attempts', (SELECT count(*) FROM gateway_delivery_log WHERE subscription_id = '$SUB_CHECK'),
  'check_max_attempts', (SELECT max(attempt) FROM gateway_delivery_log WHERE subscription_id = '$SUB_CHECK'),
  'ab_delivered', (SELECT count(DISTINCT event_id) FROM gateway_delivery_log
      WHERE subscription_id = '$SUB_AB' AND status_code BETWEEN 200 AND 299)
);
SQL
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
cat >"$OUT/meta.json" <<JSON
{"stamp":"$STAMP","date":"$(date -u +%Y-%m-%dT%H:%M:%SZ)","host_cpus":$(nproc),"git_commit":"$(git -C "$ROOT_DIR" rev-parse --short HEAD)",
 "levels":"$LEVELS","seconds":$SECS,"rounds":$ROUNDS,"latency_seconds":$LAT_SECS,"half_rate":$HALF,"best_rate_on":$MAX_ON,
 "down_seconds":$DOWN_SECS,"down_rate":$DOWN_RATE,"lease":"$GATEWAY_EVENTS_LEASE","request_timeout":"$GATEWAY_EVENTS_REQUEST_TIMEOUT",
 "start_ms":$RESTART_MS,"load_before":"$LOAD_BEFORE","load_after":"$LOAD_AFTER"}
JSON
python3 "$BENCH_DIR/events-report.py" "$OUT" $( ((RESULTS)) && echo --results "$BENCH_DIR/results/events-latest.json" )
