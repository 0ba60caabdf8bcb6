#!/usr/bin/env bash
# Media downloads under the container image's JVM options: N documents of SIZE bytes (default five of 100 MB, Meta's
# document limit) announced by one signed webhook each, downloaded at once from a local stand-in for Meta's media
# endpoints (bench/media-standin.py) into the database store. Samples the service's RSS every 200 ms and reports its
# peak (VmHWM), the wall time from the first webhook to the last file stored, and the download throughput.
# Usage: bench/media.sh [--skip-build] [--count N] [--size BYTES] [--port PORT]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
SKIP_BUILD=0; COUNT=5; SIZE=$((100 * 1024 * 1024)); PORT=18090; STANDIN_PORT=18190
while [ $# -gt 0 ]; do
  case $1 in
    --skip-build) SKIP_BUILD=1 ;;
    --count) COUNT=$2; shift ;;
    --size) SIZE=$2; shift ;;
    --port) PORT=$2; shift ;;
    *) die "unknown option $1" ;;
  esac
  shift
done
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
need_server
((SKIP_BUILD)) || build_service
RUN_ID=$(date +%Y%m%d-%H%M%S)
DB="wag_media_${RUN_ID//-/_}"
OUT=$(mktemp -d "${TMPDIR:-/tmp}/wag-media-bench.XXXXXX")   # deliveries and the service log; the result goes to bench/results
STANDIN_PID=""
cleanup() {
  stop_service
  [ -n "$STANDIN_PID" ] && kill "$STANDIN_PID" 2>/dev/null || true
  dropdb --if-exists "$DB" 2>/dev/null || true
}
trap cleanup EXIT

python3 "$BENCH_DIR/media-standin.py" "$STANDIN_PORT" "$SIZE" & STANDIN_PID=$!
createdb "$DB"
export GATEWAY_GRAPH_BASE_URL="http://127.0.0.1:$STANDIN_PORT" GATEWAY_MEDIA_CONCURRENCY="$COUNT"
start_service "$DB" "$PORT" "$PGPORT" "$OUT/service.log" "$IMAGE_JVM_OPTS"
add_settings "$PORT"
RSS_START=$(rss_kb "$SERVICE_PID")
log "service RSS before: $((RSS_START / 1024)) MiB; $COUNT documents of $SIZE bytes"

T0=$(date +%s%N)
for i in $(seq 1 "$COUNT"); do
  python3 - "$BENCH_SECRET" "$BENCH_PHONE_NUMBER_ID" "bench$RUN_ID$i" "$i" >"$OUT/delivery-$i.json" <<'PY'
import json, sys, time
secret, number, media_id, i = sys.argv[1:]
body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "204567891234567", "changes": [{"field": "messages",
    "value": {"messaging_product": "whatsapp", "metadata": {"display_phone_number": "15557654321", "phone_number_id": number},
              "contacts": [{"profile": {"name": "Bench"}, "wa_id": "4915100000%03d" % int(i)}],
              "messages": [{"from": "4915100000%03d" % int(i), "id": "wamid.media-%s" % media_id, "timestamp": str(int(time.time())),
                            "type": "document", "document": {"filename": "big-%s.pdf" % i, "mime_type": "application/pdf",
                                                             "id": media_id}}]}}]}]}, separators=(",", ":"))
print(body, end="")
PY
  sig=$(python3 -c "import hmac,hashlib,sys; print('sha256='+hmac.new(sys.argv[1].encode(), open(sys.argv[2],'rb').read(), hashlib.sha256).hexdigest())" "$BENCH_SECRET" "$OUT/delivery-$i.json")
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/webhooks/whatsapp" \
    -H 'Content-Type: application/json' -H "X-Hub-Signature-256: $sig" --data-binary "@$OUT/delivery-$i.json")
  [ "$code" = 200 ] || die "webhook answered $code"
done

PEAK=0
while :; do
  rss=$(rss_kb "$SERVICE_PID"); (( rss > PEAK )) && PEAK=$rss
  done_count=$(psql -X -Atc "select count(*) from gateway_media where status <> 'pending'" -d "$DB")
  [ "$done_count" -ge "$COUNT" ] && break
  kill -0 "$SERVICE_PID" 2>/dev/null || die "the service exited (see $OUT/service.log)"
  (( ($(date +%s%N) - T0) / 1000000000 > 900 )) && die "not stored after 900 s"
  sleep 0.2
done
T1=$(date +%s%N)
HWM=$(hwm_kb "$SERVICE_PID")
STORED=$(psql -X -Atc "select count(*) from gateway_media where status = 'stored'" -d "$DB")
FAILED=$(psql -X -Atc "select coalesce(string_agg(error, '; '), '') from gateway_media where status = 'failed'" -d "$DB")
ELAPSED_MS=$(( (T1 - T0) / 1000000 ))
MB=$(python3 -c "print(round($COUNT * $SIZE / 1e6, 1))")
TPUT=$(python3 -c "print(round($COUNT * $SIZE / 1e6 / ($ELAPSED_MS / 1000), 1))")
cat >"$OUT/result.json" <<JSON
{"documents": $COUNT, "bytesEach": $SIZE, "stored": $STORED, "failed": "$FAILED", "elapsedMs": $ELAPSED_MS,
 "throughputMBps": $TPUT, "rssStartMiB": $((RSS_START / 1024)), "rssPeakSampledMiB": $((PEAK / 1024)),
 "vmHwmMiB": $((HWM / 1024)), "jvmOptions": "$IMAGE_JVM_OPTS", "store": "database",
 "java": "$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')", "load": "$(cut -d' ' -f1-3 /proc/loadavg)"}
JSON
cp "$OUT/result.json" "$BENCH_DIR/results/media-$RUN_ID.json"; cp "$OUT/result.json" "$BENCH_DIR/results/media-latest.json"
cat "$OUT/result.json"
log "$STORED of $COUNT stored ($MB MB) in $ELAPSED_MS ms: $TPUT MB/s; RSS peak $((HWM / 1024)) MiB (sampled $((PEAK / 1024)) MiB)"
