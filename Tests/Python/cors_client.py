"""Runs requests through a rendered standalone app with the framework's own test client.

Usage: python3 cors_client.py APP_FILE < requests.json

APP_FILE is a standalone file from `corslog render --target flask|django --standalone`; it is
loaded as the module `corslog_app` (its `if __name__ == "__main__"` part does not run).
The input is a JSON object:
  {"requests": [{"method": "GET", "path": "/x", "headers": [["Origin", "https://a.example"]]}, ...],
   "stock_middleware": false,   # django: use corsheaders.middleware.CorsMiddleware instead
   "signal_allows_all": false}  # django: connect a check_request_enabled receiver returning True
Two routes are added for error answers: /corslog-error/404 and /corslog-error/500.
Prints a JSON list, one {"status": N, "headers": [[name, value], ...]} per request. The Swift
tests decide what is right; this script only drives the real library.
"""
import importlib.util
import json
import sys


def load(path):
    spec = importlib.util.spec_from_file_location("corslog_app", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["corslog_app"] = module
    spec.loader.exec_module(module)
    return module


def flask_client(module, options):
    from flask import abort

    def error(code):
        if code == 500:
            raise RuntimeError("corslog test: a server error")
        abort(code)

    module.app.add_url_rule("/corslog-error/<int:code>", view_func=error)
    client = module.app.test_client()

    def send(method, path, headers):
        r = client.open(path, method=method, headers=headers)
        return r.status_code, [[k, v] for k, v in r.headers.items()]

    return send


def django_client(module, options):
    from django.conf import settings
    from django.http import Http404
    from django.test import Client
    from django.urls import path as url

    def error(request, code):
        if code == 500:
            raise RuntimeError("corslog test: a server error")
        raise Http404("corslog test")

    module.urlpatterns.insert(0, url("corslog-error/<int:code>", error))
    if options.get("stock_middleware"):
        settings.MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"] + [
            m for m in settings.MIDDLEWARE if m != "corslog_cors.CorslogCorsMiddleware"]
    if options.get("signal_allows_all"):
        from corsheaders.signals import check_request_enabled
        check_request_enabled.connect(lambda sender, request, **kwargs: True, weak=False)
    client = Client(raise_request_exception=False, HTTP_HOST="localhost")

    def send(method, path, headers):
        r = client.generic(method, path, headers=dict(headers))
        return r.status_code, [[k, v] for k, v in r.items()]

    return send


def main():
    options = json.load(sys.stdin)
    module = load(sys.argv[1])
    send = flask_client(module, options) if hasattr(module, "app") else django_client(module, options)
    out = []
    for req in options["requests"]:
        status, headers = send(req["method"], req["path"], req["headers"])
        out.append({"status": status, "headers": headers})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
