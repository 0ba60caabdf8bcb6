#!/usr/bin/env python3
"""Summarise one bench/out/<stamp> directory: print a table, optionally write bench/results/{latest,<stamp>}.json."""
import glob
import json
import os
import re
import sys

TARGETS = {"ratio_vs_pgbench": 0.7, "halfrate_p99_ms": 25.0, "start_ms": 2000, "rss_mb": 250}


def load(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def pgbench_tps(path):
    with open(path) as f:
        text = f.read()
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", text)
    lat = re.search(r"latency average = ([0-9.]+) ms", text)
    clients = re.search(r"number of clients: (\d+)", text)
    return (float(m.group(1)) if m else None), (float(lat.group(1)) if lat else None), (int(clients.group(1)) if clients else None)


def main():
    out = sys.argv[1]
    results_dir = sys.argv[sys.argv.index("--results") + 1] if "--results" in sys.argv else None
    meta = load(os.path.join(out, "meta.json"), {})
    levels = []
    for f in sorted(glob.glob(os.path.join(out, "closed-c*.json")), key=lambda p: int(re.search(r"c(\d+)", p).group(1))):
        r = load(f)
        c = r["concurrency"]
        pg = os.path.join(out, f"pgbench-c{c}.txt")
        tps, pglat, pgc = pgbench_tps(pg) if os.path.exists(pg) else (None, None, None)
        r.pop("timeline", None)
        cpu = os.path.join(out, f"cpu-c{c}.txt")
        svc_cpu = None
        pg_cpu = pgb_cpu = None
        if os.path.exists(cpu):
            v = list(map(float, open(cpu).read().split()))
            svc_cpu = round(v[1] - v[0], 2)
            if len(v) >= 4 and v[3] > 0:
                pg_cpu = round(v[3] - v[2], 2)
        pgcpu = os.path.join(out, f"pgbench-cpu-c{c}.txt")
        if os.path.exists(pgcpu):
            v = list(map(float, open(pgcpu).read().split()))
            if v[1] > 0:
                pgb_cpu = round(v[1] - v[0], 2)
        pgb_tx = None
        if os.path.exists(pg):
            mt = re.search(r"number of transactions actually processed: (\d+)", open(pg).read())
            pgb_tx = int(mt.group(1)) if mt else None
        levels.append({"concurrency": c, "deliveries_per_s": r["throughput"], "requests": r["requests"], "ok": r["ok"],
                       "errors": r["errors"], "codes": r["codes"], "latency_ms": r["latency_ms"],
                       "pgbench_tps": tps, "pgbench_clients": pgc, "pgbench_latency_avg_ms": pglat,
                       "ratio_vs_pgbench": round(r["throughput"] / tps, 3) if tps else None,
                       "seconds": r["seconds"], "service_cpu_s": svc_cpu, "loadgen_cpu_s": r.get("loadgen_cpu_s"),
                       "service_cpu_us_per_delivery": round(svc_cpu * 1e6 / r["ok"], 1) if svc_cpu and r["ok"] else None,
                       "postgres_cpu_us_per_delivery": round(pg_cpu * 1e6 / r["ok"], 1) if pg_cpu and r["ok"] else None,
                       "loadgen_cpu_us_per_delivery": round(r["loadgen_cpu_s"] * 1e6 / r["ok"], 1) if r.get("loadgen_cpu_s") and r["ok"] else None,
                       "postgres_cpu_us_per_pgbench_tx": round(pgb_cpu * 1e6 / pgb_tx, 1) if pgb_cpu and pgb_tx else None})
    mix = load(os.path.join(out, "mix.json"))
    half = load(os.path.join(out, "halfrate.json"))
    verify = load(os.path.join(out, "verify.json"))
    fault = load(os.path.join(out, "fault.json"))
    if half and "over_25ms_per_s" in half:
        # where the open loop's slow answers were: seconds with any answer over 25 ms
        slow = half.get("over_25ms_per_s", [])
        half["seconds_with_answers_over_25ms"] = sum(1 for v in slow if v)
        half["seconds_total"] = len(slow)
        half["answers_over_25ms"] = sum(slow)
    for x in (mix, half):
        if x:
            x.pop("timeline", None)
    summary = {
        "machine": {k: meta.get(k) for k in ("host_cpus", "mem_gib", "cpu_model", "java", "postgres")},
        "run": {k: meta.get(k) for k in ("date", "git_commit", "jvm_opts", "pool_size", "loadgen", "seconds_per_level", "count", "warmup", "mix",
                                          "rate_seconds", "pgbench_seconds", "load_before", "load_after", "quick")},
        "start_ms": meta.get("start_ms"),
        "quarkus_started_s": meta.get("quarkus_started_s"),
        "rss_mb": {"after_start": round(meta.get("rss_start_kb", 0) / 1024, 1),
                   "after_run": round(meta.get("rss_end_kb", 0) / 1024, 1),
                   "peak": round(meta.get("rss_peak_kb", 0) / 1024, 1)},
        "levels": levels,
        "mix": mix,
        "half_rate": half,
        "verify": verify,
        "service_error_log_lines": meta.get("service_error_log_lines"),
        "fault": fault,
        "targets": TARGETS,
    }

    p = print
    p("")
    p(f"whatsapp-gateway webhook benchmark  {meta.get('date')}  commit {meta.get('git_commit')}  "
      f"{meta.get('host_cpus')} CPUs  {meta.get('cpu_model')}")
    p(f"JVM opts: '{meta.get('jvm_opts')}'  pool: {meta.get('pool_size')}  load avg before/after: "
      f"{meta.get('load_before')} / {meta.get('load_after')}")
    p("")
    p(f"{'conc':>5} {'deliv/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7} "
      f"{'pgbench tps':>12} {'pgb cl':>6} {'ratio':>6} {'svc cpu us/dl':>13}")
    for lv in levels:
        l = lv["latency_ms"]
        p(f"{lv['concurrency']:>5} {lv['deliveries_per_s']:>9.1f} {l['p50']:>8.2f} {l['p90']:>8.2f} {l['p99']:>8.2f} "
          f"{l['max']:>8.2f} {lv['errors']:>7} {lv['pgbench_tps'] or 0:>12.1f} {lv['pgbench_clients'] or 0:>6} {lv['ratio_vs_pgbench'] or 0:>6.2f} {lv['service_cpu_us_per_delivery'] or 0:>13}")
    p("CPU per delivery (µs): " + ", ".join(
        f"c={lv['concurrency']}: service {lv['service_cpu_us_per_delivery']}, postgres {lv['postgres_cpu_us_per_delivery']}, "
        f"loadgen {lv['loadgen_cpu_us_per_delivery']}; postgres per pgbench tx {lv['postgres_cpu_us_per_pgbench_tx']}"
        for lv in levels))
    if mix:
        l = mix["latency_ms"]
        p(f"{'mix32':>5} {mix['throughput']:>9.1f} {l['p50']:>8.2f} {l['p90']:>8.2f} {l['p99']:>8.2f} {l['max']:>8.2f} "
          f"{mix['errors']:>7}   (1 message : 3 statuses, deliveries/s)")
    if half:
        l = half["latency_ms"]
        p(f"open loop at {half['target_rate']}/s (half the max): achieved {half['throughput']}/s, p50 {l['p50']:.2f} ms, "
          f"p90 {l['p90']:.2f} ms, p99 {l['p99']:.2f} ms, max {l['max']:.2f} ms, errors {half['errors']} "
          f"(latency from intended send time); answers over 25 ms: {half.get('answers_over_25ms')} in "
          f"{half.get('seconds_with_answers_over_25ms')} of {half.get('seconds_total')} seconds")
    rss = summary["rss_mb"]
    p(f"start (process start -> first 200 on /q/health/ready): {meta.get('start_ms')} ms;  RSS after start "
      f"{rss['after_start']} MB, after run {rss['after_run']} MB, peak {rss['peak']} MB")
    if verify:
        p(f"exactly once: acked {verify['acked']}, lost {verify['lost']}, duplicated {verify['duplicated']}, "
          f"stored but not acked {verify['stored_not_acked']}; statuses acked {verify['statuses_acked']}, "
          f"behind {verify['status_behind']}, pending left {verify['status_pending_left']}")
    if fault:
        for o in fault.get("outages", []):
            p(f"fault ({o['name']}): {o['summary']}")
        if fault.get("bad"):
            b = fault["bad"]
            p(f"bad requests: valid throughput alone {b['baseline_throughput']}/s, with bad load {b['with_bad_throughput']}/s "
              f"({b['ratio']:.2f}x); bad stored: {b['bad_stored']}; outcomes {json.dumps(b['outcomes'])}")
    p("")
    if results_dir:
        os.makedirs(results_dir, exist_ok=True)
        stamp = meta.get("stamp", "unknown")
        for name in ("latest.json", f"{stamp}.json"):
            with open(os.path.join(results_dir, name), "w") as f:
                json.dump(summary, f, indent=2)
                f.write("\n")
        p(f"wrote {results_dir}/latest.json and {stamp}.json")
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
