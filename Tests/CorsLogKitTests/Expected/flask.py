# CORS allowlist for Flask-CORS 6 (flask-cors 6.0.2, Flask 3.1), proposed by corslog 0.1.0 from 12,345 log lines, 2025-11-01 to 2025-11-07.
# It replaces CORS(app) with origins "*". Review it before use.
#
# Paste it after `app = Flask(__name__)` (the imports may move to the top of the file) and
# remove every other CORS(...), @cross_origin and CORS_* config.
# - Origins are anchored, case-sensitive compiled regexes: Flask-CORS compares a plain string
#   case-insensitively and echoes the request's spelling (HTTPS://APP.EXAMPLE.COM).
# - Each rule sets every option: Flask-CORS merges a resource's options over CORS()'s
#   arguments, the app's CORS_* config and its defaults (allow_headers "*", every method).
# - Flask-CORS tries the resource with the most slashes, then the longest, first: the
#   longest matching path prefix wins.
# - GET, HEAD and POST are in methods so that their preflights get Allow-Headers too.
# Test: curl -i -X OPTIONS -H 'Origin: <an allowed origin>' \
#         -H 'Access-Control-Request-Method: PUT' <your API URL>

import re

from flask import request
from flask_cors import CORS

CORS(
    app,
    resources={
        # every path
        re.compile(r"^/"): {
            "origins": [
                re.compile(r"^https://app\.example\.com\Z"),
                re.compile(r"^https://partner\.example\.net:8443\Z"),
            ],
            "methods": ["DELETE", "GET", "HEAD", "POST", "PUT"],
            "allow_headers": ["authorization", "content-type"],
            "expose_headers": None,
            "supports_credentials": False,
            "max_age": 3600,
        },
    },
    # No CORS headers for a request without Origin, never "*", no Private Network Access;
    # CORS headers on error responses (404, 500) too. Vary: set below for every response.
    always_send=False,
    send_wildcard=False,
    allow_private_network=False,
    intercept_exceptions=True,
    vary_header=False,
)


@app.after_request
def corslog_vary_origin(response):
    # Vary: Origin on every response, also those without CORS headers, so that caches do not
    # serve one origin's answer to another.
    response.vary.add("Origin")
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.vary.update(["Access-Control-Request-Method", "Access-Control-Request-Headers"])
    return response
