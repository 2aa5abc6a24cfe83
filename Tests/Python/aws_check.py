"""Loads a file that `corslog render --target aws-*` wrote into the real AWS
libraries and prints what they made of it as one JSON object on stdout, for
the Swift tests (Tests/CorsLogKitTests/Render/AWSRealLibraryTests.swift) to
assert on.

    aws_check.py parse FILE                 JSON parses (json.loads, as the AWS CLI reads file://)
    aws_check.py s3 FILE [PROBES.json]      put-bucket-cors / get-bucket-cors in moto, then the
                                            probes (a list of {origin?, method, path, preflight})
                                            against moto's server on 127.0.0.1
    aws_check.py http-api FILE              apigatewayv2 create-api / update-api with the CorsConfiguration
    aws_check.py cfn FILE                   cfn-lint on the template, and on its SAM twin
    aws_check.py rest FILE                  openapi-spec-validator, moto import_rest_api, gateway responses
    aws_check.py vtl FILE RESOURCE HEADERS.json
                                            runs RESOURCE's OPTIONS mapping template in airspeed-ext
                                            (LocalStack's Velocity for API Gateway) once per header set

Errors of the AWS side are printed as {"error": CODE, "message": …}, not raised:
the test decides whether one was expected.
"""

import copy
import http.client
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
# moto's server answers every OPTIONS with `*` unless told not to; S3's own rules must decide.
os.environ["MOTO_DISABLE_GLOBAL_CORS"] = "true"

import boto3  # noqa: E402
import botocore.exceptions  # noqa: E402
from moto import mock_aws  # noqa: E402

REGION = "us-east-1"


def aws_error(e):
    if isinstance(e, botocore.exceptions.ClientError):
        return {"error": e.response["Error"]["Code"], "message": e.response["Error"].get("Message", "")}
    return {"error": type(e).__name__, "message": str(e)}


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def cmd_parse(path):
    load_json(path)
    return {"parsed": True}


def cmd_s3(path, probes_path=None):
    config = load_json(path)
    out = {}
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="corslog-test")
        try:
            s3.put_bucket_cors(Bucket="corslog-test", CORSConfiguration=config)
            out["put"] = "ok"
            out["rules"] = s3.get_bucket_cors(Bucket="corslog-test")["CORSRules"]
        except Exception as e:  # noqa: BLE001 - reported, not raised
            out["put"] = aws_error(e)
    if probes_path and out["put"] == "ok":
        out["probes"] = s3_probes(config, load_json(probes_path))
    return out


def s3_probes(config, probes):
    """Real HTTP against moto's server: the bucket with the rendered rules, one object."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        s3 = boto3.client("s3", region_name=REGION, endpoint_url=endpoint)
        # Public, so that unsigned requests (a browser's) reach the CORS evaluation.
        s3.create_bucket(Bucket="corslog-test", ACL="public-read")
        s3.put_bucket_cors(Bucket="corslog-test", CORSConfiguration=config)
        s3.put_object(Bucket="corslog-test", Key="v1/orders", Body=b"ok", ACL="public-read")
        results = []
        for p in probes:
            headers = {}
            if p.get("origin") is not None:
                headers["Origin"] = p["origin"]
            if p.get("preflight"):
                headers["Access-Control-Request-Method"] = p.get("request_method", "PUT")
                if p.get("request_headers"):
                    headers["Access-Control-Request-Headers"] = p["request_headers"]
            conn = http.client.HTTPConnection(host, port, timeout=10)
            conn.request(p["method"], "/corslog-test/" + p["path"].lstrip("/"), headers=headers)
            r = conn.getresponse()
            r.read()
            results.append({
                "origin": p.get("origin"),
                "method": p["method"],
                "path": p["path"],
                "preflight": bool(p.get("preflight")),
                "status": r.status,
                "headers": {k.lower(): v for k, v in r.getheaders()
                            if k.lower().startswith("access-control-") or k.lower() == "vary"},
            })
            conn.close()
        return results
    finally:
        server.stop()


def cmd_http_api(path):
    cors = load_json(path)
    out = {}
    with mock_aws():
        client = boto3.client("apigatewayv2", region_name=REGION)
        try:
            api = client.create_api(Name="corslog-test", ProtocolType="HTTP", CorsConfiguration=cors)
            out["create"] = api.get("CorsConfiguration")
            other = client.create_api(Name="corslog-test-2", ProtocolType="HTTP")
            updated = client.update_api(ApiId=other["ApiId"], CorsConfiguration=cors)
            out["update"] = updated.get("CorsConfiguration")
            out["get"] = client.get_api(ApiId=other["ApiId"]).get("CorsConfiguration")
        except Exception as e:  # noqa: BLE001
            out["create"] = aws_error(e)
        # The CLI validates against the same model: a key the API does not define is refused
        # before anything is sent, so the file cannot carry a comment field.
        with_comment = dict(cors, Comment="corslog")
        try:
            client.update_api(ApiId="x", CorsConfiguration=with_comment)
            out["unknown_key"] = "accepted"
        except Exception as e:  # noqa: BLE001
            out["unknown_key"] = aws_error(e)
    return out


def cfn_lint(path):
    lint = os.path.join(os.path.dirname(sys.executable), "cfn-lint")
    r = subprocess.run([lint, "--", path], capture_output=True, text=True)
    return {"status": r.returncode, "output": (r.stdout + r.stderr).strip()}


def cmd_cfn(path):
    import yaml

    with open(path, encoding="utf-8") as f:
        template = yaml.safe_load(f)
    out = {"cfn": cfn_lint(path), "cors": template["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]}
    # The header says SAM's AWS::Serverless::HttpApi takes the same block: check that too.
    sam = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {"HttpApi": {"Type": "AWS::Serverless::HttpApi",
                                  "Properties": {"CorsConfiguration": copy.deepcopy(out["cors"])}}},
    }
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        yaml.safe_dump(sam, f)
        sam_path = f.name
    try:
        out["sam"] = cfn_lint(sam_path)
    finally:
        os.unlink(sam_path)
    return out


def cmd_rest(path):
    import yaml
    from openapi_spec_validator import validate

    with open(path, encoding="utf-8") as f:
        text = f.read()
    doc = yaml.safe_load(text)
    out = {}
    try:
        validate(doc)
        out["openapi"] = "valid"
    except Exception as e:  # noqa: BLE001
        out["openapi"] = {"error": type(e).__name__, "message": str(e)[:2000]}
    # moto 5.2.1's put_integration takes uri and httpMethod as required arguments, which a MOCK
    # integration does not have in AWS (moto then fails with a TypeError). For moto only, they are
    # added empty; everything else goes in as rendered. moto reads YAML with yaml.safe_load too.
    for_moto = copy.deepcopy(doc)
    for item in for_moto.get("paths", {}).values():
        for op in item.values():
            integ = op.get("x-amazon-apigateway-integration") if isinstance(op, dict) else None
            if integ is not None:
                integ.setdefault("uri", "")
                integ.setdefault("httpMethod", "")
    with mock_aws():
        client = boto3.client("apigateway", region_name=REGION)
        try:
            api = client.import_rest_api(body=json.dumps(for_moto).encode(), failOnWarnings=True)
        except Exception as e:  # noqa: BLE001
            out["import"] = aws_error(e)
            return out
        out["import"] = "ok"
        resources = {}
        for res in client.get_resources(restApiId=api["id"], embed=["methods"])["items"]:
            methods = res.get("resourceMethods", {})
            entry = {"methods": sorted(methods)}
            if "OPTIONS" in methods:
                integ = client.get_integration(restApiId=api["id"], resourceId=res["id"], httpMethod="OPTIONS")
                entry["integration"] = {
                    "type": integ.get("type"),
                    "requestTemplates": integ.get("requestTemplates"),
                    "responses": {code: {"responseParameters": r.get("responseParameters"),
                                         "responseTemplates": r.get("responseTemplates"),
                                         "selectionPattern": r.get("selectionPattern")}
                                  for code, r in integ.get("integrationResponses", {}).items()},
                }
                entry["methodResponses"] = sorted(
                    client.get_method(restApiId=api["id"], resourceId=res["id"], httpMethod="OPTIONS")
                    .get("methodResponses", {}))
            resources[res["path"]] = entry
        out["resources"] = resources
        # moto's import skips x-amazon-apigateway-gateway-responses; put them through the API as
        # the import would, to check that API Gateway's model takes the values.
        gateway = {}
        for kind, response in doc.get("x-amazon-apigateway-gateway-responses", {}).items():
            try:
                client.put_gateway_response(restApiId=api["id"], responseType=kind,
                                            responseParameters=response.get("responseParameters", {}))
                gateway[kind] = client.get_gateway_response(restApiId=api["id"], responseType=kind)["responseParameters"]
            except Exception as e:  # noqa: BLE001
                gateway[kind] = aws_error(e)
        out["gateway_responses"] = gateway
    return out


def cmd_vtl(path, resource, headers_path):
    """The mapping template in a real Velocity engine. What API Gateway supplies is modelled:
    `$input.params().header` is the request's header map as sent (API Gateway's own case handling
    is not known here), `$context.responseOverride.header` collects what the template sets, and a
    String has Java's whole-string `matches`."""
    import re

    import airspeed
    import yaml

    class JavaString(str):
        def matches(self, regex):
            return re.fullmatch(regex, self) is not None

    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    integ = doc["paths"][resource]["options"]["x-amazon-apigateway-integration"]
    template = airspeed.Template(integ["responses"]["default"]["responseTemplates"]["application/json"])
    results = []
    for headers in load_json(headers_path):
        header_map = {k: JavaString(v) for k, v in headers.items()}

        class Input:
            def params(self, *args):
                return {"header": header_map, "path": {}, "querystring": {}}

        context = {"responseOverride": {"header": {}}}
        template.merge({"input": Input(), "context": context})
        results.append(context["responseOverride"]["header"])
    return {"results": results}


COMMANDS = {"vtl": cmd_vtl, "parse": cmd_parse, "s3": cmd_s3, "http-api": cmd_http_api, "cfn": cmd_cfn, "rest": cmd_rest}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    print(json.dumps(COMMANDS[sys.argv[1]](*sys.argv[2:]), sort_keys=True))
