import Foundation
import Testing
@testable import CorsLogKit

/// `corslog check` as a cron job runs it: the samples against the policy
/// `analyze --write-policy` wrote, as written and as a person edited it.
@Suite struct CheckCommandTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path

    /// A temporary folder with `written.yaml` (the proposal) and `edited.yaml`: www.example.com
    /// dropped, https://old.example.com added, PATCH dropped, header x-legacy added.
    private func policies() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let written = dir.appendingPathComponent("written.yaml")
        let a = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--write-policy", written.path, "\(samples)/nginx/"])
        #expect(a.status == 0, "\(a.err)")
        var text = try String(contentsOf: written, encoding: .utf8)
        for (old, new) in [("  - https://www.example.com\n", "  - https://old.example.com\n"),
                           ("methods: [DELETE, PATCH, PUT]", "methods: [DELETE, PUT]"),
                           ("headers: [authorization, content-type, x-request-id]",
                            "headers: [authorization, content-type, x-legacy, x-request-id]")] {
            #expect(text.contains(old), "the written policy has \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        try text.write(to: dir.appendingPathComponent("edited.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    private func clean(_ s: String, _ dir: URL) -> String {
        s.replacingOccurrences(of: dir.path, with: "DIR").replacingOccurrences(of: samples, with: "samples")
    }

    private func json(_ s: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(s.utf8)) as! [String: Any]
    }

    @Test func theWrittenPolicyAgainstItsOwnLogsHasNothingToDo() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("written.yaml").path
        let r = try runProcess(bin, ["check", "--policy", policy, "\(samples)/nginx/"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("Nothing to do"))
        #expect(r.out.contains("https://app.example.com.evil.test"), "suspicious origins are reported, informational")
        #expect(r.out.contains("header x-forged-header"), "one client's forged preflights too")
        let quiet = try runProcess(bin, ["check", "--quiet", "--policy", policy, "\(samples)/nginx/"])
        #expect(quiet.status == 0 && quiet.out.isEmpty && quiet.err.isEmpty, "cron mails nothing")
        let strict = try runProcess(bin, ["check", "--quiet", "--fail-on", "suspicious", "--policy", policy, "\(samples)/nginx/"])
        #expect(strict.status == 1)
        #expect(strict.out.contains("lookalike"))
    }

    @Test func anEditedPolicyIsToldWhatToChangeAndExits1() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("edited.yaml").path
        for (output, name) in [("text", "check-samples.txt"), ("markdown", "check-samples.md"), ("json", "check-samples.json")] {
            let r = try runProcess(bin, ["check", "--quiet", "--output", output, "--policy", policy, "\(samples)/nginx/"])
            #expect(r.status == 1, "\(output): \(r.err)")
            Expected.check(clean(r.out, dir), named: name)
        }
        // --output html: the text report, escaped, in a self-contained page.
        let text = try runProcess(bin, ["check", "--output", "text", "--policy", policy, "\(samples)/nginx/"])
        let page = try runProcess(bin, ["check", "--output", "html", "--policy", policy, "\(samples)/nginx/"])
        #expect(page.status == 1, "\(page.err)")
        #expect(page.out.hasPrefix("<!DOCTYPE html>") && page.out.contains("<pre>" + HTMLReport.escape(text.out) + "</pre>"))
        let r = try runProcess(bin, ["check", "--output", "json", "--policy", policy, "\(samples)/nginx/"])
        let report = try json(r.out)
        let findings = report["findings"] as! [[String: Any]]
        let seen = findings.map { "\($0["kind"]!) \($0["type"]!) \($0["subject"]!)" }
        #expect(seen == ["new-origin origin https://www.example.com",
                         "stale origin https://old.example.com",
                         "stale header x-legacy",
                         "refused-preflight method PATCH",
                         "suspicious origin https://app.example.com.evil.test",
                         "suspicious header x-forged-header"])
        #expect(findings.map { $0["counts"] as! Bool } == [true, true, true, true, false, false])
        #expect(report["policy_should_change"] as? Bool == true)
        #expect(report["exit_status"] as? Int == 1)
        #expect((report["window"] as! [String: Any])["as_of"] as? String == "2025-11-07")
        // Stable and sorted: a second run is byte for byte the same, and re-sorting changes nothing.
        let again = try runProcess(bin, ["check", "--output", "json", "--policy", policy, "\(samples)/nginx/"])
        #expect(again.out == r.out)
        let resorted = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        let keys = { (s: String) in s.split(separator: "\n").compactMap { $0.split(separator: "\"").dropFirst().first }.map(String.init) }
        #expect(keys(String(decoding: resorted, as: UTF8.self)) == keys(r.out))
    }

    @Test func failOnAndStaleAfterChooseWhatCounts() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("edited.yaml").path
        let none = try runProcess(bin, ["check", "--quiet", "--fail-on", "none", "--policy", policy, "\(samples)/nginx/"])
        #expect(none.status == 0 && none.out.isEmpty)
        let onlyErrors = try runProcess(bin, ["check", "--fail-on", "preflight-errors", "--policy", policy, "\(samples)/nginx/"])
        #expect(onlyErrors.status == 0)
        #expect(onlyErrors.out.contains("Nothing to do"))
        #expect(onlyErrors.out.contains("https://old.example.com"), "without --quiet the findings are still shown")
        let stale = try runProcess(bin, ["check", "--fail-on", "stale", "--output", "json", "--stale-after", "3", "--policy", policy, "\(samples)/nginx/"])
        #expect(stale.status == 1)
        let subjects = (try json(stale.out)["findings"] as! [[String: Any]]).filter { $0["kind"] as? String == "stale" }
            .map { $0["subject"] as! String }
        // rare.partner.example is not in the policy; dashboard.partner-two.io was last seen 2025-11-06, 1 day before.
        #expect(subjects == ["https://old.example.com", "x-legacy"])
        let later = try runProcess(bin, ["check", "--fail-on", "stale", "--output", "json", "--stale-after", "3", "--as-of", "2025-11-09",
                                         "--policy", policy, "\(samples)/nginx/"])
        let laterSubjects = (try json(later.out)["findings"] as! [[String: Any]]).filter { $0["kind"] as? String == "stale" }
            .map { $0["subject"] as! String }
        // As of 2025-11-09, dashboard.partner-two.io (last seen 2025-11-06) and x-request-id, which only it asks for, are stale too.
        #expect(laterSubjects == ["https://dashboard.partner-two.io", "https://old.example.com", "x-legacy", "x-request-id"])
    }

    @Test func inputErrorsExit3UnlessThePolicyShouldChange() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("missing.log").path
        let ok = try runProcess(bin, ["check", "--quiet", "--policy", dir.appendingPathComponent("written.yaml").path,
                                      "\(samples)/nginx/", missing])
        #expect(ok.status == 3)
        #expect(ok.out.contains("missing.log"), "--quiet still prints: there is something to say")
        let both = try runProcess(bin, ["check", "--quiet", "--output", "json", "--policy", dir.appendingPathComponent("edited.yaml").path,
                                        "\(samples)/nginx/", missing])
        #expect(both.status == 1, "the policy-should-change signal wins; the report names the input error")
        let report = try json(both.out)
        #expect((report["input"] as! [String: Any])["complete"] as? Bool == false)
        let files = (report["input"] as! [String: Any])["files"] as! [[String: Any]]
        #expect((files.last?["error"] as? String)?.contains("No such file") == true)
    }

    @Test func failingPreflightsOfAllowedOriginsArePreflightErrors() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines: [String] = []
        for (i, status) in [502, 502, 404, 204].enumerated() {
            lines.append("203.0.113.\(10 + i) - - [07/Nov/2025:12:00:0\(i) +0000] \"OPTIONS /v1/orders/1234 HTTP/1.1\" \(status) 0 "
                + "\"https://app.example.com/\" \"Mozilla/5.0\" \"api.example.com\" \"https://app.example.com\" \"PUT\" "
                + "\"authorization,content-type\" \"-\" \"-\"")
        }
        let extra = dir.appendingPathComponent("errors.log")
        try (lines.joined(separator: "\n") + "\n").write(to: extra, atomically: true, encoding: .utf8)
        let policy = dir.appendingPathComponent("written.yaml").path
        let r = try runProcess(bin, ["check", "--output", "json", "--policy", policy, "\(samples)/nginx/", extra.path])
        #expect(r.status == 1, "\(r.err)")
        let errors = (try json(r.out)["findings"] as! [[String: Any]]).filter { $0["kind"] as? String == "preflight-errors" }
        #expect(errors.count == 1)
        #expect(errors.first?["subject"] as? String == "https://app.example.com")
        #expect(errors.first?["errors"] as? Int == 3)
        #expect(errors.first?["statuses"] as? [String: Int] == ["404": 1, "502": 2])
        let md = try runProcess(bin, ["check", "--output", "markdown", "--policy", policy, "\(samples)/nginx/", extra.path])
        #expect(md.out.contains("## Preflight errors"))
        #expect(md.out.contains("3 of 1,115 preflights (0.3%)"))
        let ignored = try runProcess(bin, ["check", "--quiet", "--fail-on", "new-origin,stale", "--policy", policy, "\(samples)/nginx/", extra.path])
        #expect(ignored.status == 0 && ignored.out.isEmpty)
    }

    @Test func usageDataAndNoInputErrors() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("written.yaml").path
        for args in [["--fail-on", "bogus"], ["--fail-on", "none,stale"], ["--stale-after", "0"], ["--as-of", "7 Nov"]] {
            let r = try runProcess(bin, ["check", "--policy", policy] + args + ["\(samples)/nginx/"])
            #expect(r.status == 64, "\(args): \(r.err)")
        }
        #expect(try runProcess(bin, ["check", "\(samples)/nginx/"]).status == 64, "--policy is required")
        let bad = dir.appendingPathComponent("bad.yaml")
        try "version: 1\norigins:\n  - https://app.example.com\n  - https://app.example.com/\n".write(to: bad, atomically: true, encoding: .utf8)
        let broken = try runProcess(bin, ["check", "--policy", bad.path, "\(samples)/nginx/"])
        #expect(broken.status == 65)
        #expect(broken.err.contains("bad.yaml:4:"), "\(broken.err)")
        #expect(broken.out.isEmpty)
        #expect(try runProcess(bin, ["check", "--policy", dir.appendingPathComponent("nope.yaml").path, "\(samples)/nginx/"]).status == 66)
        #expect(try runProcess(bin, ["check", "--policy", policy, dir.appendingPathComponent("nope.log").path]).status == 66)
    }

    @Test func nothingHostileFromTheLogsReachesTheReport() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("access.log")
        try HostileInputTests.hostileLog().write(to: log, atomically: true, encoding: .utf8)
        let policy = dir.appendingPathComponent("partner.yaml")
        try "version: 1\nsite: [https://api.example.com]\norigins: [https://shop.partner.example]\nmethods: [PUT]\n"
            .write(to: policy, atomically: true, encoding: .utf8)
        for output in ["text", "markdown", "json", "html"] {
            let r = try runProcess(bin, ["check", "--format", "nginx-cors", "--output", output, "--policy", policy.path, log.path])
            #expect(r.status == 1, "\(output): \(r.err)")
            #expect(r.out.contains("content-type"), "the partner's real header is a refused preflight")
            #expect(!r.out.lowercased().contains("hostile"), "\(output)")
        }
    }

    @Test func theSiteComesFromThePolicyWhenNotGiven() throws {
        let dir = try policies()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runProcess(bin, ["check", "--output", "json", "--policy", dir.appendingPathComponent("written.yaml").path, "\(samples)/nginx/"])
        let site = try json(r.out)["site"] as! [String: Any]
        #expect(site["origins"] as? [String] == ["https://api.example.com"])
        #expect(site["source"] as? String == "policy")
        let flag = try runProcess(bin, ["check", "--output", "json", "--site", "https://api.example.com",
                                        "--policy", dir.appendingPathComponent("written.yaml").path, "\(samples)/nginx/"])
        #expect((try json(flag.out)["site"] as! [String: Any])["source"] as? String == "flag")
    }
}

private extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        components(separatedBy: a).joined(separator: b)
    }
}
