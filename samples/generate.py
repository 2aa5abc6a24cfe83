#!/usr/bin/env python3
"""Generates corslog's sample logs (deterministic: same seed, same bytes).

    python3 samples/generate.py            # rewrites samples/*/
    python3 samples/generate.py --bench N OUT.log   # N lines of nginx-cors for bench/

The traffic is that of an API at https://api.example.com that answers
`Access-Control-Allow-Origin: *` today, called by its own front ends, two
partners, a few developers, and some hostile clients.
"""
import gzip, io, json, os, random, sys

SITE_HOST = "api.example.com"
DAY0 = 1761955200  # 2025-11-01T00:00:00Z
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

UA_BROWSER = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
]
UA_TOOL = ["curl/8.5.0", "python-requests/2.32.3", "Go-http-client/1.1"]

# origin, clients, days (indices 0..6), weight, calls: list of (method, path, acrh or None)
ORIGINS = [
    ("https://app.example.com", 40, range(7), 40, [
        ("GET", "/v1/orders", None), ("GET", "/v1/orders/{id}", None),
        ("POST", "/v1/orders", "content-type"), ("PUT", "/v1/orders/{id}", "authorization,content-type"),
        ("DELETE", "/v1/orders/{id}", "authorization"), ("GET", "/v1/me", "authorization")]),
    ("https://www.example.com", 25, range(7), 15, [("GET", "/v1/status", None), ("GET", "/v1/products", None)]),
    ("https://shop.partner.example", 8, [0, 1, 3, 4, 6], 8, [
        ("GET", "/v1/products", None), ("POST", "/v1/quotes", "content-type")]),
    ("https://dashboard.partner-two.io", 4, [1, 2, 5], 4, [
        ("PATCH", "/v1/orders/{id}", "content-type,x-request-id"), ("GET", "/v1/orders", "x-request-id")]),
    ("http://app.example.com", 3, [2, 4], 2, [("GET", "/v1/orders", None)]),
    ("http://localhost:3000", 1, [0, 1, 2, 3, 4, 5, 6], 3, [
        ("GET", "/v1/orders", "authorization"), ("PUT", "/v1/orders/{id}", "authorization,content-type")]),
    ("https://app.example.com.evil.test", 1, [5], 1, [("GET", "/v1/me", "authorization")]),
    ("https://rare.partner.example", 1, [3], 1, [("GET", "/v1/products", None)]),
]
NULL_ORIGIN = ("null", 2, [2, 6], 1, [("GET", "/v1/products", None)])
INVALID_ORIGINS = ["https://app.example.com/", "https://evil.test\"x", "javascript:alert(1)", "https://app.example.com:99999"]


def clf_time(t, tz="+0000"):
    import time
    g = time.gmtime(t)
    return "%02d/%s/%04d:%02d:%02d:%02d %s" % (g.tm_mday, MONTHS[g.tm_mon - 1], g.tm_year, g.tm_hour, g.tm_min, g.tm_sec, tz)


def nginx_escape(s):
    out = []
    for ch in s.encode("utf-8"):
        if ch == 0x22 or ch == 0x5C or ch < 0x20 or ch > 0x7E:
            out.append("\\x%02X" % ch)
        else:
            out.append(chr(ch))
    return "".join(out)


def apache_escape(s):
    out = []
    for ch in s.encode("utf-8"):
        if ch == 0x22: out.append('\\"')
        elif ch == 0x5C: out.append("\\\\")
        elif ch == 0x0A: out.append("\\n")
        elif ch == 0x09: out.append("\\t")
        elif ch < 0x20 or ch > 0x7E: out.append("\\x%02x" % ch)
        else: out.append(chr(ch))
    return "".join(out)


class Event:
    __slots__ = ("t", "ip", "method", "path", "status", "size", "referer", "ua", "origin", "acrm", "acrh", "acao")

    def __init__(self, **kw):
        for k in self.__slots__: setattr(self, k, kw.get(k, ""))


def client_ip(rng, origin_index, client):
    return "203.0.%d.%d" % (113 - origin_index, 10 + client) if origin_index < 4 else "198.51.100.%d" % (origin_index * 10 + client)


def traffic(rng, scale=1):
    """Yields events in time order over 7 days."""
    events = []
    for oi, (origin, clients, days, weight, calls) in enumerate(ORIGINS + [NULL_ORIGIN]):
        for day in days:
            for _ in range(weight * 6 * scale):
                method, path, acrh = rng.choice(calls)
                path = path.replace("{id}", str(rng.randint(1000, 9999)))
                c = rng.randrange(clients)
                ip = client_ip(rng, oi, c)
                t = DAY0 + day * 86400 + rng.randrange(86400)
                ua = UA_BROWSER[c % len(UA_BROWSER)]
                referer = (origin + "/") if origin != "null" else ""
                needs_preflight = acrh is not None or method not in ("GET", "HEAD", "POST")
                if needs_preflight:
                    events.append(Event(t=t, ip=ip, method="OPTIONS", path=path, status=204, size=0, referer=referer,
                                        ua=ua, origin=origin, acrm=method, acrh=acrh or "", acao="*"))
                    t += 1
                status = rng.choice([200] * 12 + [201, 404, 500]) if method != "DELETE" else 204
                events.append(Event(t=t, ip=ip, method=method, path=path, status=status, size=rng.randint(80, 4000),
                                    referer=referer, ua=ua, origin=origin, acao="*"))
    # One client forging preflights for a trusted origin with an odd header: held back, never proposed.
    for i in range(5):
        events.append(Event(t=DAY0 + 4 * 86400 + i * 60, ip="192.0.2.66", method="OPTIONS", path="/v1/orders",
                             status=204, size=0, referer="", ua=UA_TOOL[0], origin="https://app.example.com",
                             acrm="PUT", acrh="x-forged-header", acao="*"))
    # Hostile Origin values: never origins.
    for i, bad in enumerate(INVALID_ORIGINS):
        events.append(Event(t=DAY0 + 3 * 86400 + i * 977, ip="192.0.2.%d" % (70 + i), method="GET", path="/v1/me",
                             status=200, size=120, referer="", ua=UA_TOOL[1], origin=bad, acao="*"))
    # The site's own docs page posting to its own API (same-origin).
    for i in range(40 * scale):
        events.append(Event(t=DAY0 + rng.randrange(7 * 86400), ip="203.0.113.%d" % (100 + i % 20), method="POST",
                             path="/v1/feedback", status=201, size=30, referer="https://api.example.com/docs",
                             ua=UA_BROWSER[i % 3], origin="https://api.example.com", acao="*"))
    # Server-to-server and tools: no Origin at all.
    for i in range(600 * scale):
        events.append(Event(t=DAY0 + rng.randrange(7 * 86400), ip="192.0.2.%d" % (10 + i % 30), method=rng.choice(["GET", "GET", "POST"]),
                             path=rng.choice(["/v1/orders", "/v1/products", "/healthz"]), status=200, size=rng.randint(50, 900),
                             referer="", ua=rng.choice(UA_TOOL), origin="", acao=""))
    events.sort(key=lambda e: e.t)
    return events


def nginx_cors_line(e):
    d = lambda v: nginx_escape(v) if v else "-"
    return '%s - - [%s] "%s %s HTTP/1.1" %d %d "%s" "%s" "%s" "%s" "%s" "%s" "%s" "%s"' % (
        e.ip, clf_time(e.t), e.method, e.path, e.status, e.size, d(e.referer), d(e.ua), SITE_HOST,
        d(e.origin), d(e.acrm), d(e.acrh), d(e.acao), "-")


def apache_cors_line(e):
    d = lambda v: apache_escape(v) if v else "-"
    return '%s - - [%s] "%s %s HTTP/1.1" %d %d "%s" "%s" "%s" "%s" "%s" "%s" "%s" "%s"' % (
        e.ip, clf_time(e.t), e.method, e.path, e.status, e.size, d(e.referer), d(e.ua), SITE_HOST,
        d(e.origin), d(e.acrm), d(e.acrh), d(e.acao), "-")


def combined_line(e):
    d = lambda v: nginx_escape(v) if v else "-"
    return '%s - - [%s] "%s %s HTTP/1.1" %d %d "%s" "%s"' % (
        e.ip, clf_time(e.t), e.method, e.path, e.status, e.size, d(e.referer), d(e.ua))


def json_line(e):
    import time
    return json.dumps({
        "time_iso8601": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(e.t)), "remote_addr": e.ip,
        "request_method": e.method, "request_uri": e.path, "status": str(e.status), "host": SITE_HOST,
        "http_origin": e.origin, "http_referer": e.referer, "http_user_agent": e.ua,
        "http_access_control_request_method": e.acrm, "http_access_control_request_headers": e.acrh,
        "sent_http_access_control_allow_origin": e.acao,
    }, separators=(",", ":"))


HOSTILE_NGINX = [
    # A TLS handshake sent to the plain-HTTP port: nginx logs it escaped, 400.
    '192.0.2.99 - - [%s] "\\x16\\x03\\x01\\x00\\xF7\\x01\\x00\\x00\\xF3\\x03\\x03" 400 157 "-" "-" "-" "-" "-" "-" "-" "-"',
    # A line cut short (disk full, a crash mid-write).
    '192.0.2.98 - - [%s] "GET /v1/orders HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux',
]


def write_gzip_members(path, chunks):
    with open(path, "wb") as f:
        for chunk in chunks:
            f.write(gzip.compress(chunk.encode(), mtime=0))


def samples(root):
    rng = random.Random(20251101)
    events = traffic(rng)
    by_day = lambda lo, hi: [e for e in events if DAY0 + lo * 86400 <= e.t < DAY0 + hi * 86400]

    nginx = os.path.join(root, "nginx")
    os.makedirs(nginx, exist_ok=True)
    older, middle, newest = by_day(0, 2), by_day(2, 4), by_day(4, 7)
    older_lines = [nginx_cors_line(e) for e in older]
    half = len(older_lines) // 2
    # nginx's `access_log … gzip` writes many gzip members: so does this file.
    write_gzip_members(os.path.join(nginx, "access.log.2.gz"),
                       ["\n".join(older_lines[:half]) + "\n", "\n".join(older_lines[half:]) + "\n"])
    mid = [nginx_cors_line(e) for e in middle]
    mid.insert(len(mid) // 2, HOSTILE_NGINX[0] % clf_time(middle[len(middle) // 2].t))
    with open(os.path.join(nginx, "access.log.1"), "w") as f:
        f.write("\n".join(mid) + "\n")
    new = [nginx_cors_line(e) for e in newest]
    new.insert(len(new) // 3, HOSTILE_NGINX[1] % clf_time(newest[len(newest) // 3].t))
    with open(os.path.join(nginx, "access.log"), "w") as f:
        f.write("\n".join(new) + "\n")

    apache = os.path.join(root, "apache")
    os.makedirs(apache, exist_ok=True)
    with open(os.path.join(apache, "access_log"), "w") as f:
        f.write("\n".join(apache_cors_line(e) for e in events) + "\n")

    combined = os.path.join(root, "combined")
    os.makedirs(combined, exist_ok=True)
    with open(os.path.join(combined, "access.log"), "w") as f:
        f.write("\n".join(combined_line(e) for e in events) + "\n")

    config = os.path.join(root, "config")
    os.makedirs(config, exist_ok=True)
    with open(os.path.join(config, "nginx.conf"), "w") as f:
        f.write(NGINX_CONF)

    js = os.path.join(root, "json")
    os.makedirs(js, exist_ok=True)
    with open(os.path.join(js, "access.json"), "w") as f:
        f.write("\n".join(json_line(e) for e in events) + "\n")


NGINX_CONF = """# An nginx.conf as a site has it: corslog reads the log_format from it with
#   corslog analyze --format-file samples/config/nginx.conf --format-name cors samples/nginx/
user www-data;
worker_processes auto;
events { worker_connections 768; }

http {
    log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" '
                    '"$http_user_agent" "$http_x_forwarded_for"';

    log_format cors '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                    '"$http_referer" "$http_user_agent" "$host" "$http_origin" '
                    '"$http_access_control_request_method" "$http_access_control_request_headers" '
                    '"$sent_http_access_control_allow_origin" "$sent_http_access_control_allow_credentials"';

    server {
        listen 443 ssl;
        server_name api.example.com;
        access_log /var/log/nginx/access.log cors;
        location / {
            add_header Access-Control-Allow-Origin * always;
            proxy_pass http://127.0.0.1:8080;
        }
    }
}
"""


def bench(lines, out):
    """`lines` lines of nginx-cors traffic (the sample mix, repeated with new times and clients)."""
    rng = random.Random(7)
    base = traffic(rng, scale=4)
    with open(out, "w") as f:
        n = 0
        round_ = 0
        while n < lines:
            buf = []
            for e in base:
                if n >= lines: break
                e2 = Event(**{k: getattr(e, k) for k in Event.__slots__})
                e2.t = e.t + round_ * 7 * 86400
                if e2.ip.startswith("203.0.") or e2.ip.startswith("198.51."):
                    e2.ip = "10.%d.%d.%d" % (round_ % 250, rng.randrange(256), rng.randrange(256))
                buf.append(nginx_cors_line(e2))
                n += 1
            f.write("\n".join(buf) + "\n")
            round_ += 1


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--bench":
        bench(int(sys.argv[2]), sys.argv[3])
    else:
        samples(os.path.dirname(os.path.abspath(__file__)))
