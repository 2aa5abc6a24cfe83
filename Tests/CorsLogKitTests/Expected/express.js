// CORS allowlist for Express with the cors middleware (2.8.5), proposed by corslog 0.1.0 from 12,345 log lines, 2025-11-01 to 2025-11-07.
// It replaces cors() / cors({origin: '*'}). Review it before use.
//
// Save this file beside your app as cors-policy.js and, before any route and instead of every
// other cors() call, mount it once at the root:  app.use(require('./cors-policy'));
// (mounted under a path, req.path loses that path and the path rules below would not match).
// Test: curl -i -X OPTIONS -H 'Origin: <an allowed origin>' \
//         -H 'Access-Control-Request-Method: PUT' <your API URL>

'use strict';
const cors = require('cors');

// One rule per path prefix, longest first, then '/' (everything else). The first rule whose
// prefix starts the request path applies alone (case-sensitive, like corslog's policy).
const corslogRules = [
  {
    prefix: '/',
    // Compared with === : exactly these strings, case-sensitive.
    origins: ['https://app.example.com', 'https://partner.example.net:8443'],
    patterns: [],
    options: {
      methods: ['DELETE', 'PUT'],
      allowedHeaders: ['authorization', 'content-type'],
      exposedHeaders: [],
      credentials: false,
      maxAge: 3600,
      optionsSuccessStatus: 204,
    },
  },
];

// cors's options delegate. An allowed origin gets its rule's options with origin set to our own
// string (an exact entry) or to the Origin its anchored pattern matched. Anything else gets
// {origin: false}: cors then sets no header at all and calls next(). That covers other origins,
// requests without Origin, and an OPTIONS without Access-Control-Request-Method (not a
// preflight: it reaches your routes), which cors alone would answer 204 with Allow-Methods.
function corslogOptions(req, callback) {
  const rule = corslogRules.find((r) => req.path.startsWith(r.prefix));
  const origin = req.headers.origin;
  let allowed = false;
  if (typeof origin === 'string') {
    allowed = rule.origins.find((o) => o === origin)
      || (rule.patterns.some((re) => re.test(origin)) ? origin : false);
  }
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] === undefined) {
    allowed = false;
  }
  callback(null, allowed ? Object.assign({}, rule.options, { origin: allowed }) : { origin: false });
}

const corslogCorsMiddleware = cors(corslogOptions);

// Vary: Origin on every response, also those without CORS headers (shared caches).
function corslogCors(req, res, next) {
  res.vary('Origin');
  corslogCorsMiddleware(req, res, next);
}

module.exports = corslogCors;
