# CORS allowlist for django-cors-headers 4.9 (Django 5.2), proposed by corslog 0.1.0 from 12,345 log lines, 2025-11-01 to 2025-11-07.
# It replaces CORS_ALLOW_ALL_ORIGINS = True (CORS_ORIGIN_ALLOW_ALL). Review it before use.
#
# 1. pip install django-cors-headers==4.9.0. The settings part goes at the END of settings.py:
#    it adds "corsheaders" to INSTALLED_APPS and puts the middleware first in MIDDLEWARE
#    (above CommonMiddleware), replacing corsheaders.middleware.CorsMiddleware. Remove every
#    other CORS_* setting and any check_request_enabled receiver.
# 2. The middleware part is the file corslog_cors.py beside manage.py (or anywhere importable;
#    then change "corslog_cors." in MIDDLEWARE). django-cors-headers alone compares
#    CORS_ALLOWED_ORIGINS loosely (it echoes "https://app.example.com/anything" and
#    "HTTPS://app.example.com") and has no per-path rules; the subclass compares exactly and
#    takes a path's rule from CORSLOG_CORS_PATHS (longest prefix first), else the CORS_* values.
# Test: python3 manage.py check, then curl -i -X OPTIONS -H 'Origin: <an allowed origin>' \
#         -H 'Access-Control-Request-Method: PUT' <your API URL>

# --- settings.py (at the end) ---
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "corsheaders"] + ["corsheaders"]
MIDDLEWARE = ["corslog_cors.CorslogCorsMiddleware"] + [
    m for m in MIDDLEWARE if m != "corsheaders.middleware.CorsMiddleware"]
CORS_ALLOW_ALL_ORIGINS = False
CORS_ALLOW_PRIVATE_NETWORK = False
CORS_URLS_REGEX = r"^/"
# Every path:
CORS_ALLOWED_ORIGINS = [
    "https://app.example.com",
    "https://partner.example.net:8443",
]
CORS_ALLOWED_ORIGIN_REGEXES = []
CORS_ALLOW_METHODS = ["DELETE", "PUT"]
CORS_ALLOW_HEADERS = ["authorization", "content-type"]
CORS_EXPOSE_HEADERS = []
CORS_PREFLIGHT_MAX_AGE = 3600
CORS_ALLOW_CREDENTIALS = False
CORSLOG_CORS_PATHS = []

# --- corslog_cors.py ---
"""django-cors-headers' CorsMiddleware with exact origins and per-path rules (written by corslog).

The Origin must equal an entry of CORS_ALLOWED_ORIGINS (case-sensitive), or match one of
CORS_ALLOWED_ORIGIN_REGEXES with re.match (anchor them at both ends); the rule is the first entry of
CORSLOG_CORS_PATHS whose prefix starts the path (longest first), else the CORS_* settings.
The check_request_enabled signal is not consulted: a receiver returning True would allow
any origin.
"""
import re

from corsheaders.conf import conf
from corsheaders.middleware import CorsMiddleware
from django.conf import settings
from django.utils.cache import patch_vary_headers

RULE_KEYS = (
    "CORS_ALLOWED_ORIGINS",
    "CORS_ALLOWED_ORIGIN_REGEXES",
    "CORS_ALLOW_METHODS",
    "CORS_ALLOW_HEADERS",
    "CORS_EXPOSE_HEADERS",
    "CORS_PREFLIGHT_MAX_AGE",
    "CORS_ALLOW_CREDENTIALS",
)


class CorslogCorsMiddleware(CorsMiddleware):
    def is_enabled(self, request):
        return bool(re.match(conf.CORS_URLS_REGEX, request.path_info))

    def rule(self, path):
        for prefix, rule in getattr(settings, "CORSLOG_CORS_PATHS", ()):
            if path.startswith(prefix):
                return rule
        return {key: getattr(conf, key) for key in RULE_KEYS}

    def add_response_headers(self, request, response):
        enabled = getattr(request, "_cors_enabled", None)
        if enabled is None:
            enabled = self.is_enabled(request)
        if not enabled:
            return response
        patch_vary_headers(response, ("origin",))
        origin = request.headers.get("origin")
        if not origin:
            return response
        rule = self.rule(request.path_info)
        if origin not in rule["CORS_ALLOWED_ORIGINS"] and not any(
            re.match(pattern, origin) for pattern in rule["CORS_ALLOWED_ORIGIN_REGEXES"]
        ):
            return response
        response["access-control-allow-origin"] = origin
        if rule["CORS_ALLOW_CREDENTIALS"]:
            response["access-control-allow-credentials"] = "true"
        if rule["CORS_EXPOSE_HEADERS"]:
            response["access-control-expose-headers"] = ", ".join(rule["CORS_EXPOSE_HEADERS"])
        if request.method == "OPTIONS" and "access-control-request-method" in request.headers:
            if rule["CORS_ALLOW_METHODS"]:
                response["access-control-allow-methods"] = ", ".join(rule["CORS_ALLOW_METHODS"])
            if rule["CORS_ALLOW_HEADERS"]:
                response["access-control-allow-headers"] = ", ".join(rule["CORS_ALLOW_HEADERS"])
            response["access-control-max-age"] = str(rule["CORS_PREFLIGHT_MAX_AGE"])
        return response
