#!/usr/bin/env bash
# Prints FILE with every Meta "timestamp" set to now, so that an example inbound message opens the 24-hour
# customer service window and is not refused as stale. The wamids stay: the same message posted again is a
# duplicate.
#   examples/fresh.sh examples/text-message.json > target/text-message.json
set -euo pipefail
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: $0 FILE" >&2; exit 2; }
sed -E "s/\"timestamp\": *\"[0-9]+\"/\"timestamp\":\"$(date +%s)\"/g" "$1"
