import Foundation
import Testing
@testable import CorsLogKit

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

