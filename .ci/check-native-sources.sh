#!/usr/bin/env bash
# Native readiness without GraalVM: after `./mvnw package -DskipTests -Dnative -Dquarkus.native.sources-only=true`
# (target/native-sources/), check that
#  1. native-image.args and the runner jar exist (the input `native-image` would get);
#  2. the reflection configuration Quarkus generated registers every Jackson payload/DTO class we (de)serialise:
#     every class under io/wagateway/**/dto/ and io/wagateway/**/payload/, plus common/Problem* and common/PageResponse
#     (add @RegisterForReflection to a class Quarkus does not register by itself, e.g. one only read by
#     ObjectMapper.readValue or only nested in a generic type);
#  3. our main sources use no runtime reflection, dynamic proxies or classpath scanning.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
err() { echo "check-native-sources: FAIL: $*" >&2; fail=1; }

dir=target/native-sources
args="$dir/native-image.args"
[ -s "$args" ] || { err "$args missing (run the native-sources build first)"; exit 1; }
runner=$(ls "$dir"/*-runner.jar 2>/dev/null | head -n1 || true)
[ -n "$runner" ] || { err "no runner jar in $dir"; exit 1; }
grep -q -- "--no-fallback" "$args" || err "$args lacks --no-fallback"
grep -q -- "$(basename "$runner")" "$args" || err "$args does not name $(basename "$runner")"

# Every reflection registration in the runner jar: reflect-config.json (older) or reachability-metadata.json (newer).
registered=$(mktemp)
found_config=0
for entry in $(unzip -Z1 "$runner" | grep -E '^META-INF/native-image/.*(reflect-config|reachability-metadata)\.json$'); do
  found_config=1
  unzip -p "$runner" "$entry" | python3 -c '
import json, sys
data = json.load(sys.stdin)
entries = data if isinstance(data, list) else data.get("reflection", []) + data.get("reflect", [])
for e in entries:
    name = e.get("name") or e.get("type")
    if isinstance(name, dict):
        continue
    # a (de)serialised class needs its constructors and accessors/fields, not just its name
    full = (e.get("allDeclaredConstructors") or e.get("allPublicConstructors") or e.get("methods")) and \
           (e.get("allDeclaredMethods") or e.get("allPublicMethods") or e.get("methods") or e.get("allDeclaredFields") or e.get("fields"))
    print(("%s %s") % (name, "full" if full else "name-only"))
' >> "$registered"
done
[ "$found_config" = 1 ] || err "no reflect-config.json / reachability-metadata.json in $runner"

# The classes we (de)serialise, taken from the compiled application in the runner jar (covers packages added later).
mapfile -t dtos < <(unzip -Z1 "$runner" | grep -E '^io/wagateway/.*\.class$' \
  | grep -E '^io/wagateway/(.*/)?(dto|payload)/|^io/wagateway/common/(Problem|PageResponse)[$.]' \
  | grep -vE '^io/wagateway/common/ProblemMapper|^io/wagateway/common/ProblemException' \
  | grep -vE '\$\$|_Bean|_ClientProxy|_Subclass' \
  | sed -e 's/\.class$//' -e 's#/#.#g' | sort -u)
[ "${#dtos[@]}" -gt 0 ] || err "found no DTO/payload class in $runner"

# Classes with no instance field (static helpers such as a tree-walking parser) carry no data for Jackson: skip them.
classes=$(mktemp -d)
trap 'rm -f "$registered"; rm -rf "$classes"' EXIT
(cd "$classes" && unzip -q "$OLDPWD/$runner" 'io/wagateway/*')
mapfile -t stateless < <(javap -p -cp "$classes" "${dtos[@]}" | python3 -c '
import re, sys
current, has_state = None, {}
for line in sys.stdin:
    m = re.match(r"^(?:public |final |abstract |sealed |non-sealed |static )*(?:class|record|interface|enum) ([\w.$]+)", line.strip())
    if m and not line.startswith(" "):
        current = m.group(1); has_state[current] = False; continue
    if current and line.startswith("  ") and line.rstrip().endswith(";") and "(" not in line and " static " not in " " + line.strip() + " ":
        has_state[current] = True
for cls, state in has_state.items():
    if not state:
        print(cls)
')
for cls in "${dtos[@]}"; do
  if printf '%s\n' "${stateless[@]}" | grep -qxF "$cls"; then
    echo "check-native-sources: skip $cls (no instance fields: not a data class)"
    continue
  fi
  if grep -qxF "$cls full" "$registered"; then
    echo "check-native-sources: ok   $cls"
  elif grep -qxF "$cls name-only" "$registered"; then
    err "$cls is registered for reflection without constructors/methods: add @RegisterForReflection"
  else
    err "$cls is not registered for reflection: Jackson cannot (de)serialise it in a native image; add @RegisterForReflection"
  fi
done

# No runtime reflection, dynamic proxies or classpath scanning of our own in the main sources.
if grep -rnE 'Class\.forName|java\.lang\.reflect|Proxy\.newProxyInstance|getDeclared(Method|Field|Constructor)s?\(|setAccessible\(|\.newInstance\(|ServiceLoader|ClassLoader\.getSystemResources|getResources\(' \
     src/main/java; then
  err "runtime reflection / proxies / classpath scanning in src/main/java (lines above): not native-image friendly"
fi

if [ "$fail" != 0 ]; then
  exit 1
fi
echo "check-native-sources: native sources complete, ${#dtos[@]} DTO/payload classes registered for reflection, no runtime reflection in src/main/java"
