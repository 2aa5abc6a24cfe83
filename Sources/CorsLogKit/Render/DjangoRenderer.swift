/// django-cors-headers (4.9.0, Django 5.2): the `CORS_*` settings for the
/// defaults, `CORSLOG_CORS_PATHS` for the path rules, and a small subclass of
/// `corsheaders.middleware.CorsMiddleware` that compares the Origin exactly and
/// picks the rule by the longest path prefix.
///
/// The traps it avoids, each proved against the pinned library in
/// `DjangoRealLibraryTests`:
/// - 4.9.0 matches `CORS_ALLOWED_ORIGINS` by `urlsplit` scheme (which lower-cases
///   it) and netloc only, and echoes the request's Origin: `https://app.example.com/`,
///   `https://app.example.com/x?y#z` and `HTTPS://app.example.com` all get
///   themselves back. The subclass compares with `in` (exact, case-sensitive),
///   and patterns with `re.match` on `^…\Z` regexes.
/// - its settings are global: per-path rules with other origins, methods or
///   credentials cannot be said with them. The subclass takes a path's rule from
///   `CORSLOG_CORS_PATHS` (longest prefix first), else the `CORS_*` values.
/// - the `check_request_enabled` signal is no way out: a receiver returning True
///   makes the stock middleware echo ANY origin. The subclass never sends it.
/// - the defaults widen a policy: `CORS_ALLOW_HEADERS` and `CORS_ALLOW_METHODS`
///   have default lists, `CORS_PREFLIGHT_MAX_AGE` 86400; all are set exactly.
///   The stock middleware adds Allow-Methods/-Headers to every OPTIONS, and an
///   empty list as an empty header; the subclass only to preflights, only when
///   non-empty.
/// - the middleware must sit above `CommonMiddleware` (which can answer first);
///   the settings put it first in MIDDLEWARE. `CORS_ALLOW_PRIVATE_NETWORK` off.
/// - `Vary: Origin` on every response under `CORS_URLS_REGEX` (the library's own
///   `patch_vary_headers`), also those for other origins and errors.
package struct DjangoRenderer: PolicyRenderer {
    package let target = "django"
    package let summary = "django-cors-headers: CORS_* settings, exact per-path CorsMiddleware subclass"

    package init() {}

    package func render(_ policy: Policy, context: RenderContext) -> String {
        var out: [String] = []
        out.append("# CORS allowlist for django-cors-headers 4.9 (Django 5.2), \(context.provenance).")
        out.append("# It replaces CORS_ALLOW_ALL_ORIGINS = True (CORS_ORIGIN_ALLOW_ALL). Review it before use.")
        out.append("#")
        out.append("# 1. pip install django-cors-headers==4.9.0. The settings part goes at the END of settings.py:")
        out.append("#    it adds \"corsheaders\" to INSTALLED_APPS and puts the middleware first in MIDDLEWARE")
        out.append("#    (above CommonMiddleware), replacing corsheaders.middleware.CorsMiddleware. Remove every")
        out.append("#    other CORS_* setting and any check_request_enabled receiver.")
        out.append("# 2. The middleware part is the file corslog_cors.py beside manage.py (or anywhere importable;")
        out.append("#    then change \"corslog_cors.\" in MIDDLEWARE). django-cors-headers alone compares")
        out.append("#    CORS_ALLOWED_ORIGINS loosely (it echoes \"https://app.example.com/anything\" and")
        out.append("#    \"HTTPS://app.example.com\") and has no per-path rules; the subclass compares exactly and")
        out.append("#    takes a path's rule from CORSLOG_CORS_PATHS (longest prefix first), else the CORS_* values.")
        out.append("# Test: python3 manage.py check, then curl -i -X OPTIONS -H 'Origin: <an allowed origin>' \\")
        out.append("#         -H 'Access-Control-Request-Method: PUT' <your API URL>")
        out.append("")
        out.append("# --- settings.py (at the end) ---")
        out.append(settingsPart(policy))
        out.append("")
        out.append("# --- corslog_cors.py ---")
        out.append(Self.middlewarePart)
        return out.joined(separator: "\n") + "\n"
    }

    package func standalone(_ policy: Policy, context: RenderContext, options: StandaloneOptions) -> String? {
        let hosts = Array(Set([options.host, "127.0.0.1", "localhost"])).sorted()
        var out: [String] = []
        out.append("# A complete single-file Django project that tries the CORS policy: python3 THIS_FILE")
        out.append("# (needs Django 5.2 and django-cors-headers 4.9.0), \(context.provenance).")
        out.append("# Every path answers 200 \"ok\" on http://\(options.host):\(options.port)/; `python3 THIS_FILE check` runs")
        out.append("# Django's system checks (django-cors-headers' included). --access-log is not used: the")
        out.append("# development server logs each request to standard error. Not for production.")
        out.append("import sys")
        out.append("")
        out.append("DEBUG = False")
        out.append("SECRET_KEY = \"corslog-standalone-try-only\"")
        out.append("ALLOWED_HOSTS = \(PythonLiteral.list(hosts))")
        out.append("ROOT_URLCONF = __name__")
        out.append("INSTALLED_APPS = []")
        out.append("MIDDLEWARE = [\"django.middleware.common.CommonMiddleware\"]")
        out.append("")
        out.append("# ---- the settings part of the snippet (corslog render --target django) ----")
        out.append(settingsPart(policy))
        out.append("")
        out.append("import django")
        out.append("from django.conf import settings")
        out.append("")
        out.append("settings.configure(**{name: value for name, value in list(globals().items()) if name.isupper()})")
        out.append("django.setup()")
        out.append("")
        out.append("# ---- the middleware part of the snippet: this file is also the module corslog_cors ----")
        out.append(Self.middlewarePart)
        out.append("")
        out.append("sys.modules[\"corslog_cors\"] = sys.modules[__name__]")
        out.append("")
        out.append("from django.http import HttpResponse")
        out.append("from django.urls import re_path")
        out.append("")
        out.append("")
        out.append("def ok(request):")
        out.append("    return HttpResponse(\"ok\\n\", content_type=\"text/plain\")")
        out.append("")
        out.append("")
        out.append("urlpatterns = [re_path(r\"\", ok)]")
        out.append("")
        out.append("if __name__ == \"__main__\":")
        out.append("    from django.core.management import execute_from_command_line")
        out.append("")
        out.append("    execute_from_command_line(sys.argv if len(sys.argv) > 1")
        out.append("                              else [sys.argv[0], \"runserver\", \"--noreload\", \"\(options.host):\(options.port)\"])")
        return out.joined(separator: "\n") + "\n"
    }

    /// The lines for the end of settings.py.
    package func settingsPart(_ policy: Policy) -> String {
        var out: [String] = []
        out.append("INSTALLED_APPS = [app for app in INSTALLED_APPS if app != \"corsheaders\"] + [\"corsheaders\"]")
        out.append("MIDDLEWARE = [\"corslog_cors.CorslogCorsMiddleware\"] + [")
        out.append("    m for m in MIDDLEWARE if m != \"corsheaders.middleware.CorsMiddleware\"]")
        out.append("CORS_ALLOW_ALL_ORIGINS = False")
        out.append("CORS_ALLOW_PRIVATE_NETWORK = False")
        let claimsRoot = policy.paths.contains { $0.prefix.value == "/" }
        let defaults = claimsRoot ? policy.paths.first { $0.prefix.value == "/" }!.rule : policy.defaults
        let pathRules = policy.paths.filter { $0.prefix.value != "/" }
        // CORS_URLS_REGEX: every path when the defaults allow anyone, else only the path rules.
        if !defaults.origins.isEmpty || !defaults.patterns.isEmpty || pathRules.isEmpty {
            out.append("CORS_URLS_REGEX = r\"^/\"")
        } else {
            let alternatives = pathRules.map { $0.prefix.regexFragment }.joined(separator: "|")
            out.append("# Only the path rules allow anyone.")
            out.append("CORS_URLS_REGEX = \(PythonLiteral.raw("^(?:" + alternatives + ")"))")
        }
        out.append("# \(pathRules.isEmpty ? "Every path" : "Every path no rule below claims"):")
        out.append(contentsOf: Self.values(defaults, keyPrefix: "", assign: " = ", end: ""))
        if pathRules.isEmpty {
            out.append("CORSLOG_CORS_PATHS = []")
        } else {
            out.append("# Path rules, longest prefix first: under a prefix its values replace the CORS_* ones above.")
            out.append("CORSLOG_CORS_PATHS = [")
            for p in pathRules {
                out.append("    (\(PythonLiteral.string(p.prefix.value)), {")
                out.append(contentsOf: Self.values(p.rule, keyPrefix: "        ", assign: ": ", end: ","))
                out.append("    }),")
            }
            out.append("]")
        }
        return out.joined(separator: "\n")
    }

    /// The seven values of a rule, as settings (`CORS_X = v`) or dict entries (`"CORS_X": v,`).
    static func values(_ rule: CORSRule, keyPrefix: String, assign: String, end: String) -> [String] {
        func key(_ k: String) -> String { keyPrefix + (assign == " = " ? k : PythonLiteral.string(k)) + assign }
        func list(_ items: [String], _ comments: [String]? = nil) -> [String] {
            if items.isEmpty { return ["[]" + end] }
            var lines = ["["]
            for (i, item) in items.enumerated() {
                lines.append(keyPrefix + "    " + item + "," + (comments.map { "  # " + $0[i] } ?? ""))
            }
            lines.append(keyPrefix + "]" + end)
            return lines
        }
        func entry(_ k: String, _ value: [String]) -> [String] {
            [key(k) + value[0]] + value.dropFirst()
        }
        var out: [String] = []
        out += entry("CORS_ALLOWED_ORIGINS", list(rule.origins.map { PythonLiteral.string($0.serialized) }))
        out += entry("CORS_ALLOWED_ORIGIN_REGEXES", list(
            rule.patterns.map { PythonLiteral.raw(PythonLiteral.endAnchored($0.anchoredRegex)) },
            rule.patterns.map(\.description)))
        out += entry("CORS_ALLOW_METHODS", [PythonLiteral.list(rule.methods.map(\.rawValue)) + end])
        out += entry("CORS_ALLOW_HEADERS", [PythonLiteral.list(rule.headers.map(\.name)) + end])
        out += entry("CORS_EXPOSE_HEADERS", [PythonLiteral.list(rule.exposeHeaders.map(\.name)) + end])
        out += entry("CORS_PREFLIGHT_MAX_AGE", ["\(rule.maxAge)" + end])
        out += entry("CORS_ALLOW_CREDENTIALS", [(rule.credentials ? "True" : "False") + end])
        return out
    }

    /// corslog_cors.py: the same for every policy.
    static let middlewarePart = #"""
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
        """#
}
