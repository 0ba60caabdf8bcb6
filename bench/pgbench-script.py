#!/usr/bin/env python3
"""Turn the service's per-message SQL (db/conversation/inbound-message.sql, positional $1..$13) into a pgbench
custom script, so pgbench runs exactly the statement the service runs for one inbound text message.

Each $n becomes a pgbench expression with a realistic value (1,000 senders, unique wamids, the raw message
JSON for metadata). Run it with `pgbench -M prepared` (the service uses cached prepared statements too)."""
import re
import sys

PARAMS = {
    1: "CAST(:wa AS text)",                                                     # wa_id
    2: "('Bench Sender ' || CAST(:s AS text))",                                 # display_name
    3: "CAST(:wa AS text)",                                                     # phone_number (sender)
    4: "CAST(:pnid AS text)",                                                   # phone_number_id
    5: "to_timestamp(:ts)",                                                     # message timestamp
    6: "('wamid.PGB.' || CAST(:client_id AS text) || '.' || CAST(:m AS text))", # wamid, unique
    7: "('Hi! Is my order #' || CAST(:m AS text) || ' on its way?')",           # content
    8: "'text'",                                                                # message_type
    9: ("format('{\"from\":\"%s\",\"id\":\"wamid.PGB.%s.%s\",\"timestamp\":\"%s\",\"type\":\"text\","
        "\"text\":{\"body\":\"Hi! Is my order #%s on its way?\"}}', CAST(:wa AS text), CAST(:client_id AS text),"
        " CAST(:m AS text), CAST(:ts AS text), CAST(:m AS text))"),             # metadata: raw message JSON
    10: "CAST(NULL AS text)",                                                   # user_id (BSUID): phone senders
    11: "CAST(NULL AS text)",                                                   # parent_user_id
    12: "CAST(NULL AS text)",                                                   # username
    13: "CAST(NULL AS text)",                                                   # country_code
}

HEADER = """\\set s random(0, 999)
\\set wa 447700900000 + :s
\\set pnid 118234567890123
\\set ts 1768466400 + random(0, 86400)
\\set m random(1, 999999999999)
"""


def convert(sql: str) -> str:
    # drop comment lines and blank lines; keep the statement text as is
    lines = [l for l in sql.splitlines() if l.strip() and not l.strip().startswith("--")]
    body = "\n".join(lines).strip().rstrip(";")
    used = set()

    def sub(m):
        n = int(m.group(1))
        if n not in PARAMS:
            raise SystemExit(f"inbound-message.sql uses ${n}, which the bench does not know: update bench/pgbench-script.py")
        used.add(n)
        return "(" + PARAMS[n] + ")"

    body = re.sub(r"\$(\d+)(?!\d)", sub, body)
    if ";" in body:
        raise SystemExit("inbound-message.sql must hold exactly one statement")
    return HEADER + body + ";\n"


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(convert(f.read()))
