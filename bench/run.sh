#!/usr/bin/env bash
# One command for the webhook benchmark (README.md, "## Benchmark"):
#   packages the service, creates a fresh database, starts the jar (production profile) and times its start,
#   drives signed deliveries at fixed concurrency levels (closed loop), a 1:3 message/status mix, and an
#   open-loop run at half the best throughput; verifies exactly-once storage of every acknowledged wamid;
#   runs the service's own per-message SQL through pgbench at the same concurrency levels; then (unless
#   --no-fault) bench/fault.sh. Prints a table; writes bench/results/latest.json and a dated copy.
set -Eeuo pipefail
. "$(dirname "$0")/lib.sh"

usage() {
  cat <<USAGE
usage: bench/run.sh [options]
  --skip-build         do not run ./mvnw package (use the existing target/quarkus-app)
  --levels "8 32 128"  concurrency levels (closed loop)
  --seconds S          seconds per level with wrk (default 10)
  --count N            deliveries per level with --loadgen java (default 20000)
  --warmup N           warm-up deliveries before measuring (default 30000: until C2 has compiled the hot path)
  --mix N              requests in the message/status mix run at concurrency 32 (default 8000)
  --rate-seconds S     duration of the open-loop run at half the max rate (default 30)
  --pgbench-seconds S  duration of each pgbench run (default 20)
  --jvm-opts "..."     JVM options for the service (default: \$BENCH_JVM_OPTS, else
                       the image's: \$IMAGE_JVM_OPTS in bench/lib.sh; "" = JVM defaults)
  --pool-size N        GATEWAY_DB_POOL_SIZE for the service (default: the service's default)
  --port P             service port (default 18080; use 18080-18099)
  --quick              small numbers for a smoke run (results not written to bench/results)
  --no-fault           skip bench/fault.sh
  --no-results         do not write bench/results
  --unrouted           do not add a settings row for the senders' phone_number_id (every message "unrouted")
  --loadgen wrk|java   closed-loop levels and the open loop driven by wrk (default; installed from Debian's
                       packages when missing) or by the Java load generator (Vert.x + HdrHistogram), which
                       always runs the warm-up, the message/status mix and the fault runs
  --jfr                record the service with Java Flight Recorder and print its hotspots (bench/jfr-top.py)
  --premigrate         apply the Flyway SQL files with psql before starting the service (for another
                       implementation of the same contract, BENCH_SERVICE_JAR=..., that does not migrate)
USAGE
}

LEVELS="8 32 128"; SECONDS_PER_LEVEL=10; COUNT=20000; WARMUP=30000; MIX=8000; RATE_SECONDS=30; PGBENCH_SECONDS=20
# The container image's JVM options (IMAGE_JVM_OPTS in lib.sh, README "Benchmark"), glibc malloc arenas capped
# (MALLOC_ARENA_MAX, set in lib.sh); --jvm-opts "" runs the JVM's own defaults
JVM_OPTS=${BENCH_JVM_OPTS-$IMAGE_JVM_OPTS}; POOL_SIZE=""; PORT=18080; SKIP_BUILD=0; FAULT=1; RESULTS=1; QUICK=0; PREMIGRATE=0; JFR=0; UNROUTED=0; LOADGEN=wrk
while (($#)); do
  case "$1" in
    --skip-build) SKIP_BUILD=1 ;;
    --levels) LEVELS=$2; shift ;;
    --count) COUNT=$2; shift ;;
    --seconds) SECONDS_PER_LEVEL=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --mix) MIX=$2; shift ;;
    --rate-seconds) RATE_SECONDS=$2; shift ;;
    --pgbench-seconds) PGBENCH_SECONDS=$2; shift ;;
    --jvm-opts) JVM_OPTS=$2; shift ;;
    --pool-size) POOL_SIZE=$2; shift ;;
    --port) PORT=$2; shift ;;
    --quick) QUICK=1; SECONDS_PER_LEVEL=2; COUNT=2000; WARMUP=1000; MIX=800; RATE_SECONDS=5; PGBENCH_SECONDS=3; RESULTS=0 ;;
    --no-fault) FAULT=0 ;;
    --no-results) RESULTS=0 ;;
    --premigrate) PREMIGRATE=1 ;;
    --jfr) JFR=1 ;;
    --loadgen) LOADGEN=$2; shift ;;
    --unrouted) UNROUTED=1 ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown option $1" ;;
  esac
  shift
done
[ -n "$POOL_SIZE" ] && export GATEWAY_DB_POOL_SIZE=$POOL_SIZE

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN_ID=$(date +%s)$RANDOM
OUT="$BENCH_DIR/out/$STAMP"
mkdir -p "$OUT"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
DB="wag_bench_${RUN_ID}"
PGB_DB="wag_pgbench_${RUN_ID}"
SQL_FILE=${BENCH_INGEST_SQL:-$ROOT_DIR/src/main/resources/db/conversation/inbound-message.sql}

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
[ "$LOADGEN" = wrk ] && need_wrk
need_server
pg_find_postmaster
[ -f "$SQL_FILE" ] || die "no per-message SQL at $SQL_FILE (the webhook's db/conversation/inbound-message.sql)"
((SKIP_BUILD)) || build_service
build_loadgen

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "out: $OUT   load average before: $LOAD_BEFORE"
python3 "$BENCH_DIR/pgbench-script.py" "$SQL_FILE" >"$OUT/pgbench-script.sql"

# --- pgbench: the same SQL, same concurrency, fresh database migrated with the same files ------------------
# Run right after the service's run at the same concurrency (interleaved), so that both see the same
# background load on a shared machine. The service is idle meanwhile.
# The shared server's max_connections bounds the pgbench client count (the service itself uses at most its
# pool size, GATEWAY_DB_POOL_SIZE, default 16); the clients actually used are recorded in pgbench-c<C>.txt
run_pgbench() {
  local c=$1 pc
  pc=$(pgbench_clients "$c")
  log "pgbench: concurrency $c ($pc clients) for $PGBENCH_SECONDS s"
  pg0=$(pg_cpu_s)
  pgbench -n -M prepared -c "$pc" -j $(( pc < 2 ? 1 : 2 )) -T "$PGBENCH_SECONDS" -f "$OUT/pgbench-script.sql" "$PGB_DB" >"$OUT/pgbench-c$c.txt" 2>&1 \
    || { cat "$OUT/pgbench-c$c.txt" >&2; die "pgbench failed"; }
  echo "$pg0 $(pg_cpu_s)" >"$OUT/pgbench-cpu-c$c.txt"
}

# --- service -----------------------------------------------------------------------------------------
createdb "$DB"
createdb "$PGB_DB"
migrate_with_psql "$PGB_DB"
((PREMIGRATE)) && migrate_with_psql "$DB"
SVC_OPTS=$JVM_OPTS
((JFR)) && SVC_OPTS="$SVC_OPTS -XX:StartFlightRecording=filename=$OUT/service.jfr,settings=profile,dumponexit=true"
start_service "$DB" "$PORT" "$PGPORT" "$OUT/service.log" "$SVC_OPTS"
RSS_START=$(rss_kb "$SERVICE_PID")
((UNROUTED)) || add_settings "$PORT"
URL="http://127.0.0.1:$PORT/webhooks/whatsapp"
LG=(--url "$URL" --secret "$BENCH_SECRET" --run-id "$RUN_ID" --acked "$OUT/acked.txt")
: >"$OUT/acked.txt"; : >"$OUT/status-acked.txt"

log "warm-up: $WARMUP deliveries at concurrency 32"
loadgen closed "${LG[@]}" --phase warmup --concurrency 32 --count "$WARMUP" --out "$OUT/warmup.json"

for c in $LEVELS; do
  log "closed loop at concurrency $c: $( [ "$LOADGEN" = wrk ] && echo "$SECONDS_PER_LEVEL s with wrk" || echo "$COUNT deliveries")"
  cpu0=$(cpu_s "$SERVICE_PID"); pg0=$(pg_cpu_s)
  if [ "$LOADGEN" = wrk ]; then
    wrk_closed "$c" "c$c" "$SECONDS_PER_LEVEL" "$URL" "$OUT/closed-c$c.json" "$OUT/acked.txt"
  else
    loadgen closed "${LG[@]}" --phase "c$c" --concurrency "$c" --count "$COUNT" --out "$OUT/closed-c$c.json"
  fi
  echo "$cpu0 $(cpu_s "$SERVICE_PID") $pg0 $(pg_cpu_s)" >"$OUT/cpu-c$c.txt"
  cp "$OUT/acked.txt" "$OUT/acked-upto-c$c.txt"
  run_pgbench "$c"
done

MIX_FROM="$OUT/acked-upto-c$(echo $LEVELS | awk '{print $1}').txt"
log "mix: $MIX requests (1 message : 3 statuses for stored messages) at concurrency 32"
loadgen mix "${LG[@]}" --phase mix --concurrency 32 --count "$MIX" --acked-in "$MIX_FROM" \
  --status-acked "$OUT/status-acked.txt" --out "$OUT/mix.json"

MAX_TPUT=$(python3 -c "import json,sys; print(max(json.load(open(f))['throughput'] for f in sys.argv[1:]))" "$OUT"/closed-c*.json)
HALF=$(python3 -c "print(round($MAX_TPUT/2))")
log "open loop: $HALF deliveries/s (half of the best $MAX_TPUT/s) for $RATE_SECONDS s"
if [ "$LOADGEN" = wrk ]; then
  wrk_rate "$HALF" "$RATE_SECONDS" "$URL" "$OUT/halfrate.json" "$OUT/acked.txt"
else
  loadgen rate "${LG[@]}" --phase halfrate --rate "$HALF" --duration "$RATE_SECONDS" --out "$OUT/halfrate.json"
fi

RSS_END=$(rss_kb "$SERVICE_PID"); HWM=$(hwm_kb "$SERVICE_PID")
log "service RSS after the run: $((RSS_END / 1024)) MiB (peak $((HWM / 1024)) MiB)"
grep -c -E ' ERROR |"level":"ERROR"' "$OUT/service.log" >"$OUT/service-errors.txt" || true
stop_service
if ((JFR)) && [ -f "$OUT/service.jfr" ]; then
  python3 "$BENCH_DIR/jfr-top.py" "$OUT/service.jfr" 30 >"$OUT/hotspots.txt" 2>&1 || true
  log "hotspots (JFR): $OUT/hotspots.txt"; head -40 "$OUT/hotspots.txt" >&2
fi

log "verifying the database against the acknowledged wamids"
verify_db "$DB" "$OUT/acked.txt" "$OUT/status-acked.txt" "$RUN_ID" >"$OUT/verify.json"
cat "$OUT/verify.json" >&2

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

cat >"$OUT/meta.json" <<JSON
{"stamp":"$STAMP","date":"$(date -u +%Y-%m-%dT%H:%M:%SZ)","host_cpus":$(nproc),
 "mem_gib":$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo),
 "cpu_model":"$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)",
 "java":"$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')","postgres":"$(psql -X -Atc 'show server_version' -d postgres)",
 "git_commit":"$(git -C "$ROOT_DIR" rev-parse --short HEAD)","jvm_opts":"$JVM_OPTS","malloc_arena_max":"${MALLOC_ARENA_MAX:-default}","pool_size":"${POOL_SIZE:-default}","unrouted":$UNROUTED,
 "levels":"$LEVELS","loadgen":"$LOADGEN","seconds_per_level":$SECONDS_PER_LEVEL,"count":$COUNT,"warmup":$WARMUP,"mix":$MIX,"rate_seconds":$RATE_SECONDS,"pgbench_seconds":$PGBENCH_SECONDS,
 "start_ms":$START_MS,"quarkus_started_s":"$(grep -o 'started in [0-9.]*s' "$OUT/service.log" | head -1 | tr -dc '0-9.')","rss_start_kb":$RSS_START,"rss_end_kb":$RSS_END,"rss_peak_kb":$HWM,
 "service_error_log_lines":$(cat "$OUT/service-errors.txt"),
 "load_before":"$LOAD_BEFORE","load_after":"$LOAD_AFTER","quick":$QUICK}
JSON

if ((FAULT)); then
  log "fault injection (bench/fault.sh)"
  "$BENCH_DIR/fault.sh" --skip-build --out "$OUT" --port $((PORT + 1)) --jvm-opts "$JVM_OPTS" $( ((PREMIGRATE)) && echo --premigrate ) $( ((QUICK)) && echo --quick ) || log "fault run FAILED (see $OUT)"
fi

python3 "$BENCH_DIR/report.py" "$OUT" $( ((RESULTS)) && echo --results "$BENCH_DIR/results" )
