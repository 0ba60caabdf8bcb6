#!/usr/bin/env python3
"""Summarise a bench/traffic.sh run: per concurrency level the messages-only rate, the real mix's delivery rate,
pgbench of the message statement and of the 1 : 3 mix of statements, their ratios and the CPU per delivery of the
service and of PostgreSQL; the open-loop mix; RSS; the verification. Prints a table; with --results DIR writes
DIR/traffic-<stamp>.json and DIR/traffic-latest.json."""
import glob
import json
import os
import re
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cpu(path, ok):
    """(service µs, PostgreSQL µs) per acknowledged delivery from a 'svc0 svc1 pg0 pg1' file."""
    if not os.path.exists(path) or not ok:
        return None, None
    s0, s1, p0, p1 = (float(x) for x in open(path).read().split())
    return round((s1 - s0) * 1e6 / ok), round((p1 - p0) * 1e6 / ok)


def pgbench(out, name, c):
    path = f"{out}/pgbench-{name}-c{c}.txt"
    if not os.path.exists(path):
        return None, None
    text = open(path).read()
    m = re.search(r"tps = ([0-9.]+)", text)
    tps = float(m.group(1)) if m else None
    txs = re.search(r"number of transactions actually processed: (\d+)", text)
    p0, p1 = (float(x) for x in open(f"{out}/pgbench-{name}-cpu-c{c}.txt").read().split())
    per = round((p1 - p0) * 1e6 / int(txs.group(1))) if txs and int(txs.group(1)) else None
    return tps, per


def main():
    out = sys.argv[1]
    results = sys.argv[sys.argv.index("--results") + 1] if "--results" in sys.argv else None
    meta = load(f"{out}/meta.json")
    levels = []
    for c in meta["levels"].split():
        m = load(f"{out}/messages-c{c}.json")
        x = load(f"{out}/mix-c{c}.json")
        st = load(f"{out}/statuses-c{c}.json")
        ss, sp = cpu(f"{out}/cpu-statuses-c{c}.txt", st["ok"])
        pm, pm_cpu = pgbench(out, "message", c)
        px, px_cpu = pgbench(out, "mix", c)
        ms, mp = cpu(f"{out}/cpu-messages-c{c}.txt", m["ok"])
        xs, xp = cpu(f"{out}/cpu-mix-c{c}.txt", x["ok"])
        levels.append({
            "concurrency": int(c),
            "messages_per_s": m["throughput"], "messages_p99_ms": m["latency_ms"]["p99"],
            "statuses_mix_per_s": st["throughput"], "statuses_mix_p99_ms": st["latency_ms"]["p99"],
            "statuses_mix_vs_messages": round(st["throughput"] / m["throughput"], 2) if m["throughput"] else None,
            "statuses_mix_vs_pgbench_mix": round(st["throughput"] / px, 2) if px else None,
            "mix_deliveries_per_s": x["throughput"], "mix_p99_ms": x["latency_ms"]["p99"],
            "mix_sends_per_s": x["sends"]["per_s"], "mix_codes": x["codes"], "mix_send_codes": x["sends"]["codes"],
            "early_statuses": x["early_statuses"], "failed_sends": x["failed_sends"],
            "pgbench_message_tps": pm, "pgbench_mix_tps": px,
            "mix_vs_messages": round(x["throughput"] / m["throughput"], 2) if m["throughput"] else None,
            "mix_vs_pgbench_mix": round(x["throughput"] / px, 2) if px else None,
            "cpu_us_per_delivery": {"messages": {"service": ms, "postgres": mp},
                                    "statuses_mix": {"service": ss, "postgres": sp},
                                    "mix": {"service": xs, "postgres": xp},
                                    "pgbench_message": {"postgres": pm_cpu}, "pgbench_mix": {"postgres": px_cpu}},
        })
    half = load(f"{out}/halfrate.json")
    shalf = load(f"{out}/statuses-halfrate.json")
    mhalf = load(f"{out}/messages-halfrate.json") if os.path.exists(f"{out}/messages-halfrate.json") else None
    verify = load(f"{out}/verify.json")
    summary = {"meta": meta, "levels": levels,
               "statuses_halfrate": {"target_per_s": shalf.get("target_rate"), "deliveries_per_s": shalf["throughput"],
                                     "p50_ms": shalf["latency_ms"]["p50"], "p99_ms": shalf["latency_ms"]["p99"],
                                     "max_ms": shalf["latency_ms"]["max"], "codes": shalf["codes"]},
               "messages_halfrate": None if mhalf is None else {
                   "target_per_s": mhalf.get("target_rate"), "deliveries_per_s": mhalf["throughput"],
                   "p50_ms": mhalf["latency_ms"]["p50"], "p99_ms": mhalf["latency_ms"]["p99"],
                   "max_ms": mhalf["latency_ms"]["max"], "codes": mhalf["codes"]},
               "halfrate": {"target_actions_per_s": half.get("target_rate"), "deliveries_per_s": half["throughput"],
                            "p50_ms": half["latency_ms"]["p50"], "p99_ms": half["latency_ms"]["p99"],
                            "max_ms": half["latency_ms"]["max"], "codes": half["codes"]},
               "rss_end_mib": round(meta["rss_end_kb"] / 1024), "rss_peak_mib": round(meta["rss_peak_kb"] / 1024),
               "verify": verify}
    print(f"traffic run {meta['stamp']} ({meta['label']})")
    print("statuses mix (1 new message : 3 statuses of stored ones) against messages only and pgbench:")
    print(f"{'c':>4} {'msgs/s':>8} {'stmix/s':>8} {'ratio':>6} {'pgb msg':>8} {'pgb mix':>8} {'/pgbmix':>8} "
          f"{'µs svc m/s':>11} {'µs pg m/s':>11} {'p99 st':>8}")
    for l in levels:
        cu = l["cpu_us_per_delivery"]
        print(f"{l['concurrency']:>4} {l['messages_per_s']:>8} {l['statuses_mix_per_s']:>8} "
              f"{l['statuses_mix_vs_messages']:>6} {l['pgbench_message_tps'] or 0:>8.0f} {l['pgbench_mix_tps'] or 0:>8.0f} "
              f"{l['statuses_mix_vs_pgbench_mix'] or 0:>8} "
              f"{str(cu['messages']['service']) + '/' + str(cu['statuses_mix']['service']):>11} "
              f"{str(cu['messages']['postgres']) + '/' + str(cu['statuses_mix']['postgres']):>11} "
              f"{l['statuses_mix_p99_ms']:>8.2f}")
    print("real traffic (inbound, reply sent through the admin API, its statuses):")
    print(f"{'c':>4} {'deliv/s':>8} {'sends/s':>8} {'vs msgs':>8} {'µs svc':>8} {'µs pg':>8} {'p99':>8}")
    for l in levels:
        cu = l["cpu_us_per_delivery"]["mix"]
        print(f"{l['concurrency']:>4} {l['mix_deliveries_per_s']:>8} {l['mix_sends_per_s']:>8} "
              f"{l['mix_vs_messages']:>8} {cu['service']:>8} {cu['postgres']:>8} {l['mix_p99_ms']:>8.2f}")
    sh = summary["statuses_halfrate"]
    print(f"open loop, statuses mix: {sh['deliveries_per_s']} deliveries/s, p50 {sh['p50_ms']:.2f} ms, "
          f"p99 {sh['p99_ms']:.2f} ms, codes {sh['codes']}")
    mh = summary["messages_halfrate"]
    if mh:
        print(f"open loop, messages only at the same rate (control): {mh['deliveries_per_s']} deliveries/s, "
              f"p50 {mh['p50_ms']:.2f} ms, p99 {mh['p99_ms']:.2f} ms, codes {mh['codes']}")
    h = summary["halfrate"]
    print(f"open loop, real traffic: {h['deliveries_per_s']} deliveries/s, p50 {h['p50_ms']:.2f} ms, p99 {h['p99_ms']:.2f} ms, "
          f"codes {h['codes']}")
    print(f"RSS after the run {summary['rss_end_mib']} MiB (peak {summary['rss_peak_mib']} MiB); verify {verify}")
    if results:
        os.makedirs(results, exist_ok=True)
        for name in (f"traffic-{meta['stamp']}.json", "traffic-latest.json"):
            with open(os.path.join(results, name), "w", encoding="utf-8") as f:
                json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
