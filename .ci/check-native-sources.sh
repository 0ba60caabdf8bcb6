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

# An unregistered candidate fails only if Jackson databind can reach it: it is used as a class literal (readValue(..,
# X.class)), in a TypeReference, in a REST resource's signatures, or as a field of a registered class. Classes built
# by hand (e.g. from a JsonNode tree, which needs no reflection) and static helpers pass, and say so.
classes=$(mktemp -d)
trap 'rm -f "$registered"; rm -rf "$classes"' EXIT
(cd "$classes" && unzip -q "$OLDPWD/$runner" 'io/wagateway/*')
mapfile -t all_classes < <(cd "$classes" && find io -name '*.class' | sed -e 's/\.class$//' -e 's#/#.#g' | sort)
javap -c -v -p -cp "$classes" "${all_classes[@]}" > "$classes/javap.txt" 2>/dev/null
verdicts=$(printf '%s\n' "${dtos[@]}" | python3 -c '
import re, sys
dtos = [l.strip() for l in sys.stdin if l.strip()]
registered = {}
for line in open(sys.argv[1]):
    name, kind = line.split()
    registered[name] = kind
blocks = {}
current = None
for line in open(sys.argv[2], errors="replace"):
    if line.startswith("Classfile "):
        current = []; name = None
        continue
    if current is None:
        continue
    m = re.match(r"\s*this_class: #\d+\s+// (\S+)", line)
    if m:
        blocks[m.group(1)] = current
    current.append(line)
texts = {n: "".join(b) for n, b in blocks.items()}
def refs(text, slash):
    return ("L%s;" % slash) in text or ("L%s<" % slash) in text
def reached(slash):
    why = []
    for owner, text in texts.items():
        if owner == slash or owner.startswith(slash + "$"):
            continue
        if re.search(r"ldc(?:_w)?\s+#\d+\s+// class %s\s*$" % re.escape(slash), text, re.M):
            why.append("class literal in " + owner)
        if "Lcom/fasterxml/jackson/core/type/TypeReference<" in text and refs(text, slash):
            why.append("TypeReference in " + owner)
        if "Ljakarta/ws/rs/Path;" in text and refs(text, slash):
            why.append("signature of REST resource " + owner)
        if registered.get(owner.replace("/", ".")) == "full" and owner.replace("/", ".") in dtos and refs(text, slash):
            why.append("field/signature of the registered DTO " + owner)
    return why
for cls in dtos:
    slash = cls.replace(".", "/")
    text = texts.get(slash, "")
    if registered.get(cls) == "full":
        print("ok", cls, "registered")
    elif registered.get(cls) == "name-only":
        print("FAIL", cls, "registered without constructors/methods: add @RegisterForReflection")
    else:
        why = reached(slash)
        if why:
            print("FAIL", cls, "reachable by Jackson (" + "; ".join(sorted(set(why))[:3]) + ") but not registered for reflection: add @RegisterForReflection")
        else:
            print("ok", cls, "not registered, and never handed to Jackson databind (built by hand)")
' "$registered" "$classes/javap.txt")
while read -r verdict cls reason; do
  if [ "$verdict" = FAIL ]; then
    err "$cls $reason"
  else
    echo "check-native-sources: $verdict $cls ($reason)"
  fi
done <<<"$verdicts"

# No runtime reflection, dynamic proxies or classpath scanning of our own in the main sources. java.lang.reflect.Type
# alone is allowed: JAX-RS SPIs (ParamConverterProvider) take it as a parameter, which reflects on nothing.
if grep -rnE 'Class\.forName|java\.lang\.reflect\.(Method|Field|Constructor|Proxy|InvocationHandler|AccessibleObject|Array)\b|Proxy\.newProxyInstance|getDeclared(Method|Field|Constructor)s?\(|setAccessible\(|\.newInstance\(|ServiceLoader|ClassLoader\.getSystemResources|getResources\(' \
     src/main/java; then
  err "runtime reflection / proxies / classpath scanning in src/main/java (lines above): not native-image friendly"
fi

if [ "$fail" != 0 ]; then
  exit 1
fi
echo "check-native-sources: native sources complete, all ${#dtos[@]} DTO/payload classes Jackson can reach are registered for reflection, no runtime reflection in src/main/java"
