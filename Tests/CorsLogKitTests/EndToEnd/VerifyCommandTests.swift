import Foundation
import Testing
@testable import CorsLogKit

/// `corslog verify` on the samples against the policy `analyze --write-policy` wrote, and
/// against edited copies.
@Suite struct VerifyCommandTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path

    /// A temporary folder with `written.yaml` and `edited.yaml` (www.example.com and PATCH removed).
    private func policies() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let written = dir.appendingPathComponent("written.yaml")
        let a = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--write-policy", written.path, "\(samples)/nginx/"])
        #expect(a.status == 0, "\(a.err)")
        var text = try String(contentsOf: written, encoding: .utf8)
        for (old, new) in [("  - https://www.example.com\n", ""), ("methods: [DELETE, PATCH, PUT]", "methods: [DELETE, PUT]")] {
            #expect(text.contains(old), "the written policy has \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(to: dir.appendingPathComponent("edited.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    private func json(_ s: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(s.utf8)) as! [String: Any]
    }

    private func rows(_ report: [String: Any]) -> [[String: Any]] { report["entries"] as! [[String: Any]] }

    @Test func theWrittenPolicyRefusesOnlyWhatAnalyzeDenied() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("written.yaml").path
        for (output, name) in [("text", "verify-samples.txt"), ("markdown", "verify-samples.md"), ("json", "verify-samples.json")] {
            let r = try runProcess(bin, ["verify", "--output", output, "--policy", policy, "\(samples)/nginx/"])
            #expect(r.status == 1, "the development, insecure and lookalike origins would fail: \(r.err)")
            Expected.check(r.out.replacingOccurrences(of: dir.path, with: "DIR").replacingOccurrences(of: samples, with: "samples"), named: name)
        }
        let report = try json(try runProcess(bin, ["verify", "--output", "json", "--policy", policy, "\(samples)/nginx/"]).out)
        let failing = rows(report).filter { ($0["failing"] as! Int) > 0 }
        let origins = Set(failing.map { $0["origin"] as! String })
        #expect(origins == ["http://app.example.com", "http://localhost:3000", "https://app.example.com.evil.test",
                            "https://rare.partner.example", "https://app.example.com"])
        let app = failing.filter { ($0["origin"] as! String) == "https://app.example.com" }
        #expect(app.count == 1 && (app[0]["reasons"] as! [[String: Any]]).first?["detail"] as? String == "x-forged-header",
                "of the allowed origins, only the one client's forged header fails")
        let totals = report["totals"] as! [String: Any]
        #expect(totals["null_origin"] as? Int == 12)
        #expect(totals["invalid_origin"] as? Int == 4)
        #expect(report["exit_status"] as? Int == 1)
    }

    @Test func anOriginRemovedFailsItsRequestsAndAMethodRemovedItsPreflights() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        let written = try json(try runProcess(bin, ["verify", "--output", "json", "--policy", dir.appendingPathComponent("written.yaml").path,
                                                    "\(samples)/nginx/"]).out)
        let r = try runProcess(bin, ["verify", "--output", "json", "--policy", dir.appendingPathComponent("edited.yaml").path, "\(samples)/nginx/"])
        #expect(r.status == 1)
        let edited = try json(r.out)
        let www = rows(edited).filter { ($0["origin"] as! String) == "https://www.example.com" }
        #expect(!www.isEmpty)
        #expect(www.allSatisfy { ($0["failing"] as! Int) == ($0["requests"] as! Int) }, "every request of the removed origin fails")
        #expect(www.allSatisfy { (($0["reasons"] as! [[String: Any]]).map { $0["code"] as! String }) == ["no-allow-origin"] })
        let patch = rows(edited).filter { ($0["method"] as! String) == "PATCH" }
        #expect(!patch.isEmpty)
        #expect(patch.allSatisfy { ($0["failing"] as! Int) == ($0["requests"] as! Int) })
        #expect(patch.contains { ($0["kind"] as! String) == "preflight" })
        #expect(patch.allSatisfy { (($0["reasons"] as! [[String: Any]]).first?["detail"] as? String) == "PATCH" })
        let before = (written["totals"] as! [String: Any])["failing"] as! Int
        let after = (edited["totals"] as! [String: Any])["failing"] as! Int
        let added = www.map { $0["failing"] as! Int }.reduce(0, +) + patch.map { $0["failing"] as! Int }.reduce(0, +)
        #expect(after == before + added, "nothing else changed")
        let text = try runProcess(bin, ["verify", "--policy", dir.appendingPathComponent("edited.yaml").path, "\(samples)/nginx/"]).out
        #expect(text.contains("method-not-allowed PATCH"))
    }

    @Test func exitCodes() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("written.yaml").path
        // A policy that lists every origin the samples' browsers used (but null): nothing would fail.
        let everything = dir.appendingPathComponent("everything.yaml")
        var text = try String(contentsOf: URL(fileURLWithPath: policy), encoding: .utf8)
        text = text.replacingOccurrences(of: "origins:\n", with: "origins:\n  - http://app.example.com\n  - http://localhost:3000\n"
            + "  - https://app.example.com.evil.test\n  - https://rare.partner.example\n")
        text = text.replacingOccurrences(of: "headers: [authorization, content-type, x-request-id]",
                                         with: "headers: [authorization, content-type, x-forged-header, x-request-id]")
        try text.write(to: everything, atomically: true, encoding: .utf8)
        let clean = dir.appendingPathComponent("no-null.log")
        let log = try String(contentsOfFile: "\(samples)/nginx/access.log", encoding: .utf8)
        try log.split(separator: "\n").filter { !$0.contains("\"null\"") }.joined(separator: "\n").appending("\n")
            .write(to: clean, atomically: true, encoding: .utf8)
        let ok = try runProcess(bin, ["verify", "--policy", everything.path, clean.path])
        #expect(ok.status == 0, "\(ok.out)\(ok.err)")
        #expect(ok.out.contains("Nothing would fail"))

        #expect(try runProcess(bin, ["verify", "--policy", dir.appendingPathComponent("missing.yaml").path, "\(samples)/nginx/"]).status == 66)
        let bad = dir.appendingPathComponent("bad.yaml")
        try "version: 1\norigins: [https://app.example.com/]\n".write(to: bad, atomically: true, encoding: .utf8)
        let badRun = try runProcess(bin, ["verify", "--policy", bad.path, "\(samples)/nginx/"])
        #expect(badRun.status == 65)
        #expect(badRun.err.contains("bad.yaml:2"))
        let combined = dir.appendingPathComponent("combined.log")
        try "203.0.113.9 - - [01/Nov/2025:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"https://app.example.com/\" \"x\"\n"
            .write(to: combined, atomically: true, encoding: .utf8)
        let noOrigin = try runProcess(bin, ["verify", "--format", "combined", "--policy", policy, combined.path])
        #expect(noOrigin.status == 65)
        #expect(noOrigin.err.contains("needs the Origin header"))
        #expect(try runProcess(bin, ["verify", "--state", dir.appendingPathComponent("s").path, "--policy", policy, clean.path]).status == 64)
        let partial = try runProcess(bin, ["verify", "--policy", everything.path, clean.path, dir.appendingPathComponent("gone.log").path])
        #expect(partial.status == 3, "nothing would fail, but a file is missing")
        let both = try runProcess(bin, ["verify", "--policy", policy, clean.path, dir.appendingPathComponent("gone.log").path])
        #expect(both.status == 1, "1 wins over 3")
        #expect(both.out.contains("Input errors"))
    }
}
