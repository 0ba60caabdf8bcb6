#!/usr/bin/env bash
# Every file that a src/main/docker/Dockerfile.* COPYs must get through .dockerignore (else `docker build` fails or
# ships a stale file), and the context must stay small (sources, .git, target/classes... stay out).
# Implements Docker's .dockerignore rules: Go filepath.Match globs (`*` stops at `/`, `**` crosses it), a pattern
# also excludes everything below a matching directory, `!` re-includes, and the last matching pattern wins.
# Uses the real files when they exist (target/quarkus-app after `package`) and example paths otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import glob, os, re, sys

def to_regex(pattern):
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            out += ".*"; i += 2
            if pattern.startswith("/", i):
                out += "/?"; i += 1   # "**/x" also matches "x"
            continue
        out += {"*": "[^/]*", "?": "[^/]"}.get(c, re.escape(c)); i += 1
    return re.compile(out + r"\Z")

rules = []
for line in open(".dockerignore"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    negate = line.startswith("!")
    pattern = os.path.normpath(line[1:].strip() if negate else line).lstrip("/")
    rules.append((negate, to_regex(pattern)))

def included(path):
    parts = path.split("/")
    candidates = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    excluded = False
    for negate, rx in rules:
        if any(rx.match(c) for c in candidates):
            excluded = not negate
    return not excluded

failures, checked = [], 0
dockerfiles = sorted(glob.glob("src/main/docker/Dockerfile.*"))
if not dockerfiles:
    failures.append("no src/main/docker/Dockerfile.*")
for df in dockerfiles:
    text = re.sub(r"\\\n", " ", open(df).read())
    for line in text.splitlines():
        tokens = line.split()
        if not tokens or tokens[0].upper() not in ("COPY", "ADD"):
            continue
        args = [t for t in tokens[1:] if not t.startswith("--")]
        if any(t.startswith("--from") for t in tokens[1:]):
            continue  # copies from another build stage, not from the context
        for src in args[:-1]:
            files = [f for f in glob.glob(src, recursive=True)]
            expanded = []
            for f in files:
                if os.path.isdir(f):
                    expanded += [os.path.join(r, n) for r, _, ns in os.walk(f) for n in ns]
                else:
                    expanded.append(f)
            if not expanded:  # not built here (e.g. the native runner): check a typical path instead
                example = src.replace("*", "whatsapp-gateway-1.0.0-SNAPSHOT")
                expanded = [example.rstrip("/") + "/x.jar" if src.endswith("/") else example]
            for f in expanded:
                checked += 1
                if not included(os.path.normpath(f)):
                    failures.append(f"{df}: COPY {src}: {f} is excluded by .dockerignore")

# The context stays small: nothing else of the project goes in.
for f in ["pom.xml", "src/main/java/io/wagateway/App.java", ".git/config", "target/classes/application.properties",
          "target/whatsapp-gateway-1.0.0-SNAPSHOT.jar", "target/native-sources/native-image.args", "README.md",
          "target/surefire-reports/x.txt"]:
    if included(f):
        failures.append(f".dockerignore lets {f} into the build context")

for f in failures:
    print("check-dockerignore: FAIL:", f, file=sys.stderr)
if failures:
    sys.exit(1)
print(f"check-dockerignore: {len(dockerfiles)} Dockerfiles, {checked} copied files all pass .dockerignore; the rest stays out")
PY
