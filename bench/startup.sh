#!/usr/bin/env bash
# Start time of the service (README.md, "## Benchmark"): process start -> first 200 on /q/health/ready, each start
# on a fresh, empty database (so Flyway migrates every time, as on a first deployment), --runs times per variant:
#   jdk17-fast-jar   the default build (./mvnw package), the JVM on the PATH (Java 17), the image's JVM options
#   jdk17-cds        an aot-jar build (-Dquarkus.package.jar.type=aot-jar) on Java 17 with a dynamic AppCDS archive
#                    (JEP 350, -XX:ArchiveClassesAtExit) recorded by a training run (below)
#   jdk17-cds-c1     the same with the start-optimised JVM options ($C1_JVM_OPTS in lib.sh: C1 only)
#   jdk25-fast-jar   the same jar on JDK 25
#   jdk25-aot        an aot-jar build (-Dquarkus.package.jar.type=aot-jar) on JDK 25 with a Leyden AOT cache
#                    (JEP 483/514/515) recorded by a training run: start, settings row, 3,000 signed deliveries,
#                    admin reads, SIGTERM (the JVM writes app.aot on exit); jdk25-aot-c1 the same, C1 only
# Prints min/median/max per variant and writes bench/results/startup-latest.json (and a dated copy).
set -Eeuo pipefail
. "$(dirname "$0")/lib.sh"

RUNS=5; SKIP_BUILD=0; PORT=18090
JDK25=${BENCH_JDK25:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)}
JVM_OPTS=${BENCH_JVM_OPTS-$IMAGE_JVM_OPTS}
while (($#)); do
  case "$1" in
    --runs) RUNS=$2; shift ;;
    --skip-build) SKIP_BUILD=1 ;;
    --jdk25) JDK25=$2; shift ;;
    --port) PORT=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0"; echo "usage: bench/startup.sh [--runs N] [--skip-build (the default jar)] [--jdk25 JAVA_HOME] [--port P]"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
  shift
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RUN_ID=$(date +%s)$RANDOM
OUT="$BENCH_DIR/out/startup-$STAMP"
mkdir -p "$OUT"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
DBS=()
cleanup() {
  local rc=$?
  stop_service
  for db in "${DBS[@]}"; do dropdb --if-exists "$db" >/dev/null 2>&1 || true; done
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need_tools
need_server
[ -x "$JDK25/bin/java" ] || log "no JDK 25 found (--jdk25 JAVA_HOME): only the Java 17 variant is measured"

APP="$ROOT_DIR/target/quarkus-app"
((SKIP_BUILD)) || build_service
[ -f "$APP/quarkus-run.jar" ] || die "no $APP/quarkus-run.jar (run without --skip-build)"
rm -rf "$OUT/fast-jar" && cp -r "$APP" "$OUT/fast-jar"
# package_aot_jar JAVA_HOME DIR: an aot-jar (libraries on the JVM's class path, which CDS and the AOT cache need)
package_aot_jar() {
  log "packaging an aot-jar with $("$1/bin/java" -version 2>&1 | head -1)"
  (cd "$ROOT_DIR" && JAVA_HOME="$1" ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.type=aot-jar) \
    || die "aot-jar build failed"
  rm -rf "$2" && cp -r "$APP" "$2"
}
# built every time: a CDS archive or AOT cache only fits the exact jar and JDK build it was recorded with
JDK17_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
package_aot_jar "$JDK17_HOME" "$OUT/cds-jar"
[ -x "$JDK25/bin/java" ] && package_aot_jar "$JDK25" "$OUT/aot-jar"
rm -rf "$APP" && cp -r "$OUT/fast-jar" "$APP"   # leave the default build in target/ for bench/run.sh
build_loadgen

fresh_db() { local db="wag_start_${RUN_ID}_$1"; createdb "$db"; DBS+=("$db"); echo "$db"; }

# train NAME JAVA JAR OPTS: the training run: start, a settings row, 3,000 signed deliveries, admin reads,
# SIGTERM (the JVM writes its CDS archive / AOT cache on exit)
train() {
  local name=$1 java=$2 jar=$3 opts=$4 db path
  log "training run: $name"
  db=$(fresh_db "train$name")
  SERVICE_JAR=$jar BENCH_JAVA=$java start_service "$db" "$PORT" "$PGPORT" "$OUT/train-$name.log" "$opts"
  add_settings "$PORT"
  java -jar "$LOADGEN_JAR" closed --url "http://127.0.0.1:$PORT/webhooks/whatsapp" --secret "$BENCH_SECRET" \
    --run-id "$RUN_ID" --phase "train$name" --concurrency 16 --count 3000 >/dev/null
  for path in /api/v1/settings /api/v1/sessions; do
    curl -s -o /dev/null -H "Authorization: Bearer $BENCH_ADMIN_KEY" "http://127.0.0.1:$PORT$path" || true
  done
  for path in /q/health/ready /q/metrics; do
    curl -s -o /dev/null "$(mgmt_url "$PORT" "$path")" || true
  done
  stop_service 180
}
# Java 17: a dynamic CDS archive (JEP 350) of every class the training run loaded
train jdk17-cds java "$OUT/cds-jar/quarkus-run.jar" "$JVM_OPTS -XX:ArchiveClassesAtExit=$OUT/cds-jar/app-cds.jsa"
[ -s "$OUT/cds-jar/app-cds.jsa" ] || die "the training run wrote no CDS archive (see $OUT/train-jdk17-cds.log)"
log "CDS archive: $(du -h "$OUT/cds-jar/app-cds.jsa" | cut -f1)"
if [ -d "$OUT/aot-jar" ]; then
  # Java 25: a Leyden AOT cache (JEP 483/514/515): classes loaded and linked, method profiles
  train jdk25-aot "$JDK25/bin/java" "$OUT/aot-jar/quarkus-run.jar" "$JVM_OPTS -XX:AOTCacheOutput=$OUT/aot-jar/app.aot"
  [ -s "$OUT/aot-jar/app.aot" ] || die "the training run wrote no AOT cache (see $OUT/train-jdk25-aot.log)"
  log "AOT cache: $(du -h "$OUT/aot-jar/app.aot" | cut -f1)"
fi

measure() { # NAME JAVA JAR OPTS
  local name=$1 java=$2 jar=$3 opts=$4 i db
  : >"$OUT/$name.txt"
  for i in $(seq 1 "$RUNS"); do
    db=$(fresh_db "$name$i")
    SERVICE_JAR=$jar BENCH_JAVA=$java start_service "$db" "$PORT" "$PGPORT" "$OUT/$name-$i.log" "$opts"
    echo "$START_MS $(grep -o 'started in [0-9.]*s' "$OUT/$name-$i.log" | head -1 | tr -dc '0-9.')" >>"$OUT/$name.txt"
    stop_service
    sleep 1
  done
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
measure jdk17-fast-jar java "$OUT/fast-jar/quarkus-run.jar" "$JVM_OPTS"
# -Xshare:on: fail instead of silently starting without the archive
measure jdk17-cds java "$OUT/cds-jar/quarkus-run.jar" "$JVM_OPTS -Xshare:on -XX:SharedArchiveFile=$OUT/cds-jar/app-cds.jsa"
# the same archive with the start-optimised options (C1 only: no C2 compiling on the same 2 cores during the start)
measure jdk17-cds-c1 java "$OUT/cds-jar/quarkus-run.jar" "$C1_JVM_OPTS -Xshare:on -XX:SharedArchiveFile=$OUT/cds-jar/app-cds.jsa"
if [ -x "$JDK25/bin/java" ]; then
  measure jdk25-fast-jar "$JDK25/bin/java" "$OUT/fast-jar/quarkus-run.jar" "$JVM_OPTS"
  measure jdk25-aot "$JDK25/bin/java" "$OUT/aot-jar/quarkus-run.jar" "$JVM_OPTS -XX:AOTCache=$OUT/aot-jar/app.aot"
  measure jdk25-aot-c1 "$JDK25/bin/java" "$OUT/aot-jar/quarkus-run.jar" "$C1_JVM_OPTS -XX:AOTCache=$OUT/aot-jar/app.aot"
fi

python3 - "$OUT" "$BENCH_DIR/results" "$STAMP" "$RUNS" "$JVM_OPTS" "$LOAD_BEFORE" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$(java -version 2>&1 | head -1)" "$( [ -x "$JDK25/bin/java" ] && "$JDK25/bin/java" -version 2>&1 | head -1)" \
  "$(git -C "$ROOT_DIR" rev-parse --short HEAD)" <<'PY'
import json, os, statistics, sys
out, results, stamp, runs, opts, lb, la, j17, j25, commit = sys.argv[1:]
variants = {}
for name in ("jdk17-fast-jar", "jdk17-cds", "jdk17-cds-c1", "jdk25-fast-jar", "jdk25-aot", "jdk25-aot-c1"):
    f = os.path.join(out, name + ".txt")
    if not os.path.exists(f):
        continue
    ms = [int(l.split()[0]) for l in open(f) if l.strip()]
    variants[name] = {"ready_ms": ms, "min": min(ms), "median": statistics.median(ms), "max": max(ms)}
r = {"date": stamp, "git_commit": commit, "host_cpus": os.cpu_count(), "runs": int(runs), "jvm_opts": opts,
     "java17": j17, "java25": j25, "load_before": lb, "load_after": la, "target_ms": 2000, "variants": variants}
print(f"\nstart time (process start -> first 200 on /q/health/ready, fresh database each), {runs} runs, "
      f"load average before {lb}")
for name, v in variants.items():
    print(f"  {name:16} min {v['min']:>5} ms  median {v['median']:>7} ms  max {v['max']:>5} ms   {v['ready_ms']}")
os.makedirs(results, exist_ok=True)
for path in (os.path.join(results, "startup-latest.json"), os.path.join(results, f"startup-{stamp}.json")):
    json.dump(r, open(path, "w"), indent=1)
PY
