#!/usr/bin/env python3
"""What a person would write instead of corslog: count requests and preflights
per Origin in nginx-cors logs (plain or .gz) with a regex. bench/run times it.

    python3 bench/count_origins.py access.log.gz [more files]
"""
import collections, gzip, re, sys

LINE = re.compile(r'^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) ([^" ]*)[^"]*" (\d{3}) (\S+) "([^"]*)" "([^"]*)" '
                  r'"([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)" "([^"]*)"')

requests = collections.Counter()
preflights = collections.Counter()
clients = collections.defaultdict(set)
skipped = 0
for path in sys.argv[1:]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="latin-1") as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                skipped += 1
                continue
            origin = m.group(10)
            if origin == "-":
                continue
            requests[origin] += 1
            clients[origin].add(m.group(1))
            if m.group(3) == "OPTIONS" and m.group(11) != "-":
                preflights[origin] += 1

for origin, n in requests.most_common():
    print(f"{n:10d} {preflights[origin]:10d} {len(clients[origin]):8d}  {origin}")
print(f"skipped {skipped}", file=sys.stderr)
