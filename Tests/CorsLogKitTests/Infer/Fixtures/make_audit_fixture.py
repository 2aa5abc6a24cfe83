#!/usr/bin/env python3
"""Writes audit-fixture.log beside this script: a week of an nginx-cors log
(`corslog log-format nginx`) from a server that answers `*` everywhere except
on one day, when a `/v1/legacy/` location reflected the request's Origin with
`Access-Control-Allow-Credentials: true` to anyone (a misconfigured server):
its own pages, a lookalike, a scanner's random origin, an http downgrade,
`null` and an invalid value all got their Origin back.

Deterministic: `python3 Tests/CorsLogKitTests/Infer/Fixtures/make_audit_fixture.py`
rewrites the same bytes. PolicyAuditFixtureTests reads it (recorded reports: Expected/audit-fixture.*)."""
import os
import random
import time

HOST = "api.example.com"
DAY0 = 1761955200  # 2025-11-01T00:00:00Z
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def clf_time(t):
    g = time.gmtime(t)
    return "%02d/%s/%04d:%02d:%02d:%02d +0000" % (g.tm_mday, MONTHS[g.tm_mon - 1], g.tm_year, g.tm_hour, g.tm_min, g.tm_sec)


def esc(s):
    """nginx's default escaping: `"`, `\\` and bytes outside printable ASCII as \\xHH; empty as -."""
    if not s:
        return "-"
    return "".join("\\x%02X" % b if b in (0x22, 0x5C) or b < 0x20 or b > 0x7E else chr(b) for b in s.encode())


def line(t, ip, method, path, status, origin, acao, acac, acrm=""):
    return '%s - - [%s] "%s %s HTTP/1.1" %d 120 "-" "%s" "%s" "%s" "%s" "-" "%s" "%s"' % (
        ip, clf_time(t), method, path, status, UA, HOST, esc(origin), esc(acrm), esc(acao), esc(acac))


def main():
    rng = random.Random(7)
    events = []
    # Ordinary traffic: two first-party front ends and a partner, answered `*`.
    for origin, clients, n in [("https://app.example.com", 8, 140), ("https://www.example.com", 5, 60),
                               ("https://shop.partner.example", 4, 30)]:
        for i in range(n):
            t = DAY0 + (i % 7) * 86400 + rng.randrange(86400)
            events.append((t, "203.0.113.%d" % (10 + i % clients), "GET", "/v1/orders", 200, origin, "*", ""))
    # Day 3: the legacy location echoes every Origin with credentials.
    legacy = [("https://app.example.com", 20), ("https://app.example.com.evil.test", 4), ("https://random-9f3k.example", 3),
              ("http://app.example.com", 2), ("null", 2), ('https://evil.test"x', 1)]
    for origin, n in legacy:
        for i in range(n):
            t = DAY0 + 3 * 86400 + rng.randrange(86400)
            events.append((t, "198.51.100.%d" % (20 + i % 4), "GET", "/v1/legacy/profile", 200, origin, origin, "true"))
    events.sort()
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "audit-fixture.log"), "w", newline="\n") as f:
        for e in events:
            f.write(line(*e) + "\n")


if __name__ == "__main__":
    main()
