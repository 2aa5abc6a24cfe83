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

    /// JSON lines (Traefik keeps only the request headers it is told to): without the key on
    /// any preflight, the headers are unknown; the shipped JSON sample has it, so they are known.
    @Test func jsonLinesWithoutTheKeyLeaveTheHeadersUnknown() throws {
        let dir = try temporaryDirectory("headers")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = try String(contentsOfFile: "\(samples)/json/access.json", encoding: .utf8)
        let stripped = sample.replacingOccurrences(of: #"[,]?"http_access_control_request_headers":"[^"]*""#, with: "", options: .regularExpression)
        #expect(!stripped.contains("http_access_control_request_headers"))
        let file = dir.appendingPathComponent("access.json")
        try Data(stripped.utf8).write(to: file)
        let r = try runProcess(bin, ["analyze"] + site + ["--output", "json", file.path])
        let proposal = try json(r.out)["proposal"] as! [String: Any]
        #expect((proposal["headers_not_logged"] as? Int ?? 0) > 100, "\(r.err)")
        let known = try runProcess(bin, ["analyze"] + site + ["--output", "json", "\(samples)/json/"])
        #expect((try json(known.out)["proposal"] as! [String: Any])["headers_not_logged"] as? Int == 0)
    }

    @Test func thePolicyFileAndProposeSayItWhereAPersonActs() throws {
        let dir = try temporaryDirectory("headers")
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
        let dir = try temporaryDirectory("headers")
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
        let dir = try temporaryDirectory("headers")
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
}

