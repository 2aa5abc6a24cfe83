import Foundation
import Testing
@testable import CorsLogKit

/// The `corslog` executable as a person runs it, on the shipped samples.
@Suite struct CommandLineTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path

    @Test func analyzeOnTheNginxSamplesMatchesTheRecordedReports() throws {
        for (output, name) in [("json", "samples-nginx.json"), ("text", "samples-nginx.txt"), ("markdown", "samples-nginx.md"), ("html", "samples-nginx.html")] {
            // zlib: the report names the gzip backend, and ISA-L may or may not be installed.
            let r = try runProcess(bin, ["analyze", "--inflate", "zlib", "--site", "https://api.example.com", "--output", output, "\(samples)/nginx/"])
            #expect(r.status == 0, "\(r.err)")
            Expected.check(r.out.replacingOccurrences(of: samples, with: "samples"), named: name)
        }
    }

    @Test func theSamplesProposalIsWhatTheTrafficJustifies() throws {
        let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--output", "json", "\(samples)/nginx/"])
        let report = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        let proposal = report["proposal"] as! [String: Any]
        #expect(proposal["origins"] as? [String] == ["https://app.example.com", "https://dashboard.partner-two.io",
                                                     "https://shop.partner.example", "https://www.example.com"])
        #expect(proposal["methods"] as? [String] == ["DELETE", "PATCH", "PUT"])
        #expect(proposal["headers"] as? [String] == ["authorization", "content-type", "x-request-id"])
        let held = proposal["held_headers"] as? [[String: Any]]
        #expect(held?.first?["name"] as? String == "x-forged-header", "one client's forged preflights are held back")
        let input = report["input"] as! [String: Any]
        let files = (input["files"] as! [[String: Any]]).map { ($0["path"] as! String).split(separator: "/").last! }
        #expect(files == ["access.log.2.gz", "access.log.1", "access.log"], "a logrotate set is read oldest first")
        #expect(input["skipped"] as? Int == 1)
        let format = report["format"] as! [String: Any]
        #expect(format["name"] as? String == "nginx-cors")
        #expect(format["detected"] as? Bool == true)
    }

    @Test func everySampleFormatGivesTheSameDecisions() throws {
        func decisions(_ args: [String]) throws -> [String: String] {
            let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--output", "json"] + args)
            #expect(r.status == 0, "\(args): \(r.err)")
            let report = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
            var out: [String: String] = [:]
            for o in report["origins"] as! [[String: Any]] { out[o["origin"] as! String] = o["decision"] as? String }
            return out
        }
        let nginx = try decisions(["\(samples)/nginx/"])
        #expect(try decisions(["--format", "apache-cors", "\(samples)/apache/access_log"]) == nginx)
        #expect(try decisions(["--format", "json", "\(samples)/json/access.json"]) == nginx)
        #expect(try decisions(["\(samples)/json/access.json"]) == nginx, "json detected")
    }

    @Test func theFormatCanComeFromTheServersOwnConfig() throws {
        let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--output", "json",
                                     "--format-file", "\(samples)/config/nginx.conf", "--format-name", "cors", "\(samples)/nginx/"])
        #expect(r.status == 0, "\(r.err)")
        let report = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        #expect((report["format"] as! [String: Any])["detected"] as? Bool == false)
        #expect((report["input"] as! [String: Any])["parsed"] as? Int == 4866)
        let ambiguous = try runProcess(bin, ["analyze", "--format-file", "\(samples)/config/nginx.conf", "\(samples)/nginx/"])
        #expect(ambiguous.status == 65)
        #expect(ambiguous.err.contains("main") && ambiguous.err.contains("cors"), "names the formats found")
    }

    @Test func trustAndIgnoreFilesAreCheckedLineByLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("trust.txt")
        try "# partners who call rarely\nhttps://rare.partner.example   # since 2024\n\n".write(to: good, atomically: true, encoding: .utf8)
        let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--output", "json",
                                     "--trust-file", good.path, "--ignore", "https://www.example.com", "\(samples)/nginx/"])
        #expect(r.status == 0, "\(r.err)")
        let report = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        let origins = (report["proposal"] as! [String: Any])["origins"] as! [String]
        #expect(origins.contains("https://rare.partner.example"))
        #expect(!origins.contains("https://www.example.com"))
        let www = (report["origins"] as! [[String: Any]]).first { $0["origin"] as? String == "https://www.example.com" }
        #expect(www?["overridden_decision"] as? String == "allow")

        let bad = dir.appendingPathComponent("bad.txt")
        try "https://ok.example\nhttps://bad.example/path\n".write(to: bad, atomically: true, encoding: .utf8)
        let e = try runProcess(bin, ["analyze", "--trust-file", bad.path, "\(samples)/nginx/"])
        #expect(e.status == 65)
        #expect(e.err.contains("bad.txt:2"), "\(e.err)")
    }

    @Test func refererInferenceOnACombinedLog() throws {
        let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--output", "json", "\(samples)/combined/access.log"])
        #expect(r.status == 0, "\(r.err)")
        let report = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        #expect((report["format"] as! [String: Any])["origin_source"] as? String == "referer")
        let origins = report["origins"] as! [[String: Any]]
        let app = try #require(origins.first { $0["origin"] as? String == "https://app.example.com" })
        #expect(app["inferred_from_referer"] as? Bool == true)
        #expect(app["decision"] as? String == "allow")
    }

    @Test func proposeNginxPrintsTheSnippet() throws {
        let r = try runProcess(bin, ["propose", "--target", "nginx", "--site", "https://api.example.com", "\(samples)/nginx/"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("\"~^https://app\\.example\\.com$\" \"https://app.example.com\";"))
        #expect(!r.out.contains("localhost"))
        #expect(!r.out.contains("evil"))
    }

    /// An allowlist that allows nothing refuses every cross-origin request of the logs:
    /// `propose`'s output is pasted unread, so it says so on standard error.
    @Test func proposeWarnsWhenTheAllowlistIsEmpty() throws {
        let line = #"192.0.2.1 - - [05/Nov/2025:10:00:00 +0000] "GET /v1/orders HTTP/1.1" 200 10 "-" "Mozilla/5.0" "api.example.com" "https://new.partner.example" "-" "-" "*" "-""#
        let r = try runProcess(bin, ["propose", "--target", "nginx", "--format", "nginx-cors", "--site", "https://api.example.com", "-"],
                               stdin: Data((line + "\n").utf8))
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.contains("corslog: warning: the proposal allows no origin: it refuses all 1 cross-origin request of the logs, "
            + "and 1 origin is held for review"), "\(r.err)")
        let samplesRun = try runProcess(bin, ["propose", "--target", "nginx", "--site", "https://api.example.com", "\(samples)/nginx/"])
        #expect(!samplesRun.err.contains("allows no origin"))
        #expect(!samplesRun.err.contains("no cross-origin request"))
        #expect(!samplesRun.err.contains("site unknown"))

        // Without --site and no Host in the log (`combined`), the proposal is made blind to the site.
        let blind = try runProcess(bin, ["propose", "--target", "nginx", "\(samples)/combined/"])
        #expect(blind.status == 0, "\(blind.err)")
        #expect(blind.err.contains("corslog: warning: site unknown: pass --site so that same-origin and first-party traffic is "
            + "recognised: the site's own pages count as one more origin, and no origin can be told first-party"), "\(blind.err)")

        // Logs that record Origin but hold no cross-origin request (a night of health checks):
        // nothing is refused that was seen, but nothing was seen either.
        let quiet = (0..<3).map { #"192.0.2.1 - - [05/Nov/2025:10:00:0\#($0) +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.29" "api.example.com" "-" "-" "-" "-" "-""# }
        let none = try runProcess(bin, ["propose", "--target", "nginx", "--format", "nginx-cors", "--site", "https://api.example.com", "-"],
                                  stdin: Data((quiet.joined(separator: "\n") + "\n").utf8))
        #expect(none.status == 0, "\(none.err)")
        #expect(none.err.contains("corslog: warning: the logs hold no cross-origin request in 3 lines (2025-11-05T10:00:00Z to "
            + "2025-11-05T10:00:02Z), so the proposal allows no origin"), "\(none.err)")
    }

    /// A log of one day (`access.log` alone, just after the nightly rotation): every origin is
    /// held for few-days, and the report and propose say why and what to do instead.
    @Test func aPeriodShorterThanMinDaysIsSaid() throws {
        let oneDay = try String(contentsOfFile: "\(samples)/nginx/access.log", encoding: .utf8)
            .split(separator: "\n").filter { $0.contains("[05/Nov/2025:") }.joined(separator: "\n") + "\n"
        let site = ["--site", "https://api.example.com", "--format", "nginx-cors"]
        let said = "Period: the logs span 1 day, fewer than --min-days 2, so every origin is held for few-days however many "
            + "clients it has."
        let report = try runProcess(bin, ["analyze"] + site + ["-"], stdin: Data(oneDay.utf8))
        #expect(report.status == 0, "\(report.err)")
        #expect(report.out.contains("\n" + said), "\(report.out)")
        let json = try runProcess(bin, ["analyze", "--output", "json"] + site + ["-"], stdin: Data(oneDay.utf8))
        let traffic = (try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])?["traffic"] as? [String: Any]
        #expect(traffic?["period_days"] as? Int == 1 && traffic?["period_shorter_than_min_days"] as? Bool == true)
        let propose = try runProcess(bin, ["propose", "--target", "nginx"] + site + ["-"], stdin: Data(oneDay.utf8))
        #expect(propose.err.contains("corslog: warning: " + said))
        // --min-days 1 decides by clients alone; the whole week has no such line.
        let oneDayOK = try runProcess(bin, ["analyze", "--min-days", "1"] + site + ["-"], stdin: Data(oneDay.utf8))
        #expect(!oneDayOK.out.contains("Period: the logs span"))
        #expect(oneDayOK.out.contains("allow     https://app.example.com"))
        let week = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "\(samples)/nginx/"])
        #expect(!week.out.contains("Period: the logs span"))
    }

    /// No file named: standard input — but not for `--state`, which would count the same piped
    /// lines again on every run, and not from a terminal, where it would wait for typed lines.
    @Test func noFileNamedReadsStandardInputUnlessThatCannotWork() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(samples)/nginx/access.log"))
        let piped = try runProcess(bin, ["analyze", "--site", "https://api.example.com"], stdin: data)
        #expect(piped.status == 0, "\(piped.err)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-stdin-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state.json").path
        for files in [[], ["-"]] {
            let r = try runProcess(bin, ["analyze", "--state", state] + files, stdin: data)
            #expect(r.status == 64, "\(files): \(r.err)")
            #expect(r.err.contains("--state cannot resume standard input: name the log files"))
        }
        #expect(!FileManager.default.fileExists(atPath: state))
        // A terminal on standard input (`script` gives the command one).
        let script = "/usr/bin/script"
        guard FileManager.default.isExecutableFile(atPath: script) else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "\(script) (bsdutils) is missing under CI")
            print("corslog test: \(script) (bsdutils) is not installed: the terminal case is skipped")
            return
        }
        let tty = try runProcess(script, ["-qec", "\(bin) analyze --site https://api.example.com", "/dev/null"])
        #expect(tty.status == 64, "\(tty.out) \(tty.err)")
        #expect((tty.out + tty.err).contains("no log named: give the log files or directories"))
    }

    @Test func readsStandardInput() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(samples)/nginx/access.log"))
        let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--output", "json", "-"], stdin: data)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("\"path\" : \"-\""))
    }

    /// gzip on standard input (`cat access.log.2.gz | corslog analyze -`): the bytes read ahead
    /// to recognise gzip are handed back, so the report is the file's, with either inflate.
    @Test(arguments: ["zlib", "auto"])
    func readsGzipFromStandardInputAsFromTheFile(inflate: String) throws {
        let path = "\(samples)/nginx/access.log.2.gz"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let args = ["analyze", "--format", "nginx-cors", "--site", "https://api.example.com", "--output", "json", "--inflate", inflate]
        let piped = try runProcess(bin, args + ["-"], stdin: data)
        let fromFile = try runProcess(bin, args + [path])
        #expect(piped.status == 0, "\(piped.err)")
        #expect(fromFile.status == 0, "\(fromFile.err)")
        #expect(piped.out.contains("\"compressed\" : true"))
        #expect(piped.out == fromFile.out.replacingOccurrences(of: "\"path\" : \"\(path)\"", with: "\"path\" : \"-\""))
    }

    /// `--threads 1` (one core, e.g. beside a busy server) gives the same report; 0 is refused.
    @Test func threadsOptionKeepsTheReport() throws {
        let args = ["analyze", "--format", "nginx-cors", "--site", "https://api.example.com", "--output", "json", "\(samples)/nginx/"]
        let all = try runProcess(bin, args)
        let one = try runProcess(bin, args + ["--threads", "1"])
        #expect(all.status == 0, "\(all.err)")
        #expect(one.status == 0, "\(one.err)")
        #expect(one.out == all.out)
        let zero = try runProcess(bin, args + ["--threads", "0"])
        #expect(zero.status == 64)
        #expect(zero.err.contains("--threads 0: expected 1 or more"))
    }

    @Test func brokenInputStillGivesTheWholeReportAndExitCode3() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let gz = try Data(contentsOf: URL(fileURLWithPath: "\(samples)/nginx/access.log.2.gz"))
        try gz.prefix(gz.count / 2).write(to: dir.appendingPathComponent("cut.log.gz"))
        let r = try runProcess(bin, ["analyze", "--format", "nginx-cors", "--output", "json",
                                     dir.appendingPathComponent("cut.log.gz").path, dir.appendingPathComponent("missing.log").path,
                                     "\(samples)/nginx/access.log"])
        #expect(r.status == 3)
        let report = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        let files = (report["input"] as! [String: Any])["files"] as! [[String: Any]]
        #expect(files.count == 3)
        #expect((files[0]["error"] as? String)?.contains("truncated") == true)
        #expect((files[0]["parsed"] as? Int ?? 0) > 100, "lines before the break are kept")
        #expect((files[1]["error"] as? String)?.contains("No such file") == true)
        #expect((files[2]["parsed"] as? Int ?? 0) > 1000)
    }

    @Test func exitCodesForUnusableInput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let garbage = dir.appendingPathComponent("garbage.log")
        try Data((0..<2000).map { _ in UInt8.random(in: 0...255) } + Array("not a log line\n".utf8)).write(to: garbage)
        let g = try runProcess(bin, ["analyze", garbage.path])
        #expect(g.status == 65)
        #expect(g.err.contains("corslog: error:"))
        let forced = try runProcess(bin, ["analyze", "--format", "combined", garbage.path])
        #expect(forced.status == 65)
        #expect(forced.err.contains("none of the"))
        let missing = try runProcess(bin, ["analyze", dir.appendingPathComponent("nope.log").path])
        #expect(missing.status == 66)
        let usage = try runProcess(bin, ["analyze", "--min-clients", "0", garbage.path])
        #expect(usage.status == 64)
        let badSite = try runProcess(bin, ["analyze", "--site", "https://api.example.com/", garbage.path])
        #expect(badSite.status == 64)
        #expect(badSite.err.contains("--site"))
        let badTarget = try runProcess(bin, ["propose", "--target", "iis", garbage.path])
        #expect(badTarget.status == 64)
    }

    @Test func logFormatPrintsDirectivesThePresetsRead() throws {
        let nginx = try runProcess(bin, ["log-format", "nginx"])
        #expect(nginx.status == 0)
        #expect(nginx.out.contains("log_format"))
        #expect(nginx.out.contains("$http_origin"))
        let apache = try runProcess(bin, ["log-format", "apache"])
        #expect(apache.out.contains("%{Origin}i"))
        #expect(try runProcess(bin, ["log-format", "iis"]).status == 64)
    }
}

private extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        components(separatedBy: a).joined(separator: b)
    }
}

@Suite struct RenderCommandTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path

    @Test func renderingTheWrittenPolicyGivesWhatProposePrints() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("corslog-policy.yaml").path
        let a = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--write-policy", policy, "\(samples)/nginx/"])
        #expect(a.status == 0, "\(a.err)")
        for target in RenderTargets.names {
            let rendered = try runProcess(bin, ["render", "--policy", policy, "--target", target])
            let proposed = try runProcess(bin, ["propose", "--target", target, "--site", "https://api.example.com", "\(samples)/nginx/"])
            #expect(rendered.status == 0 && proposed.status == 0)
            // The same configuration, down to the evidence window in its header
            // (the policy file's `evidence:` key carries it).
            #expect(rendered.out == proposed.out, "\(target)")
            // aws-http-api is the bare CorsConfiguration, which takes no unknown key (its
            // provenance is in aws-http-api-cfn's comment).
            if target != "aws-http-api" {
                #expect(rendered.out.contains("from 4,866 log lines, 2025-11-01 to 2025-11-07"), "\(target)")
            }
        }
    }

    @Test func aBrokenPolicyIsAnErrorNamingItsLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-bad-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try "version: 1\norigins:\n  - https://app.example.com\n  - https://*.github.io\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try runProcess(bin, ["render", "--policy", file.path, "--target", "nginx"])
        #expect(r.status == 65)
        #expect(r.err.contains("\(file.lastPathComponent):4:"), "\(r.err)")
        let unwritable = try runProcess(bin, ["analyze", "--write-policy", "/nonexistent-dir/p.yaml", "\(samples)/nginx/"])
        #expect(unwritable.status == 73)
        // A summary is written in pieces: the same exit status, and the reason.
        let noSummary = try runProcess(bin, ["analyze", "--summary-out", "/nonexistent-dir/s.json", "\(samples)/nginx/"])
        #expect(noSummary.status == 73)
        #expect(noSummary.err.contains("/nonexistent-dir/s.json: cannot write: "), "\(noSummary.err)")
        #expect(noSummary.err.lowercased().contains("no such file"), "\(noSummary.err)")
    }
}
