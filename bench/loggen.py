#!/usr/bin/env python3
"""Benchmark logs for bench/run (deterministic: same arguments, same bytes).

    bench/loggen.py traffic BYTES OUT.log OUT-combined.log
        about BYTES of nginx-cors traffic, and the same requests in `combined`
    bench/loggen.py flood LINES DISTINCT OUT.log [preflight]
        LINES lines of the same traffic with DISTINCT one-request origins spread
        evenly among them (DISTINCT 0: the same traffic without the flood);
        `preflight`: each flood origin sends a preflight listing two headers, then
        the PUT it announced (the most per-origin state a forged origin can cost)

The traffic is the sample's (samples/generate.py): the same origins in the same
proportions, the same preflights before non-simple requests, the same paths, the
requests without Origin and the hostile values. What a real log has and the
sample's repetition lacks is put back, so that the file compresses about like a
real one: times that advance line by line over 7 days, 4,096 client addresses
per origin, ids and query strings in paths, response sizes, referring page paths
and a dozen browser versions (gzip -6: ≈ 12:1, the combined copy ≈ 10:1;
the sample repeated as it is: 15:1).
"""
import importlib.util, os, random, sys, zlib

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("samplegen", os.path.join(_here, "..", "samples", "generate.py"))
g = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(g)

UAS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.%d Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.%d Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%d.0) Gecko/20100101 Firefox/%d.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Mobile Safari/537.36",
]
UA_VERSIONS = [[129, 130, 131], [129, 130, 131], [130, 131], [0, 1], [0, 1], [131, 132, 133], [130, 131]]
ALL_UAS = []
for tpl, versions in zip(UAS, UA_VERSIONS):
    for v in versions:
        ALL_UAS.append(tpl % ((v, v) if tpl.count("%d") == 2 else v))
PAGES = ["", "orders", "orders/%d", "checkout", "account", "products", "products/%d", "search?q=%s", "dashboard"]
WORDS = ["lamp", "chair", "desk", "cable", "mug", "shelf", "rug", "sofa", "pen", "bag", "hat", "box"]
SPAN = 7 * 86400


def templates():
    """The sample's events in time order: the mix to repeat."""
    return g.traffic(random.Random(20251101), scale=1)


class Writer:
    """Writes events as lines, randomising what varies in a real log."""

    def __init__(self, seed, total_lines):
        self.rng = random.Random(seed)
        self.total = max(total_lines, 1)
        self.n = 0
        self.last_sec = None
        self.last_time = ""
        self.origin_net = {}

    def time(self):
        t = g.DAY0 + self.n * SPAN // self.total
        if t != self.last_sec:
            self.last_sec = t
            self.last_time = g.clf_time(t)
        return self.last_time

    def client(self, e):
        r = self.rng
        if e.origin in ("http://localhost:3000", "https://app.example.com.evil.test") or e.ip.startswith("192.0.2."):
            return e.ip  # one developer, one attacker, the tools: as few as in the sample
        # A few thousand addresses per origin, anywhere in unicast space (as real clients are).
        net = self.origin_net.setdefault(e.origin, len(self.origin_net))
        a = r.randrange(4096) * 2654435761 + net * 40503
        return "%d.%d.%d.%d" % (1 + (a >> 8) % 222, (a >> 16) % 256, (a >> 24) % 256, 1 + a % 254)

    def path(self, e):
        r = self.rng
        p = e.path
        if p[-4:].isdigit():
            p = p[: p.rfind("/") + 1] + str(r.randrange(1000, 999999))
        if e.method == "GET" and r.random() < 0.35:
            if p == "/v1/products":
                p += "?q=%s&sort=%s" % (r.choice(WORDS), r.choice(["price", "name", "new"]))
            elif p == "/v1/orders":
                p += "?page=%d&per_page=50" % r.randrange(1, 40)
        return p

    def referer(self, e):
        if not e.referer or not e.referer.endswith("/") or e.origin == "null":
            return e.referer
        r = self.rng
        page = r.choice(PAGES)
        if "%d" in page:
            page = page % r.randrange(1000, 999999)
        elif "%s" in page:
            page = page % r.choice(WORDS)
        return e.referer + page

    def lines(self, e):
        """(nginx-cors line, combined line) for one event."""
        r = self.rng
        ip = self.client(e)
        t = self.time()
        path = self.path(e)
        ref = self.referer(e)
        ua = e.ua if e.ua.startswith(("curl", "python", "Go-")) else ALL_UAS[zlib.crc32(ip.encode()) % len(ALL_UAS)]
        size = 0 if e.method == "OPTIONS" else int(r.lognormvariate(6.5, 1.0)) + 20
        d = lambda v: g.nginx_escape(v) if v else "-"
        head = '%s - - [%s] "%s %s HTTP/1.1" %d %d "%s" "%s"' % (ip, t, e.method, path, e.status, size, d(ref), d(ua))
        self.n += 1
        cors = '%s "%s" "%s" "%s" "%s" "%s" "%s"' % (head, g.SITE_HOST, d(e.origin), d(e.acrm), d(e.acrh), d(e.acao), "-")
        return cors, head


def traffic(target_bytes, out, out_combined):
    base = templates()
    est_lines = target_bytes // 279
    w = Writer(7, est_lines)
    written = 0
    with open(out, "w") as f, open(out_combined, "w") as fc:
        while written < target_bytes:
            buf, bufc = [], []
            for e in base:
                cors, comb = w.lines(e)
                buf.append(cors)
                bufc.append(comb)
                written += len(cors) + 1
                if written >= target_bytes:
                    break
            f.write("\n".join(buf) + "\n")
            fc.write("\n".join(bufc) + "\n")
    print(w.n)


def flood(lines, distinct, out, preflight=False):
    """`lines` lines of traffic; `distinct` more, each from a new origin, spread evenly.

    The traffic lines are the same whatever `distinct` is, so the real origins'
    statistics must come out the same with and without the flood."""
    base = templates()
    w = Writer(11, lines)
    fr = random.Random(13)
    step = lines / distinct if distinct else None
    next_flood = 0.0
    k = 0
    with open(out, "w") as f:
        buf = []
        i = 0
        while i < lines:
            for e in base:
                if i >= lines:
                    break
                cors, _ = w.lines(e)
                buf.append(cors)
                i += 1
                while step is not None and k < distinct and i >= next_flood:
                    if preflight:
                        h = fr.getrandbits(32)
                        buf.append('192.0.2.%d - - [%s] "OPTIONS /v1/w%dx HTTP/1.1" 204 0 "-" "%s" "%s" "https://%x-%d.flood.example" "PUT" "x-a%d,x-b%d" "*" "-"'
                                   % (fr.randrange(1, 255), w.last_time, k, g.UA_TOOL[k % 3], g.SITE_HOST, h, k, k % 500, k % 700))
                        buf.append('192.0.2.%d - - [%s] "PUT /v1/w%dx HTTP/1.1" 200 %d "-" "%s" "%s" "https://%x-%d.flood.example" "-" "-" "*" "-"'
                                   % (fr.randrange(1, 255), w.last_time, k, fr.randrange(100, 900), g.UA_TOOL[k % 3], g.SITE_HOST, h, k))
                        k += 1
                        next_flood += step
                        continue
                    # One request from a never-seen origin, as from a script forging Origin values.
                    buf.append('192.0.2.%d - - [%s] "GET /v1/products HTTP/1.1" 200 %d "-" "%s" "%s" "https://%x-%d.flood.example" "-" "-" "*" "-"'
                               % (fr.randrange(1, 255), w.last_time, fr.randrange(100, 900), g.UA_TOOL[k % 3], g.SITE_HOST, fr.getrandbits(32), k))
                    k += 1
                    next_flood += step
            if len(buf) > 10000:
                f.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            f.write("\n".join(buf) + "\n")
    print(i + k * (2 if preflight else 1))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "traffic":
        traffic(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif len(sys.argv) in (5, 6) and sys.argv[1] == "flood":
        flood(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], preflight=sys.argv[5:] == ["preflight"])
    else:
        sys.exit(__doc__)
