#!/usr/bin/env python3
"""Hotspots from a JFR recording: top methods by self samples (top frame) and by inclusive samples
(anywhere in the sampled stack, first 64 frames). Usage: jfr-top.py service.jfr [N]"""
import collections
import re
import subprocess
import sys

jfr, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25
text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", jfr],
                      capture_output=True, text=True, check=True).stdout
self_c, incl_c, total = collections.Counter(), collections.Counter(), 0
for block in text.split("jdk.ExecutionSample")[1:]:
    m = re.search(r"stackTrace = \[(.*?)\n\s*\]", block, re.S)
    if not m:
        continue
    frames = [re.sub(r"\s+line:.*$", "", l.strip()) for l in m.group(1).strip().splitlines() if l.strip() and l.strip() != "..."]
    if not frames:
        continue
    total += 1
    self_c[frames[0]] += 1
    for f in set(frames):
        incl_c[f] += 1
print(f"{total} samples")
print("-- self (top frame)")
for f, c in self_c.most_common(n):
    print(f"{100 * c / total:6.1f}%  {f}")
print("-- inclusive, io.wagateway / jackson / flyway / hibernate / logging / netty write+read")
shown = 0
for f, c in incl_c.most_common():
    if re.search(r"io\.wagateway|jackson|hibernate|jboss\.logging|logmanager|Mac\.|MessageDigest|pgclient|resteasy", f):
        print(f"{100 * c / total:6.1f}%  {f}")
        shown += 1
        if shown >= n:
            break
