#!/usr/bin/env python3
"""Summarise one bench/out/events-<stamp> directory of bench/events.sh: print the figures and the checks, write
events.json there and, with --results FILE, a copy to FILE."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import load  # noqa: E402  (one JSON loader for both reports)


def lines(path):
    try:
        with open(path) as f:
            return [l.rstrip("\n") for l in f if l.strip()]
    except FileNotFoundError:
        return []


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))]


def main():
    out = sys.argv[1]
    meta = load(os.path.join(out, "meta.json"), {})
    # --- a. A/B ---
    rows = [json.loads(l) for l in lines(os.path.join(out, "ab.jsonl"))]
    ab = []
    for r in rows:
        w = load(os.path.join(out, r["file"]))
        ok = w["ok"]
        svc = r["svc_cpu_s"]; pg = r["pg_cpu_s"]; ev = r["events_accepted"]
        ab.append({"c": r["c"], "state": r["state"], "round": r["round"], "deliveries_per_s": w["throughput"],
                   "ok": ok, "p50_ms": w["latency_ms"]["p50"], "p99_ms": w["latency_ms"]["p99"],
                   # CPU of the phase and of draining its backlog, per acknowledged delivery
                   "svc_cpu_us_per_delivery": round((svc[2] - svc[0]) * 1e6 / ok, 1) if ok else None,
                   "pg_cpu_us_per_delivery": round((pg[2] - pg[0]) * 1e6 / ok, 1) if ok else None,
                   # the subscriber (the bench's receiver) shares the two cores: its CPU is part of the price here
                   "receiver_cpu_us_per_delivery": (round((r["receiver_cpu_s"][1] - r["receiver_cpu_s"][0]) * 1e6 / ok, 1)
                                                    if ok and "receiver_cpu_s" in r else None),
                   "loadgen_cpu_us_per_delivery": (round(w["loadgen_cpu_s"] * 1e6 / ok, 1)
                                                   if ok and w.get("loadgen_cpu_s") is not None else None),
                   "events_sent_per_s": round((ev[1] - ev[0]) / w["seconds"], 1),
                   "events_total": ev[2] - ev[0], "backlog_at_end": r["backlog_at_end"], "drain_s": r["drain_s"],
                   "load": r.get("load")})
    summary_ab = {}
    for c in sorted({a["c"] for a in ab}, reverse=True):
        def mean(state, key):
            v = [a[key] for a in ab if a["c"] == c and a["state"] == state and a[key] is not None]
            return round(sum(v) / len(v), 1) if v else None
        off, on = mean("off", "deliveries_per_s"), mean("on", "deliveries_per_s")
        summary_ab[str(c)] = {"off_per_s": off, "on_per_s": on, "ratio": round(on / off, 3) if off else None,
                              "svc_cpu_us_off": mean("off", "svc_cpu_us_per_delivery"),
                              "svc_cpu_us_on": mean("on", "svc_cpu_us_per_delivery"),
                              "pg_cpu_us_off": mean("off", "pg_cpu_us_per_delivery"),
                              "pg_cpu_us_on": mean("on", "pg_cpu_us_per_delivery"),
                              "receiver_cpu_us_on": mean("on", "receiver_cpu_us_per_delivery"),
                              "loadgen_cpu_us_off": mean("off", "loadgen_cpu_us_per_delivery"),
                              "loadgen_cpu_us_on": mean("on", "loadgen_cpu_us_per_delivery"),
                              "events_sent_per_s_on": mean("on", "events_sent_per_s"),
                              "backlog_at_end_on": mean("on", "backlog_at_end"), "drain_s_on": mean("on", "drain_s")}

    # --- the receiver's records at /check: path, id, type, subject, messageId, arrival us, duplicate ---
    first_arrival = {}   # wamid -> first arrival us (message.received at /check)
    received_count = {}  # wamid -> accepted arrivals of its message.received event
    for l in lines(os.path.join(out, "received.tsv")):
        path, eid, typ, subject, mid, at, dup = l.split("\t")
        if path != "/check" or typ != "whatsapp.message.received":
            continue
        received_count[mid] = received_count.get(mid, 0) + 1
        if mid not in first_arrival:
            first_arrival[mid] = int(at)

    def check(name):
        acked = set(lines(os.path.join(out, f"acked-{name}.txt")))
        missing = sum(1 for w in acked if w not in received_count)
        dups = sum(received_count[w] - 1 for w in acked if received_count.get(w, 0) > 1)
        return {"acked": len(acked), "missing": missing, "duplicates": dups}

    # --- b. latency: 200 seen by the load generator -> event at the receiver ---
    lat = []
    for l in lines(os.path.join(out, "acked-times.txt")):
        w, t = l.split("\t")
        if w in first_arrival:
            lat.append((first_arrival[w] - int(t)) / 1000.0)
    lg = load(os.path.join(out, "latency.json"), {})
    latency = {"rate": meta.get("half_rate"), "acked_measured": len(lines(os.path.join(out, "acked-times.txt"))),
               "webhook_p50_ms": lg.get("latency_ms", {}).get("p50"), "webhook_p99_ms": lg.get("latency_ms", {}).get("p99"),
               **{f"event_{k}_ms": (round(pct(lat, p), 2) if lat else None)
                  for k, p in (("p50", 50), ("p90", 90), ("p99", 99), ("max", 100))},
               "event_min_ms": round(min(lat), 2) if lat else None,
               "drain_s": load(os.path.join(out, "latency-drain.json"), {}).get("drain_s"), **check("lat")}
    down = {**load(os.path.join(out, "down-drain.json"), {}), **check("down")}
    dw = load(os.path.join(out, "down.json"), {})
    down["webhook_ok_per_s"] = dw.get("throughput")
    kill = {**load(os.path.join(out, "kill-drain.json"), {}), **check("kill")}
    stats = load(os.path.join(out, "receiver-stats.json"), {}).get("paths", {})
    res = {"meta": meta, "ab_runs": ab, "ab": summary_ab, "latency": latency, "subscriber_down": down, "sigkill": kill,
           "receiver": stats, "db_events": load(os.path.join(out, "verify-events.json"), {}),
           "db_messages": load(os.path.join(out, "verify.json"), {})}
    with open(os.path.join(out, "events.json"), "w") as f:
        json.dump(res, f, indent=1)
    if "--results" in sys.argv:
        with open(sys.argv[sys.argv.index("--results") + 1], "w") as f:
            json.dump(res, f, indent=1)

    print(f"\nEvent feed ({meta.get('date')}, commit {meta.get('git_commit')}, load {meta.get('load_before')} -> {meta.get('load_after')})")
    print("c    without/s  with/s  ratio  svc µs/deliv off->on  PG µs/deliv off->on  receiver µs  wrk µs off->on  events/s  backlog  drain s")
    for c, s in summary_ab.items():
        print(f"{c:<4} {s['off_per_s']:>9} {s['on_per_s']:>7} {s['ratio']:>6}  {s['svc_cpu_us_off']:>8} -> {s['svc_cpu_us_on']:<8}"
              f"  {s['pg_cpu_us_off']:>7} -> {s['pg_cpu_us_on']:<8}  {s['receiver_cpu_us_on']!s:>11}"
              f"  {s['loadgen_cpu_us_off']!s:>6} -> {s['loadgen_cpu_us_on']!s:<6}"
              f"  {s['events_sent_per_s_on']:>8} {s['backlog_at_end_on']:>8} {s['drain_s_on']:>7}")
    print(f"latency at {latency['rate']}/s: 200 -> event p50 {latency['event_p50_ms']} ms, p90 {latency['event_p90_ms']}, "
          f"p99 {latency['event_p99_ms']}, max {latency['event_max_ms']} (min {latency['event_min_ms']}); "
          f"acked {latency['acked']}, missing {latency['missing']}, duplicates {latency['duplicates']}")
    print(f"subscriber down {down.get('down_s')} s at {down.get('rate')}/s: backlog {down.get('backlog_when_up')} when up, "
          f"drained {down.get('drain_after_up_s')} s later; acked {down['acked']}, missing {down['missing']}, duplicates {down['duplicates']}")
    print(f"SIGKILL: backlog {kill.get('backlog_at_kill')} ({kill.get('claimed_at_kill')} claimed), restart {kill.get('restart_ms')} ms, "
          f"drained {kill.get('drain_after_ready_s')} s after ready (lease {kill.get('lease')}); acked {kill['acked']}, "
          f"missing {kill['missing']}, duplicates {kill['duplicates']}")
    for p, s in stats.items():
        print(f"receiver {p}: accepted {s['accepted']} ({s['distinct']} distinct), duplicates {s['duplicates']}, "
              f"order violations {s['order_violations']}, bad signatures {s['bad_signature']}, 503s {s['rejected_503']}")
    print("database:", json.dumps(res["db_events"]))
    print("messages:", json.dumps({k: res["db_messages"].get(k) for k in ("acked", "lost", "duplicated")}))


if __name__ == "__main__":
    main()
