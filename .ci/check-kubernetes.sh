#!/usr/bin/env bash
# The Kubernetes manifest that `package` generates (target/kubernetes/kubernetes.yml) carries what a production
# rollout relies on: Deployment + Service, the three probes on /q/health/* of the management port, Prometheus scrape
# annotations on the same port, a Service that exposes the service port and not the management port, resource
# requests/limits, runAsNonRoot, env from the whatsapp-gateway Secret and ConfigMap, a grace period that covers
# quarkus.shutdown.timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
manifest=target/kubernetes/kubernetes.yml
[ -s "$manifest" ] || { echo "check-kubernetes: FAIL: $manifest missing (run ./mvnw package first)" >&2; exit 1; }
python3 - "$manifest" <<'PY'
import sys, yaml

docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = {d["kind"]: d for d in docs}
failures = []
def check(cond, what):
    if not cond:
        failures.append(what)

# quarkus.management.port: health and metrics answer there only (never on the service port 8080)
MANAGEMENT_PORT = 9000

check("Deployment" in kinds, "a Deployment")
check("Service" in kinds, "a Service")
if "Deployment" in kinds:
    pod = kinds["Deployment"]["spec"]["template"]["spec"]
    containers = [c for c in pod["containers"] if c["name"] == "whatsapp-gateway"]
    check(len(containers) == 1, "container whatsapp-gateway")
    c = containers[0] if containers else {}
    for probe, path in (("livenessProbe", "/q/health/live"), ("readinessProbe", "/q/health/ready"),
                        ("startupProbe", "/q/health/started")):
        got = c.get(probe, {}).get("httpGet", {})
        check(got.get("path") == path, f"{probe} httpGet {path} (got {got.get('path')})")
        check(got.get("port") in (MANAGEMENT_PORT, "management"),
              f"{probe} on the management port (got {got.get('port')})")
    res = c.get("resources", {})
    check(res.get("requests", {}).get("cpu") and res.get("requests", {}).get("memory"), "resources.requests cpu+memory")
    check(res.get("limits", {}).get("memory"), "resources.limits.memory")
    check(pod.get("securityContext", {}).get("runAsNonRoot") is True
          or c.get("securityContext", {}).get("runAsNonRoot") is True, "securityContext.runAsNonRoot: true")
    env_from = c.get("envFrom", [])
    check({"secretRef": {"name": "whatsapp-gateway"}} in env_from, "envFrom secretRef whatsapp-gateway")
    check({"configMapRef": {"name": "whatsapp-gateway"}} in env_from, "envFrom configMapRef whatsapp-gateway")
    check(pod.get("terminationGracePeriodSeconds", 30) >= 30, "terminationGracePeriodSeconds >= 30")
    check(not any(e.get("name") == "QUARKUS_FLYWAY_ACTIVE" and e.get("value") == "false" for e in c.get("env", [])),
          "Flyway left active in the pods (they migrate at startup)")
    check(any(p.get("containerPort") == 8080 for p in c.get("ports", [])), "containerPort 8080")
    check(any(p.get("containerPort") == MANAGEMENT_PORT and p.get("name") == "management" for p in c.get("ports", [])),
          f"containerPort {MANAGEMENT_PORT} named management")
    for meta in (kinds["Deployment"]["metadata"], kinds["Deployment"]["spec"]["template"]["metadata"]):
        ann = meta.get("annotations", {})
        check(ann.get("prometheus.io/scrape") == "true" and ann.get("prometheus.io/path") == "/q/metrics"
              and ann.get("prometheus.io/port") == str(MANAGEMENT_PORT),
              f"Prometheus scrape annotations on {MANAGEMENT_PORT}/q/metrics (got {ann})")
    check(c.get("image", "").endswith(":" + c.get("image", "").split(":")[-1]) and "/" in c.get("image", ""),
          "an image with registry/group and tag")
if "Service" in kinds:
    ports = kinds["Service"]["spec"]["ports"]
    check(any(p.get("targetPort") in (8080, "http") for p in ports), "Service targets port 8080")
    check(not any(p.get("targetPort") in (MANAGEMENT_PORT, "management") or p.get("port") == MANAGEMENT_PORT
                  for p in ports), f"a Service without the management port {MANAGEMENT_PORT} (got {ports})")

if failures:
    for f in failures:
        print("check-kubernetes: FAIL: missing", f, file=sys.stderr)
    sys.exit(1)
print("check-kubernetes: %s has %s; probes and scrape annotations on the management port (not in the Service), "
      "resources, runAsNonRoot, Secret/ConfigMap env all present"
      % (sys.argv[1], ", ".join(sorted(kinds))))
PY
