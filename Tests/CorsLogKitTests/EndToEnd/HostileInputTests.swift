import Foundation
import Testing
@testable import CorsLogKit

/// Logs are attacker-written: hostile Origin, header and path values pushed
/// through analyze → policy file → every target must leave no trace in the
/// output, and the output must still pass the server's own check.
@Suite struct HostileInputTests {
    /// Values that are not origins, each carrying the marker HOSTILE in a part
    /// that normalisation cannot change.
    static let hostileOrigins = [
        "https://app.example.com\";HOSTILE{}",
        "https://app.example.com$HOSTILE",
        "https://app.example.com\\HOSTILE",
        "https://app.example.com\r\nX-HOSTILE: 1",
        "https://app.example.com HOSTILE",
        "https://app.example.com|.*HOSTILE",
        "https://(HOSTILE)?.example.com",
        "https://app.example.com/HOSTILE",
        "https://HOSTILE@app.example.com",
        "https://bücher-HOSTILE.example",
        "https://app.example.com:443'HOSTILE",
        "https://" + String(repeating: "a", count: 10_000) + "HOSTILE.example",
    ]
    static let hostileHeaders = "x-HOSTILE;a, x{HOSTILE}, $HOSTILE, x-HOSTILE\\, \"HOSTILE\""

    /// An nginx-cors log in which every hostile value has five clients on three days
    /// (enough evidence to be allowed, were it an origin), next to a real partner.
    static func hostileLog() -> String {
        func escape(_ s: String) -> String {
            var out = ""
            for b in s.utf8 {
                if b == 0x22 || b == 0x5C || b < 0x20 || b > 0x7E { out += "\\x" + String(b, radix: 16, uppercase: true).leftPadded(2) }
                else { out.unicodeScalars.append(Unicode.Scalar(b)) }
            }
            return out
        }
        var lines: [String] = []
        for (i, o) in (hostileOrigins + ["https://shop.partner.example"]).enumerated() {
            for client in 0..<5 {
                let day = 1 + client % 3
                let path = escape("/v1/{HOSTILE};$x\"/\(i)")
                lines.append("192.0.2.\(client + 1) - - [0\(day)/Nov/2025:10:00:00 +0000] \"OPTIONS \(path) HTTP/1.1\" 204 0 \"-\" \"UA\" \"api.example.com\" \"\(escape(o))\" \"PUT\" \"\(escape(hostileHeaders + ", content-type"))\" \"*\" \"-\"")
                lines.append("192.0.2.\(client + 1) - - [0\(day)/Nov/2025:10:00:01 +0000] \"PUT \(path) HTTP/1.1\" 200 10 \"-\" \"UA\" \"api.example.com\" \"\(escape(o))\" \"-\" \"-\" \"*\" \"-\"")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func nothingHostileReachesAnyTargetAndTheConfigStillChecks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("access.log")
        try Self.hostileLog().write(to: log, atomically: true, encoding: .utf8)
        let policyFile = dir.appendingPathComponent("policy.yaml")
        let bin = PackagePaths.executable.path

        let analyze = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--format", "nginx-cors",
                                           "--write-policy", policyFile.path, log.path])
        #expect(analyze.status == 0, "\(analyze.err)")
        let policy = try String(contentsOf: policyFile, encoding: .utf8)
        #expect(!policy.contains("HOSTILE"))
        #expect(policy.contains("- https://shop.partner.example"))
        #expect(policy.contains("headers: [content-type]"))

        for target in RenderTargets.names {
            let snippet = try runProcess(bin, ["render", "--policy", policyFile.path, "--target", target])
            #expect(snippet.status == 0, "\(target): \(snippet.err)")
            #expect(!snippet.out.contains("HOSTILE"), "\(target) snippet")
            #expect(snippet.out.contains("partner"), "\(target) snippet names the partner")
            let standalone = try runProcess(bin, ["render", "--policy", policyFile.path, "--target", target, "--standalone",
                                                  "--listen", "127.0.0.1:18080", "--access-log", dir.appendingPathComponent("\(target).log").path])
            if standalone.err.contains("has no standalone form") {
                // Targets without one (symfony, aws-*) say so with a usage error; their snippet is the whole file.
                #expect(standalone.status == 64, "\(target)")
            } else {
                #expect(standalone.status == 0, "\(target): \(standalone.err)")
            }
            #expect(!standalone.out.contains("HOSTILE"), "\(target) standalone")
            if target == "nginx", FileManager.default.isExecutableFile(atPath: RealNginx.binary) {
                let conf = dir.appendingPathComponent("nginx.conf")
                try standalone.out.write(to: conf, atomically: true, encoding: .utf8)
                let check = try runProcess(RealNginx.binary, ["-t", "-p", dir.path, "-c", conf.path, "-e", dir.appendingPathComponent("error.log").path])
                #expect(check.status == 0, "nginx -t: \(check.err)")
            }
            if target == "express", FileManager.default.isExecutableFile(atPath: RealLibraries.node) {
                let app = dir.appendingPathComponent("app.js")
                try standalone.out.write(to: app, atomically: true, encoding: .utf8)
                let check = try runProcess(RealLibraries.node, ["--check", app.path])
                #expect(check.status == 0, "node --check: \(check.err)")
            }
            if target == "symfony", Nelmio.present {
                let check = try Nelmio.check(snippet.out)
                #expect(check.status == 0, "Symfony YAML / NelmioCorsBundle keys: \(check.err)")
                #expect(check.out.contains("https://shop.partner.example"))
            }
            if target == "haproxy", FileManager.default.isExecutableFile(atPath: RealHAProxy.binary) {
                let conf = dir.appendingPathComponent("haproxy.cfg")
                try standalone.out.write(to: conf, atomically: true, encoding: .utf8)
                let check = try runProcess(RealHAProxy.binary, ["-c", "-f", conf.path])
                #expect(check.status == 0, "haproxy -c: \(check.err)")
                #expect(!check.err.contains("WARNING"), "haproxy -c: \(check.err)")
            }
            if target == "caddy", FileManager.default.isExecutableFile(atPath: RealCaddy.binary) {
                let conf = dir.appendingPathComponent("Caddyfile")
                try standalone.out.write(to: conf, atomically: true, encoding: .utf8)
                let check = try RealCaddy.validate(conf, in: dir)
                #expect(check.status == 0, "caddy validate: \(check.out)")
            }
            if target == "flask" || target == "django", FileManager.default.isExecutableFile(atPath: RealLibraries.python) {
                let app = dir.appendingPathComponent("\(target)_app.py")
                try standalone.out.write(to: app, atomically: true, encoding: .utf8)
                let compile = try runProcess(RealLibraries.python, ["-m", "py_compile", app.path])
                #expect(compile.status == 0, "\(target) py_compile: \(compile.err)")
                if target == "django", RealLibraries.pythonHas("django", "corsheaders") {
                    let check = try runProcess(RealLibraries.python, [app.path, "check", "--fail-level", "WARNING"])
                    #expect(check.status == 0, "django check: \(check.out) \(check.err)")
                }
            }
            if target == "apache", FileManager.default.isExecutableFile(atPath: RealApache.binary) {
                let conf = dir.appendingPathComponent("httpd.conf")
                try standalone.out.write(to: conf, atomically: true, encoding: .utf8)
                let check = try runProcess(RealApache.binary, ["-t", "-f", conf.path])
                #expect(check.status == 0, "apache2 -t: \(check.err)")
            }
            // The AWS targets have no standalone: their snippet is what AWS reads, so check that.
            let awsCheck = ["aws-http-api": "http-api", "aws-s3": "s3", "aws-http-api-cfn": "cfn", "aws-rest-api": "rest"]
            if let command = awsCheck[target], RealLibraries.available(RealLibraries.pythonHas("boto3", "moto", "openapi_spec_validator")) {
                let out = try AWSCheck.run(command, snippet.out)
                switch command {
                case "s3": #expect(out["put"] as? String == "ok", "put-bucket-cors: \(out)")
                case "http-api": #expect(out["get"] is [String: Any], "apigatewayv2: \(out)")
                case "cfn": #expect((out["cfn"] as? [String: Any])?["status"] as? Int == 0, "cfn-lint: \(out)")
                default:
                    #expect(out["openapi"] as? String == "valid", "openapi-spec-validator: \(out)")
                    #expect(out["import"] as? String == "ok", "import_rest_api: \(out)")
                }
            }
        }
        // The text report shows them only escaped.
        let report = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--format", "nginx-cors", log.path])
        #expect(!report.out.contains("\r"))
        #expect(!report.out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }
}
