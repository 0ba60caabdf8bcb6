#!/usr/bin/env bash
# Prints the X-Hub-Signature-256 header value Meta would send for FILE (its exact bytes), signed with the
# app secret of dev mode, or with APP_SECRET when set.
#   curl ... -H "X-Hub-Signature-256: $(examples/sign.sh FILE)" --data-binary @FILE
set -euo pipefail
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: $0 FILE" >&2; exit 2; }
secret=${APP_SECRET:-dev-insecure-app-secret-0123456789abcdef}
printf 'sha256=%s\n' "$(openssl dgst -sha256 -hmac "$secret" < "$1" | sed 's/^.* //')"
