#!/usr/bin/env python3
"""Markdown tables from a bench/results/*.json file (what README.md "## Benchmark" quotes)."""
import json
import sys

r = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "bench/results/latest.json"))
m, run = r["machine"], r["run"]
print(f"Run {run['date']} (commit {run['git_commit']}), {m['host_cpus']} CPUs ({m['cpu_model']}), {m['mem_gib']} GiB, "
      f"{m['java']}, PostgreSQL {m['postgres']}; load generator {run.get('loadgen') or 'java'}; JVM options `{run['jvm_opts'] or '(none)'}`, pool {run['pool_size']}; "
      f"load average before/after: {run['load_before']} / {run['load_after']}.")
print()
print("| concurrency | deliveries/s | p50 ms | p90 ms | p99 ms | max ms | errors | pgbench tps (clients) | service / pgbench | CPU µs per delivery: service / PostgreSQL / load generator | PostgreSQL CPU µs per pgbench tx |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for lv in r["levels"]:
    l = lv["latency_ms"]
    print(f"| {lv['concurrency']} | {lv['deliveries_per_s']:.0f} | {l['p50']:.1f} | {l['p90']:.1f} | {l['p99']:.1f} | {l['max']:.1f} | "
          f"{lv['errors']} | {lv['pgbench_tps']:.0f} ({lv['pgbench_clients']}) | {lv['ratio_vs_pgbench']:.2f} | "
          f"{lv['service_cpu_us_per_delivery']:.0f} / {lv['postgres_cpu_us_per_delivery']:.0f} / {lv['loadgen_cpu_us_per_delivery']:.0f} | "
          f"{lv['postgres_cpu_us_per_pgbench_tx']:.0f} |")
mix = r.get("mix")
if mix:
    l = mix["latency_ms"]
    print(f"| 32, mix 1 message : 3 statuses | {mix['throughput']:.0f} | {l['p50']:.1f} | {l['p90']:.1f} | {l['p99']:.1f} | {l['max']:.1f} | {mix['errors']} | | | | |")
h = r.get("half_rate")
if h:
    l = h["latency_ms"]
    print()
    print(f"Open loop at half the best rate ({h['target_rate']:.0f}/s, latency from the intended send time): achieved "
          f"{h['throughput']:.0f}/s, p50 {l['p50']:.1f} ms, p90 {l['p90']:.1f} ms, **p99 {l['p99']:.1f} ms**, max {l['max']:.1f} ms, "
          f"errors {h['errors']}" + (f"; answers over 25 ms: {h['answers_over_25ms']} of {h['requests']}, in "
          f"{h['seconds_with_answers_over_25ms']} of the run's {h['seconds_total']} seconds" if 'answers_over_25ms' in h else "") + ".")
rss = r["rss_mb"]
print(f"Start (process start → first 200 on `/q/health/ready`, fresh database, Flyway included): **{r['start_ms']} ms** "
      f"(Quarkus' own \"started in\": {r.get('quarkus_started_s')} s). "
      f"RSS: {rss['after_start']} MB after start, **{rss['after_run']} MB after the run** (peak {rss['peak']} MB).")
v = r.get("verify")
if v:
    print(f"Exactly once: {v['acked']} acknowledged wamids, lost **{v['lost']}**, duplicated **{v['duplicated']}**, stored "
          f"without a 200: {v['stored_not_acked']}; {v['statuses_acked']} acknowledged statuses on {v['status_messages']} "
          f"messages: behind {v['status_behind']}, left pending {v['status_pending_left']}.")
f = r.get("fault")
if f:
    print()
    for o in f["outages"]:
        w = o.get("outage_windows", [])
        print(f"Fault run ({o['name']}): {o['requests']} requests, {o['ok_200']} × 200, **{o['http_503']} × 503**, other "
              f"{o['other'] or 'none'}; outage windows {[(x['from_s'], x['to_s'], x['http_503']) for x in w]} "
              f"(start s, end s, 503s); all-200 again within {o['seconds_to_recovery_after_start']} s of each start; same process "
              f"throughout: {o['same_process_alive']}; readiness 200 again {o.get('readiness_200_again_after_s')} s after the "
              f"load ended; {o['acked_total']} acknowledged wamids: lost **{o['lost']}**, duplicated **{o['duplicated']}** "
              f"(stored without a 200, e.g. committed as the connection broke: {o['stored_not_acked']}; Meta's redelivery is then a duplicate).")
    b = f.get("bad")
    if b:
        print(f"Bad requests: valid throughput {b['baseline_throughput']:.0f}/s alone, {b['with_bad_throughput']:.0f}/s with the bad "
              f"load ({b['ratio']:.2f}×; p99 {b['baseline_latency_ms']['p99']:.1f} → {b['with_bad_latency_ms']['p99']:.1f} ms); "
              f"rows stored from bad requests: **{b['bad_stored']}**; outcomes: " +
              "; ".join(f"{k} {json.dumps(v2)}" for k, v2 in b["outcomes"].items()) + ".")
