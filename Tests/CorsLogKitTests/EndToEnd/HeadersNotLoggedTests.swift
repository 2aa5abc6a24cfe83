import Foundation
import Testing
@testable import CorsLogKit

/// A log format without `Access-Control-Request-Headers` (`combined`) shows preflights but
/// not the headers they asked for. Browsers list every header that needs permission there
/// (`content-type` for a JSON body, field notes), and a preflight asking for one the answer
/// does not allow fails — so "no header seen" must not become "allow no header" or "remove
/// the policy's headers".
@Suite struct HeadersNotLoggedTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path
    let site = ["--site", "https://api.example.com"]

    private func json(_ out: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
    }

    @Test func theProposalSaysTheHeadersAreUnknown() throws {
        let combined = try runProcess(bin, ["analyze"] + site + ["--output", "json", "\(samples)/combined/"])
        let proposal = try json(combined.out)["proposal"] as! [String: Any]
        #expect(proposal["headers"] as? [String] == [])
        #expect((proposal["headers_not_logged"] as? Int ?? 0) > 1_000)
        let text = try runProcess(bin, ["analyze"] + site + ["\(samples)/combined/"])
        #expect(text.out.contains("headers:      UNKNOWN: the log format does not record Access-Control-Request-Headers"))
        // The nginx-cors samples log them: known, listed.
        let nginx = try runProcess(bin, ["analyze"] + site + ["--output", "json", "\(samples)/nginx/"])
        let known = try json(nginx.out)["proposal"] as! [String: Any]
        #expect(known["headers_not_logged"] as? Int == 0)
        #expect(known["headers"] as? [String] == ["authorization", "content-type", "x-request-id"])
    }

    @Test func thePolicyFileAndProposeSayItWhereAPersonActs() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("policy.yaml").path
        #expect(try runProcess(bin, ["analyze"] + site + ["--write-policy", policy, "\(samples)/combined/"]).status == 0)
        let yaml = try String(contentsOfFile: policy, encoding: .utf8)
        #expect(yaml.contains("# UNKNOWN: the log format does not record Access-Control-Request-Headers"))
        #expect(try runProcess(bin, ["render", "--policy", policy, "--target", "nginx"]).status == 0, "the file still loads")
        let propose = try runProcess(bin, ["propose", "--target", "nginx"] + site + ["\(samples)/combined/"])
        #expect(propose.status == 0)
        #expect(propose.err.contains("corslog: warning: headers UNKNOWN"))
        let quiet = try runProcess(bin, ["propose", "--target", "nginx"] + site + ["\(samples)/nginx/"])
        #expect(!quiet.err.contains("UNKNOWN"))
    }

    @Test func checkDoesNotCallThePolicysHeadersStale() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("policy.yaml").path
        #expect(try runProcess(bin, ["analyze"] + site + ["--write-policy", policy, "\(samples)/nginx/"]).status == 0)
        // The same traffic logged as combined: the headers cannot be told unused.
        let r = try runProcess(bin, ["check", "--policy", policy, "--output", "json", "\(samples)/combined/"])
        let report = try json(r.out)
        let findings = report["findings"] as! [[String: Any]]
        #expect(!findings.contains { $0["type"] as? String == "header" }, "\(findings)")
        #expect((report["headers_not_logged"] as? Int ?? 0) > 1_000)
        #expect(r.status == 0, "nothing to change: \(r.err)")
        let text = try runProcess(bin, ["check", "--policy", policy, "\(samples)/combined/"])
        #expect(text.out.contains("Headers not checked: the log format does not record Access-Control-Request-Headers"))
        // An nginx-cors log whose preflights asked for no header does show them unused.
        let lines = (0..<3).map { i in
            #"192.0.2.\#(i) - - [05/Nov/2025:10:00:00 +0000] "OPTIONS /v1/orders HTTP/1.1" 204 0 "-" "Mozilla/5.0" "api.example.com" "https://app.example.com" "PUT" "-" "*" "-""#
        }
        let log = dir.appendingPathComponent("access.log")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: log)
        let logged = try runProcess(bin, ["check", "--policy", policy, "--format", "nginx-cors", "--output", "json", log.path])
        let stale = (try json(logged.out)["findings"] as! [[String: Any]]).filter { $0["type"] as? String == "header" }
        #expect(stale.count == 3, "\(stale)")
        #expect(logged.status == 1)
    }

    @Test func verifySaysItsPreflightsWereReplayedWithoutTheirHeaders() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("policy.yaml").path
        #expect(try runProcess(bin, ["analyze"] + site + ["--write-policy", policy, "\(samples)/nginx/"]).status == 0)
        // A format with Origin and the requested method, not the requested headers.
        let format = #"$remote_addr [$time_local] "$request" $status "$http_origin" "$http_access_control_request_method""#
        let log = dir.appendingPathComponent("access.log")
        try Data(#"192.0.2.1 [05/Nov/2025:10:00:00 +0000] "OPTIONS /v1/orders HTTP/1.1" 204 "https://app.example.com" "PUT""#.utf8 + [0x0A])
            .write(to: log)
        let r = try runProcess(bin, ["verify", "--policy", policy, "--format", format, "--output", "json", log.path])
        let totals = try json(r.out)["totals"] as! [String: Any]
        #expect(totals["preflights_without_request_headers"] as? Int == 1, "\(r.err)")
        let text = try runProcess(bin, ["verify", "--policy", policy, "--format", format, log.path])
        #expect(text.out.contains("preflights were replayed asking for none") || text.out.contains("1 preflights were replayed"), "\(text.out)")
    }

    private func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-headers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// `fetch(url, {method: "patch"})` sends `patch` (browsers upper-case only DELETE, GET, HEAD,
/// OPTIONS, POST and PUT), which is not `PATCH` and which corslog never proposes: the
/// proposal cannot allow it, so the reports must say those requests fail.
@Suite struct UnknownMethodTests {
    let bin = PackagePaths.executable.path

    @Test func aLowerCasePatchIsNamedAsFailingNotDroppedSilently() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-patch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines: [String] = []
        for client in 1...4 {
            for day in ["05", "06"] {
                let prefix = "192.0.2.\(client) - - [\(day)/Nov/2025:10:00:00 +0000]"
                lines.append(#"\#(prefix) "OPTIONS /v1/x HTTP/1.1" 204 0 "-" "Mozilla/5.0" "api.example.com" "https://app.example.com" "patch" "-" "*" "-""#)
                lines.append(#"\#(prefix) "patch /v1/x HTTP/1.1" 200 0 "-" "Mozilla/5.0" "api.example.com" "https://app.example.com" "-" "-" "*" "-""#)
                lines.append(#"\#(prefix) "PUT /v1/x HTTP/1.1" 200 0 "-" "Mozilla/5.0" "api.example.com" "https://app.example.com" "-" "-" "*" "-""#)
            }
        }
        let log = dir.appendingPathComponent("access.log")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: log)
        let args = ["analyze", "--format", "nginx-cors", "--site", "https://api.example.com"]
        let r = try runProcess(bin, args + ["--output", "json", log.path])
        let proposal = (try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any])["proposal"] as! [String: Any]
        #expect(proposal["methods"] as? [String] == ["PUT"], "never the lower-case name")
        #expect(proposal["other_methods"] as? Int == 16)
        #expect(proposal["other_method_examples"] as? [String] == ["patch"])
        let text = try runProcess(bin, args + [log.path])
        #expect(text.out.contains("Besides, by their method: 16 requests and preflights of the allowed origins used a method corslog cannot allow (patch): they would fail."))
        let policy = dir.appendingPathComponent("policy.yaml").path
        #expect(try runProcess(bin, args + ["--write-policy", policy, log.path]).status == 0)
        let yaml = try String(contentsOfFile: policy, encoding: .utf8)
        #expect(yaml.contains("# NOT PROPOSABLE: 16 requests and preflights"))
        #expect(!yaml.contains("(patch)"), "log text stays out of the policy file")
        // Through a summary and merge, the examples stay.
        let summary = dir.appendingPathComponent("s.json").path
        #expect(try runProcess(bin, args + ["--summary-out", summary, "--output", "json", log.path]).status == 0)
        let merged = try runProcess(bin, ["merge", "--output", "json", summary])
        let mp = (try JSONSerialization.jsonObject(with: Data(merged.out.utf8)) as! [String: Any])["proposal"] as! [String: Any]
        #expect(mp["other_method_examples"] as? [String] == ["patch"])
        let propose = try runProcess(bin, ["propose", "--target", "nginx", "--format", "nginx-cors", "--site", "https://api.example.com", log.path])
        #expect(propose.err.contains("corslog cannot allow (patch)"))
    }
}

/// A server that echoes the Origin, logged by a format with Access-Control-Allow-Origin but
/// without -Credentials: whether it allows credentials today is unknown, so "credentials: no"
/// must say so (a reflecting server very often answers `true`, and pages that send cookies
/// break without it).
@Suite struct CredentialsNotLoggedTests {
    let bin = PackagePaths.executable.path
    let format = #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$host" "$http_origin" "$http_access_control_request_method" "$http_access_control_request_headers" "$sent_http_access_control_allow_origin""#

    private func log(in dir: URL, acao: String) throws -> String {
        var lines: [String] = []
        for client in 1...4 {
            for day in ["05", "06"] {
                lines.append(#"192.0.2.\#(client) - - [\#(day)/Nov/2025:10:00:00 +0000] "GET /v1/me HTTP/1.1" 200 10 "-" "Mozilla/5.0" "api.example.com" "https://app.example.com" "-" "-" "\#(acao)""#)
            }
        }
        let file = dir.appendingPathComponent("access-\(acao == "*" ? "wildcard" : "echo").log")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        return file.path
    }

    @Test func credentialsAreUnknownWhenTheServerEchoesAndTheFormatLacksThem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-cred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let args = ["analyze", "--format", format, "--site", "https://api.example.com"]
        let echo = try log(in: dir, acao: "https://app.example.com")
        let r = try runProcess(bin, args + ["--output", "json", echo])
        let proposal = (try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any])["proposal"] as! [String: Any]
        #expect(proposal["credentials"] as? Bool == false)
        #expect(proposal["credentials_not_logged"] as? Int == 8)
        let text = try runProcess(bin, args + [echo])
        #expect(text.out.contains("credentials:  no, but UNKNOWN: the server echoed the Origin to 8 requests"))
        let policy = dir.appendingPathComponent("policy.yaml").path
        #expect(try runProcess(bin, args + ["--write-policy", policy, echo]).status == 0)
        #expect(try String(contentsOfFile: policy, encoding: .utf8).contains("not record Access-Control-Allow-Credentials"))
        let propose = try runProcess(bin, ["propose", "--target", "nginx", "--format", format, "--site", "https://api.example.com", echo])
        #expect(propose.err.contains("corslog: warning: credentials no, but UNKNOWN"))
        // `--credentials` settles it; `*` today means no page sends credentials (browsers refuse `*` with them).
        let settled = try runProcess(bin, args + ["--credentials", "--output", "json", echo])
        let sp = (try JSONSerialization.jsonObject(with: Data(settled.out.utf8)) as! [String: Any])["proposal"] as! [String: Any]
        #expect(sp["credentials"] as? Bool == true && sp["credentials_not_logged"] as? Int == 0)
        let wildcard = try runProcess(bin, args + ["--output", "json", try log(in: dir, acao: "*")])
        let wp = (try JSONSerialization.jsonObject(with: Data(wildcard.out.utf8)) as! [String: Any])["proposal"] as! [String: Any]
        #expect(wp["credentials_not_logged"] as? Int == 0)
    }
}
