#!/usr/bin/env bash
# Fault injection for the webhook receiver (README.md, "### Fault injection"). Never touches the shared
# PostgreSQL server: it creates its own throwaway cluster (initdb into a temp dir, port 55432 by default),
# and deletes it on exit.
#  1. outages: under closed-loop load, stop PostgreSQL (pg_ctl stop -m fast, later -m immediate) for some
#     seconds and start it again. The service must answer 503 while the database is down, recover without a
#     restart, and every wamid that got a 200 must be stored exactly once (lost = 0, duplicated = 0).
#  2. bad requests: valid load alone, then the same valid load plus malformed JSON / unsigned / badly signed /
#     oversized (5 MB) requests and slow-loris sockets; valid throughput of both runs, and nothing stored
#     from the bad ones.
set -Eeuo pipefail
. "$(dirname "$0")/lib.sh"

PREMIGRATE=0; SKIP_BUILD=0; OUT=""; PORT=18081; PG_FAULT_PORT=55432; JVM_OPTS=${BENCH_JVM_OPTS-$IMAGE_JVM_OPTS}; CONC=32
DURATION=45; BAD_SECONDS=20; OVERSIZED_EVERY=20
while (($#)); do
  case "$1" in
    --skip-build) SKIP_BUILD=1 ;;
    --out) OUT=$2; shift ;;
    --port) PORT=$2; shift ;;
    --pg-port) PG_FAULT_PORT=$2; shift ;;
    --jvm-opts) JVM_OPTS=$2; shift ;;
    --concurrency) CONC=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --bad-seconds) BAD_SECONDS=$2; shift ;;
    --oversized-every) OVERSIZED_EVERY=$2; shift ;;   # 0: no oversized bodies in the bad mix
    --quick) DURATION=35; BAD_SECONDS=8 ;;
    --premigrate) PREMIGRATE=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
  shift
done
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
[ -n "$OUT" ] || OUT="$BENCH_DIR/out/fault-$STAMP"
mkdir -p "$OUT"
RUN_ID=$(date +%s)$RANDOM
FDIR=""
LG_PID=""

as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
pgctl() { as_pg "'$PG_BIN/pg_ctl' -D '$FDIR/data' -l '$FDIR/pg.log' $*"; }

cleanup() {
  local rc=$?
  [ -n "$LG_PID" ] && kill "$LG_PID" 2>/dev/null || true
  stop_service
  if [ -n "$FDIR" ] && [ -d "$FDIR" ]; then
    pgctl "-m immediate stop" >/dev/null 2>&1 || true
    cp "$FDIR/pg.log" "$OUT/fault-postgres.log" 2>/dev/null || true
    rm -rf "$FDIR"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need_tools
((SKIP_BUILD)) || build_service
build_loadgen
[ -x "$PG_BIN/initdb" ] || die "no $PG_BIN/initdb (set PG_BIN)"
if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_FAULT_PORT"; then die "port $PG_FAULT_PORT is taken; use --pg-port"; fi

# --- own throwaway cluster ----------------------------------------------------------------------------
FDIR=$(mktemp -d /tmp/wag-fault-XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$FDIR"
log "throwaway cluster in $FDIR on port $PG_FAULT_PORT"
as_pg "'$PG_BIN/initdb' -D '$FDIR/data' -A trust -U postgres" >"$OUT/fault-initdb.log" 2>&1 || die "initdb failed"
PGOPTS="-o \"-p $PG_FAULT_PORT -k $FDIR -c listen_addresses=127.0.0.1 -c max_connections=100\""
pgctl "-w $PGOPTS start" >/dev/null || die "cannot start the throwaway cluster"
export PGHOST=127.0.0.1 PGPORT=$PG_FAULT_PORT
createdb wag_fault
((PREMIGRATE)) && migrate_with_psql wag_fault

start_service wag_fault "$PORT" "$PG_FAULT_PORT" "$OUT/fault-service.log" "$JVM_OPTS"
FAULT_START_MS=$START_MS
PID0=$SERVICE_PID
add_settings "$PORT"
URL="http://127.0.0.1:$PORT/webhooks/whatsapp"
LG=(--url "$URL" --secret "$BENCH_SECRET" --run-id "$RUN_ID" --timeout-ms 10000)
: >"$OUT/fault-acked.txt"

log "warm-up"
loadgen closed "${LG[@]}" --phase fwarm --concurrency "$CONC" --count 3000 --acked "$OUT/fault-acked.txt" --out "$OUT/fault-warmup.json"

# --- 1. outages under load ---------------------------------------------------------------------------
log "outage run: $DURATION s of load at concurrency $CONC; PostgreSQL stopped twice"
loadgen closed "${LG[@]}" --phase outage --concurrency "$CONC" --duration "$DURATION" --acked "$OUT/fault-acked.txt" \
  --out "$OUT/fault-outage.json" &
LG_PID=$!
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
EVENTS="$OUT/fault-events.txt"; : >"$EVENTS"
sleep 8
echo "stop_fast $(now_ms)" >>"$EVENTS"; pgctl "-m fast stop" >/dev/null; echo "stopped_fast $(now_ms)" >>"$EVENTS"
sleep 6
pgctl "-w $PGOPTS start" >/dev/null; echo "started $(now_ms)" >>"$EVENTS"
sleep 8
echo "stop_immediate $(now_ms)" >>"$EVENTS"; pgctl "-m immediate stop" >/dev/null; echo "stopped_immediate $(now_ms)" >>"$EVENTS"
sleep 5
pgctl "-w $PGOPTS start" >/dev/null; echo "started $(now_ms)" >>"$EVENTS"
wait "$LG_PID" || die "load generator failed"
LG_PID=""
ALIVE=false; [ "$SERVICE_PID" = "$PID0" ] && kill -0 "$SERVICE_PID" 2>/dev/null && ALIVE=true
READY=$(curl -s -o /dev/null -w '%{http_code}' "$(mgmt_url "$PORT" /q/health/ready)" || true)
# seconds after the end of the load until /q/health/ready answers 200 again (Kubernetes takes the pod out of
# the Service while it is not ready)
READY_AFTER_S=-1
for i in $(seq 0 60); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$(mgmt_url "$PORT" /q/health/ready)" || true)" = 200 ] && { READY_AFTER_S=$i; break; }
  sleep 1
done
log "after the outages: same process alive: $ALIVE, readiness at once $READY, ready again after ${READY_AFTER_S}s"
loadgen closed "${LG[@]}" --phase after --concurrency 8 --count 500 --acked "$OUT/fault-acked.txt" --out "$OUT/fault-after.json"
verify_db wag_fault "$OUT/fault-acked.txt" /dev/null "$RUN_ID" >"$OUT/fault-verify.json"
cat "$OUT/fault-verify.json" >&2

# --- 2. bad requests mixed into valid load -----------------------------------------------------------
log "bad requests: $BAD_SECONDS s valid load alone, then $BAD_SECONDS s with bad requests"
: >"$OUT/bad-acked.txt"
loadgen closed "${LG[@]}" --phase base --concurrency "$CONC" --duration "$BAD_SECONDS" --acked "$OUT/bad-acked.txt" --out "$OUT/bad-baseline.json"
loadgen bad "${LG[@]}" --phase withbad --concurrency "$CONC" --duration "$BAD_SECONDS" --bad-concurrency 4 --slowloris 16 --oversized-every "$OVERSIZED_EVERY" \
  --acked "$OUT/bad-acked.txt" --out "$OUT/bad-with.json"
BAD_ALIVE=false; kill -0 "$SERVICE_PID" 2>/dev/null && BAD_ALIVE=true
cat "$OUT/fault-acked.txt" "$OUT/bad-acked.txt" >"$OUT/all-acked.txt"
verify_db wag_fault "$OUT/all-acked.txt" /dev/null "$RUN_ID" >"$OUT/bad-verify.json"
cat "$OUT/bad-verify.json" >&2
RSS_END=$(rss_kb "$SERVICE_PID")
stop_service

python3 - "$OUT" "$ALIVE" "$READY" "$BAD_ALIVE" "$FAULT_START_MS" "$RSS_END" "$READY_AFTER_S" "$(grep -c -E ' WARN |"level":"WARN"' "$OUT/fault-service.log")" <<'PY'
import json, os, sys
out, alive, ready, bad_alive, start_ms, rss, ready_after, warn_lines = sys.argv[1:9]
j = lambda n: json.load(open(os.path.join(out, n)))
o, after, v = j("fault-outage.json"), j("fault-after.json"), j("fault-verify.json")
events = [l.split() for l in open(os.path.join(out, "fault-events.txt")) if l.strip()]
t0 = o["t0_epoch_ms"]
ev = [{"event": e, "t_s": round((int(ms) - t0) / 1000, 1)} for e, ms in events]
tl = o["timeline"]
# seconds with 200s after each restart
# per outage: 503s / other failures while it lasted (+2 s), and the seconds from "started" to the first whole
# second with only 200s (an upper bound, 1 s resolution)
recov, windows = [], []
stop_t = None
for e in ev:
    if e["event"].startswith("stop_"):
        stop_t = e["t_s"]
    if e["event"] == "started":
        s = int(e["t_s"])
        first = next((i for i in range(max(0, s), len(tl)) if tl[i][0] > 0 and tl[i][1] + tl[i][2] + tl[i][3] == 0), None)
        recov.append(None if first is None else round(max(0.0, first + 1 - e["t_s"]), 1))
        lo, hi = int(stop_t or 0), min(len(tl), int(e["t_s"]) + 3)
        windows.append({"from_s": stop_t, "to_s": e["t_s"], "ok": sum(tl[i][0] for i in range(lo, hi)),
                        "http_503": sum(tl[i][1] for i in range(lo, hi)), "other": sum(tl[i][2] + tl[i][3] for i in range(lo, hi))})
codes = o["codes"]
outage = {
    "name": "pg_ctl stop -m fast (6 s) and -m immediate (5 s) under load at concurrency %d" % o["concurrency"],
    "requests": o["requests"], "ok_200": o["ok"], "http_503": codes.get("503", 0),
    "other": {k: v2 for k, v2 in codes.items() if k not in ("200", "503")},
    "events": ev, "outage_windows": windows, "seconds_to_recovery_after_start": recov, "timeline_per_s_[200,503,other,exception]": tl,
    "same_process_alive": alive == "true", "readiness_right_after": ready,
    "readiness_200_again_after_s": int(ready_after), "service_warn_log_lines": int(warn_lines),
    "after_recovery": {"requests": after["requests"], "ok": after["ok"], "codes": after["codes"]},
    "acked_total": v["acked"], "lost": v["lost"], "duplicated": v["duplicated"], "stored_not_acked": v["stored_not_acked"],
}
outage["summary"] = (f"{o['requests']} requests, {o['ok']} x 200, {outage['http_503']} x 503, other {outage['other']}; "
                     f"all-200 again within {recov} s after each start; same process: {outage['same_process_alive']}; "
                     f"after recovery {after['ok']}/{after['requests']} ok; acked {v['acked']}, lost {v['lost']}, "
                     f"duplicated {v['duplicated']}")
b0, b1, bv = j("bad-baseline.json"), j("bad-with.json"), j("bad-verify.json")
bad = {"baseline_throughput": b0["throughput"], "with_bad_throughput": b1["throughput"],
       "ratio": b1["throughput"] / b0["throughput"] if b0["throughput"] else 0,
       "baseline_latency_ms": b0["latency_ms"], "with_bad_latency_ms": b1["latency_ms"],
       "valid_codes_with_bad": b1["codes"], "outcomes": b1.get("bad", {}), "bad_stored": bv["bad_stored"],
       "valid_lost": bv["lost"], "valid_duplicated": bv["duplicated"], "service_alive": bad_alive == "true"}
res = {"start_ms": int(start_ms), "rss_end_kb": int(rss), "outages": [outage], "bad": bad}
json.dump(res, open(os.path.join(out, "fault.json"), "w"), indent=2)
print("fault:", outage["summary"])
print(f"bad requests: valid throughput alone {bad['baseline_throughput']}/s, with bad load {bad['with_bad_throughput']}/s "
      f"({bad['ratio']:.2f}x); bad stored {bad['bad_stored']}; outcomes {json.dumps(bad['outcomes'])}")
PY
