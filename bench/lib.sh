# Shared helpers for bench/run.sh and bench/fault.sh (sourced, not run).
# shellcheck shell=bash
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(dirname "$BENCH_DIR")
SERVICE_JAR=${BENCH_SERVICE_JAR:-$ROOT_DIR/target/quarkus-app/quarkus-run.jar}  # another build of the same contract can be benchmarked
LOADGEN_JAR="$BENCH_DIR/loadgen/target/loadgen.jar"
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
export PGUSER=${PGUSER:-postgres}
BENCH_SECRET=${BENCH_SECRET:-bench-app-secret-0123456789abcdef}
BENCH_ADMIN_KEY=${BENCH_ADMIN_KEY:-bench-admin-key-0123456789abcdef-$RANDOM$RANDOM$RANDOM}
BENCH_PHONE_NUMBER_ID=118234567890123   # the loadgen's metadata.phone_number_id
SERVICE_PID=""
# The service's management interface (health, metrics) listens on its HTTP port + this offset
MGMT_PORT_OFFSET=${BENCH_MGMT_PORT_OFFSET:-1000}
# The JVM options of src/main/docker/Dockerfile.jvm (README "Benchmark", "JVM options"): serial GC and a 192 MB heap
# ceiling; C2 with a 40 MB code cache, and glibc's free native memory (C2's compiler arenas) returned every second;
# exit on OutOfMemoryError (Kubernetes restarts the container)
IMAGE_JVM_OPTS="-XX:+UseSerialGC -Xms64m -Xmx192m -XX:ReservedCodeCacheSize=40m -XX:TrimNativeHeapInterval=1000 -XX:+ExitOnOutOfMemoryError"
# Base URL of the health endpoints of a service whose HTTP port is $1: on its management interface (mgmt_url)
health_url() { mgmt_url "$1" /q/health; }
# Start-optimised alternative: C1 only (faster start, less memory, ~40 % more CPU per delivery under load)
C1_JVM_OPTS="-XX:+UseSerialGC -Xms64m -Xmx192m -XX:TieredStopAtLevel=1"
# glibc malloc arenas for the service JVM (default 8 x cores: RSS grows with threads); 0 = glibc default
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
[ "$MALLOC_ARENA_MAX" = 0 ] && unset MALLOC_ARENA_MAX

# mgmt_url PORT PATH: PATH on the management interface of the service started on PORT
mgmt_url() { printf 'http://127.0.0.1:%s%s' "$(( $1 + MGMT_PORT_OFFSET ))" "$2"; }

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need_tools() {
  local missing=()
  for t in java curl python3 psql pgbench createdb dropdb; do command -v "$t" >/dev/null || missing+=("$t"); done
  if ((${#missing[@]})); then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      log "installing missing tools: ${missing[*]}"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl python3 postgresql >/dev/null
      PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    fi
    for t in "${missing[@]}"; do command -v "$t" >/dev/null || die "missing tool: $t"; done
  fi
  java -version 2>&1 | grep -Eq 'version "(1[7-9]|2[0-9])' || die "Java 17+ required"
}

# need_wrk: wrk (Debian package "wrk", 4.x with LuaJIT) for the closed-loop levels
need_wrk() {
  if ! command -v wrk >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    log "installing wrk (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null || true
  fi
  command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk), or run with --loadgen java"
}

# need_server: the PostgreSQL server at PGHOST:PGPORT (default 127.0.0.1:5432) must answer; clusters that are
# installed but down are started the way .ci/run does
need_server() {
  local host=${PGHOST:-127.0.0.1} port=${PGPORT:-5432}
  if ! pg_isready -q -h "$host" -p "$port" && command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header | while read -r version cluster _ status _; do
      [ "$status" = online ] || pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || true
    done
    for _ in $(seq 1 30); do pg_isready -q -h "$host" -p "$port" && break; sleep 1; done
  fi
  pg_isready -q -h "$host" -p "$port" || die "no PostgreSQL server at $host:$port (set PGHOST/PGPORT/PGUSER)"
}

build_service() {
  log "packaging the service (./mvnw package -DskipTests)"
  (cd "$ROOT_DIR" && ./mvnw -B -q package -DskipTests) || die "service build failed"
}

build_loadgen() {
  if [ ! -f "$LOADGEN_JAR" ] || [ -n "$(find "$BENCH_DIR/loadgen/src" "$BENCH_DIR/loadgen/pom.xml" -newer "$LOADGEN_JAR" 2>/dev/null)" ]; then
    log "building the load generator (bench/loadgen)"
    (cd "$ROOT_DIR" && ./mvnw -B -q -f bench/loadgen/pom.xml package) || die "loadgen build failed"
  fi
}

# migrate_with_psql DBNAME: the same Flyway SQL files, in version order (for the pgbench database)
migrate_with_psql() {
  local f
  for f in $(ls "$ROOT_DIR"/src/main/resources/db/migration/V*__*.sql | sort -V); do
    psql -q -X -v ON_ERROR_STOP=1 -d "$1" -f "$f" >/dev/null || die "migration $f failed on $1"
  done
}

# start_service DB PORT PGPORT LOGFILE [JVM_OPTS]: starts the jar (management interface on PORT + MGMT_PORT_OFFSET),
# sets SERVICE_PID and START_MS
start_service() {
  local db=$1 port=$2 pgport=$3 logf=$4 jvm=${5:-}
  [ -f "$SERVICE_JAR" ] || die "no $SERVICE_JAR (run without --skip-build)"
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then die "port $port is already in use"; fi
  if curl -s -o /dev/null "$(mgmt_url "$port" /)"; then die "port $(( port + MGMT_PORT_OFFSET )) is already in use"; fi
  local t0 t1 code
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$pgport/$db" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$pgport/$db" \
  QUARKUS_DATASOURCE_USERNAME="$PGUSER" \
  GATEWAY_ENCRYPTION_KEYS="${BENCH_ENCRYPTION_KEYS:-bench:$(head -c 32 /dev/urandom | base64)}" \
  GATEWAY_ADMIN_API_KEYS="$BENCH_ADMIN_KEY" \
  GATEWAY_WHATSAPP_APP_SECRETS="$BENCH_SECRET" \
  QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$(( port + MGMT_PORT_OFFSET ))" \
    "${BENCH_JAVA:-java}" $jvm -jar "$SERVICE_JAR" >"$logf" 2>&1 &
  SERVICE_PID=$!
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$(health_url "$port")/ready" || true)
    [ "$code" = 200 ] && break
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -30 "$logf" >&2; die "service exited during startup"; }
    if (( ($(date +%s%N) - t0) / 1000000 > 90000 )); then tail -30 "$logf" >&2; die "service not ready after 90 s"; fi
    sleep 0.01
  done
  t1=$(date +%s%N)
  START_MS=$(( (t1 - t0) / 1000000 ))
  log "service pid $SERVICE_PID ready after $START_MS ms (process start -> first 200 on /q/health/ready)"
}

# add_settings PORT: the active settings row for the loadgen's phone_number_id (as in production: deliveries
# for a configured number). Without it every message is stored as "unrouted" (a WARN log line each).
add_settings() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/api/v1/settings" \
    -H "Authorization: Bearer $BENCH_ADMIN_KEY" -H 'Content-Type: application/json' \
    -d "{\"apiKey\":\"bench-api-key\",\"phoneNumberId\":\"$BENCH_PHONE_NUMBER_ID\",\"businessId\":\"204567891234567\",
        \"accessToken\":\"bench-access-token-0123456789\",\"webhookToken\":\"bench-webhook-token\",\"isActive\":true}" || true)
  [ "$code" = 201 ] || log "WARNING: could not add the settings row (HTTP $code); messages will count as unrouted"
}

# stop_service [SECONDS]: SIGTERM, then SIGKILL after SECONDS (default 10; an AOT training run writes its cache
# on exit and needs longer)
stop_service() {
  if [ -n "${SERVICE_PID:-}" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill "$SERVICE_PID" 2>/dev/null || true
    for _ in $(seq 1 $(( ${1:-10} * 10 ))); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVICE_PID" 2>/dev/null || true
    wait "$SERVICE_PID" 2>/dev/null || true
  fi
  SERVICE_PID=""
}

# pg_cpu_s: CPU seconds used so far by the PostgreSQL server at PGHOST:PGPORT (postmaster, its live children, and
# the children it has reaped: cutime/cstime), or 0 when its postmaster.pid is not readable (another machine)
PG_POSTMASTER_PID=""
pg_find_postmaster() {
  local dd; dd=$(psql -X -Atc 'show data_directory' -d postgres 2>/dev/null || true)
  PG_POSTMASTER_PID=$(head -1 "$dd/postmaster.pid" 2>/dev/null || echo none)
}
pg_cpu_s() {
  python3 - "$PG_POSTMASTER_PID" <<'PY'
import os, sys
pm = sys.argv[1]
def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()
try:
    st = stat(pm)
except (OSError, ValueError):
    print(0); sys.exit()
ticks = int(st[11]) + int(st[12]) + int(st[13]) + int(st[14])   # utime stime cutime cstime
for pid in os.listdir("/proc"):
    if pid.isdigit() and pid != pm:
        try:
            s = stat(pid)
        except OSError:
            continue
        if s[1] == pm:
            ticks += int(s[11]) + int(s[12])
print(f"{ticks / os.sysconf('SC_CLK_TCK'):.2f}")
PY
}
# pgbench_clients C: C, or fewer when the shared server's max_connections (less those in use and a margin) is lower
pgbench_clients() {
  local maxconn
  maxconn=$(psql -X -Atc "SELECT current_setting('max_connections')::int - (SELECT count(*) FROM pg_stat_activity) - 10" -d postgres)
  echo $(( $1 < maxconn ? $1 : maxconn ))
}
cpu_s() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# the load generator: warms its own JIT with 2,000 deliveries before each measured phase (--self-warmup)
loadgen() {
  local mode=$1; shift
  java -Xms256m -Xmx512m -XX:+UseParallelGC -jar "$LOADGEN_JAR" "$mode" --self-warmup "${LOADGEN_SELF_WARMUP:-2000}" "$@"
}

# prepare_bodies PHASE COUNT FILE [--acked-in STORED]: COUNT signed text deliveries for wrk (with --acked-in, the
# statuses mix: 1 new message : 3 statuses of the stored wamids), signed before any clock starts
prepare_bodies() {
  java -jar "$LOADGEN_JAR" prepare --secret "$BENCH_SECRET" --run-id "$RUN_ID" --phase "$1" --count "$2" --out "$3" \
    "${@:4}" || die "preparing deliveries failed"
}

# wrk_closed C PHASE SECONDS URL OUT_JSON ACKED_FILE: pre-signed deliveries (signed by the load generator's
# `prepare` mode before the clock starts, 10,000 per second of run) posted by wrk at concurrency C for SECONDS,
# closed loop; the 200s' wamids are appended to ACKED_FILE; wrk's own CPU time goes in as loadgen_cpu_s
wrk_closed() {
  local c=$1 phase=$2 secs=$3 url=$4 out=$5 acked=$6 bodies="${5%.json}.bodies.tsv" count=$(( $3 * 10000 ))
  prepare_bodies "$phase" "$count" "$bodies"
  WRK_OUT="$out.wrk" python3 - "$out" wrk -t 1 -c "$c" -d "${secs}s" --timeout 30s -s "$BENCH_DIR/wrk/deliveries.lua" "$url" \
    -- "$bodies" 1 "$out.acked" "$phase" <<'PY' || die "wrk failed"
import json, os, resource, subprocess, sys
out, cmd = sys.argv[1], sys.argv[2:]
rc = subprocess.call(cmd, stdout=open(out + ".txt", "w"))
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
if rc != 0 or not os.path.exists(out + ".wrk"):
    sys.exit(f"wrk exited with {rc}")
r = json.load(open(out + ".wrk"))
r.update({"mode": "closed", "phase": cmd[cmd.index("--") + 4], "concurrency": int(cmd[cmd.index("-c") + 1]),
          "loadgen_cpu_s": round(usage.ru_utime + usage.ru_stime, 2)})
json.dump(r, open(out, "w"))
os.remove(out + ".wrk")
PY
  cat "$out.acked".* >>"$acked"; rm -f "$out.acked".* "$bodies"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"{r['phase']} c={r['concurrency']} (wrk): {r['requests']} req, {r['ok']} ok, {r['throughput']} ok/s, p50 {r['latency_ms']['p50']:.2f} ms, p99 {r['latency_ms']['p99']:.2f} ms, codes {r['codes']}\")" "$out"
}

# wrk_rate RATE SECONDS URL OUT_JSON ACKED_FILE [--acked-in STORED]: open loop at RATE deliveries/s for SECONDS
# (after a 3 s lead-in at the same rate), pre-signed deliveries, latency from each request's slot in the timetable
# (bench/wrk/rate.lua); with --acked-in the statuses mix, whose acknowledged statuses come as "wamid:status" lines
wrk_rate() {
  local rate=$1 secs=$2 url=$3 out=$4 acked=$5 lead=3 bodies="${4%.json}.bodies.tsv"
  prepare_bodies halfrate "$(python3 -c "import math; print(math.ceil($rate * ($secs + $lead) * 1.02) + 100)")" "$bodies" \
    "${@:6}"
  WRK_OUT="$out" wrk -t 1 -c 256 -d "$((secs + lead + 2))s" --timeout 30s -s "$BENCH_DIR/wrk/rate.lua" "$url" \
    -- "$bodies" "$out.acked" "$rate" "$secs" "$lead" >"$out.txt" || die "wrk failed"
  cat "$out.acked".* >>"$acked"; rm -f "$out.acked".* "$bodies"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1])); l=r['latency_ms']; print(f\"halfrate (wrk): {r['target_rate']}/s target, {r['throughput']} ok/s, p50 {l['p50']:.2f} ms, p99 {l['p99']:.2f} ms, max {l['max']:.2f} ms, codes {r['codes']}, sent late {r['sent_late']}\")" "$out"
}

# verify DB ACKED_FILE [STATUS_ACKED_FILE] [RUN_ID]: JSON with acked / lost / duplicated / status checks
verify_db() {
  local db=$1 acked=$2 stacked=${3:-/dev/null} run=${4:-}
  psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" <<SQL
CREATE TEMP TABLE acked (wamid text);
\copy acked FROM '$acked'
CREATE TEMP TABLE st_acked (wamid text, status text);
\copy st_acked FROM '$stacked' WITH (FORMAT csv)
CREATE TEMP TABLE st_expected AS
  SELECT wamid, max(CASE status WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 END) AS rank
  FROM st_acked GROUP BY wamid;
SELECT json_build_object(
  'acked', (SELECT count(*) FROM acked),
  'acked_distinct', (SELECT count(DISTINCT wamid) FROM acked),
  'lost', (SELECT count(*) FROM (SELECT DISTINCT wamid FROM acked) a
           WHERE NOT EXISTS (SELECT 1 FROM whatsapp_messages m WHERE m.message_id = a.wamid)),
  'duplicated', (SELECT coalesce(sum(c - 1), 0) FROM (SELECT count(*) c FROM whatsapp_messages m
           JOIN (SELECT DISTINCT wamid FROM acked) a ON a.wamid = m.message_id GROUP BY m.message_id) d),
  'stored_not_acked', (SELECT count(*) FROM whatsapp_messages m WHERE m.message_id LIKE 'wamid.BENCH$run%'
           AND NOT EXISTS (SELECT 1 FROM acked a WHERE a.wamid = m.message_id)),
  'messages_total', (SELECT count(*) FROM whatsapp_messages),
  'sessions_total', (SELECT count(*) FROM whatsapp_sessions),
  'profiles_total', (SELECT count(*) FROM customer_profiles),
  'statuses_acked', (SELECT count(*) FROM st_acked),
  'status_messages', (SELECT count(*) FROM st_expected),
  'status_behind', (SELECT count(*) FROM st_expected e JOIN whatsapp_messages m ON m.message_id = e.wamid
           WHERE m.status_rank < e.rank),
  'status_pending_left', (SELECT count(*) FROM whatsapp_pending_statuses p JOIN st_expected e ON e.wamid = p.message_id),
  'bad_stored', (SELECT count(*) FROM whatsapp_messages WHERE message_id LIKE 'wamid.BAD%')
    + (SELECT count(*) FROM customer_profiles WHERE wa_id LIKE '999%')
    + (SELECT count(*) FROM whatsapp_pending_statuses WHERE message_id LIKE 'wamid.BAD%')
);
SQL
}
