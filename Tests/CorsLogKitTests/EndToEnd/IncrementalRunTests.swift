import Foundation
import Testing
@testable import CorsLogKit

/// `--state`: nightly runs over a log that grows and is rotated read every line
/// exactly once, and report what one run over all the data would.
@Suite(.serialized) struct IncrementalRunTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path
    let site = ["--site", "https://api.example.com", "--format", "nginx-cors"]

    /// The samples' lines, oldest first.
    private func sampleLines() throws -> [String] {
        var lines: [String] = []
        for name in ["access.log.2.gz", "access.log.1", "access.log"] {
            let path = "\(samples)/nginx/\(name)"
            let text = name.hasSuffix(".gz") ? try runProcess("/bin/gzip", ["-dc", path]).out
                                             : try String(contentsOfFile: path, encoding: .utf8)
            lines += text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        return lines
    }

    private func append(_ lines: ArraySlice<String>, to path: String, newline: Bool = true) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data((lines.joined(separator: "\n") + (newline ? "\n" : "")).utf8))
        try h.close()
    }

    /// The parts of a JSON report that come from the evidence (not from this run's reading).
    private func decisions(_ json: String) throws -> NSDictionary {
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        var out: [String: Any] = [:]
        for key in ["origins", "proposal", "traffic", "breakage", "invalid_origins"] { out[key] = report[key] }
        let input = report["input"] as! [String: Any]
        out["period"] = [input["first_seen"], input["last_seen"]]
        return out as NSDictionary
    }

    /// Lines this run read (parsed or skipped).
    private func parsed(_ json: String) throws -> Int {
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let input = report["input"] as! [String: Any]
        return (input["parsed"] as! Int) + (input["skipped"] as! Int)
    }

    @Test func growingRotatedAndCompressedLogsAreReadOnceAndReportLikeOneRun() throws {
        let dir = try temporaryDirectory("state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try sampleLines()
        let log = dir.appendingPathComponent("access.log").path
        let state = dir.appendingPathComponent("state.json").path
        func nightly() throws -> String {
            let r = try runProcess(bin, ["analyze", "--output", "json", "--state", state] + site + [dir.path])
            #expect(r.status == 0, "\(r.err)")
            return r.out
        }
        // Night 1: the first 1,000 lines, the last one still being written (no newline yet).
        try append(lines[0..<999], to: log)
        try append(lines[999..<1000], to: log, newline: false)
        #expect(try parsed(try nightly()) == 999, "the unfinished line waits")
        // Night 2: the line is finished and more arrive.
        try append(["", lines[1000]][...], to: log, newline: true)
        try append(lines[1001..<2000], to: log)
        var out = try nightly()
        #expect(try parsed(out) == 1001)
        // Night 3: logrotate renames access.log to access.log.1; a new access.log grows.
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try append(lines[2000..<3000], to: log)
        out = try nightly()
        #expect(try parsed(out) == 1000, "access.log.1 is the file already read")
        // Night 4: delaycompress: access.log.1 becomes access.log.2.gz, access.log becomes access.log.1.
        _ = try runProcess("/bin/gzip", [log + ".1"])
        try FileManager.default.moveItem(atPath: log + ".1.gz", toPath: log + ".2.gz")
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try append(lines[3000...], to: log)
        out = try nightly()
        #expect(try parsed(out) == lines.count - 3000, "the compressed copy is recognised by its decoded head")
        // Night 5: nothing new.
        let quiet = try nightly()
        #expect(try parsed(quiet) == 0)

        // The same decisions as one run over everything.
        let whole = try runProcess(bin, ["analyze", "--output", "json"] + site + [dir.path])
        #expect(try decisions(out) == decisions(whole.out))
        #expect(try decisions(quiet) == decisions(whole.out))
        let report = try JSONSerialization.jsonObject(with: Data(quiet.utf8)) as! [String: Any]
        let s = (report["input"] as! [String: Any])["state"] as! [String: Any]
        #expect(s["days"] as? Int == 7)
        #expect(s["files_already_read"] as? Int == 1, "the gzip file is not decoded again")
        #expect(s["first_day"] as? String == "2025-11-01")
    }

    @Test func aTruncatedLogIsReadFromItsStart() throws {
        let dir = try temporaryDirectory("state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try sampleLines()
        let log = dir.appendingPathComponent("access.log").path
        let state = dir.appendingPathComponent("state.json").path
        try append(lines[0..<500], to: log)
        #expect(try runProcess(bin, ["analyze", "--state", state] + site + [log]).status == 0)
        // copytruncate: the same inode, emptied, then new lines.
        try Data().write(to: URL(fileURLWithPath: log))
        try append(lines[500..<600], to: log)
        let r = try runProcess(bin, ["analyze", "--output", "json", "--state", state] + site + [log])
        #expect(try parsed(r.out) == 100)
    }

    @Test func theWindowKeepsTheLastDaysAndOldDaysFallOut() throws {
        let dir = try temporaryDirectory("state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state.json").path
        let r = try runProcess(bin, ["analyze", "--output", "json", "--state", state, "--window", "3d"] + site + ["\(samples)/nginx/"])
        #expect(r.status == 0, "\(r.err)")
        let report = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        let s = (report["input"] as! [String: Any])["state"] as! [String: Any]
        #expect(s["first_day"] as? String == "2025-11-05")
        #expect(s["last_day"] as? String == "2025-11-07")
        for o in report["origins"] as! [[String: Any]] { #expect((o["days"] as! Int) <= 3) }
        #expect((report["input"] as! [String: Any])["first_seen"] as? String ?? "" >= "2025-11-05")
        let saved = try String(contentsOfFile: state, encoding: .utf8)
        #expect(!saved.contains("\"2025-11-04\""), "days before the window are not kept")
        #expect(saved.contains("\"2025-11-05\""))
        // The same decisions as one run over those three days' lines alone.
        let lastDays = try sampleLines().filter { l in ["[05/Nov/2025:", "[06/Nov/2025:", "[07/Nov/2025:"].contains { l.contains($0) } }
        let only = dir.appendingPathComponent("last-days.log").path
        try (lastDays.joined(separator: "\n") + "\n").write(toFile: only, atomically: true, encoding: .utf8)
        let direct = try runProcess(bin, ["analyze", "--output", "json"] + site + [only])
        #expect(try decisions(r.out) == decisions(direct.out))
    }

    @Test func aBrokenOrNewerStateIsAnErrorAndIsLeftAlone() throws {
        let dir = try temporaryDirectory("state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state.json").path
        for (text, message) in [("{\"corslog_state\": 1, \"files\": 7}", "corrupt state file"),
                                ("{\"corslog_state\": 9}", "written by a newer corslog"),
                                ("not json", "not a corslog state file")] {
            try text.write(toFile: state, atomically: true, encoding: .utf8)
            let r = try runProcess(bin, ["analyze", "--state", state] + site + ["\(samples)/nginx/access.log"])
            #expect(r.status == 65, "\(text)")
            #expect(r.err.contains(message), "\(r.err)")
            #expect(try String(contentsOfFile: state, encoding: .utf8) == text, "never reset silently")
        }
    }

    @Test func twoRunsAtOnceDoNotShareTheState() throws {
        let dir = try temporaryDirectory("state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state.json").path
        let lock = try StateLock(statePath: state)
        let r = try runProcess(bin, ["analyze", "--state", state] + site + ["\(samples)/nginx/access.log"])
        #expect(r.status == 75)
        #expect(r.err.contains("another corslog run is using"), "\(r.err)")
        withExtendedLifetime(lock) {}
    }

    @Test func theSiteCannotChangeUnderAState() throws {
        let dir = try temporaryDirectory("state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state.json").path
        #expect(try runProcess(bin, ["analyze", "--state", state] + site + ["\(samples)/nginx/access.log"]).status == 0)
        let r = try runProcess(bin, ["analyze", "--state", state, "--site", "https://www.example.com", "\(samples)/nginx/access.log"])
        #expect(r.status == 64)
        #expect(r.err.contains("was made with --site https://api.example.com"), "\(r.err)")
    }

    /// The nightly run on the day the advice of `corslog log-format` was taken: access.log went
    /// on in nginx-cors after its combined lines. The Referer days are dropped and the window
    /// starts again from the lines with Origin — the same decisions as one run over those lines
    /// alone. A format that loses Origin again is refused, saying what happened.
    @Test func aLogThatGainsOriginStartsTheWindowAgainAndOneThatLosesItIsRefused() throws {
        let dir = try temporaryDirectory("state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("access.log").path
        let state = dir.appendingPathComponent("state.json").path
        let combined = try String(contentsOfFile: "\(samples)/combined/access.log", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let cors = try sampleLines()
        let detect = ["--site", "https://api.example.com"]
        try append(combined[...], to: log)
        let first = try runProcess(bin, ["analyze", "--state", state, "--output", "json"] + detect + [log])
        #expect(first.status == 0, "\(first.err)")
        #expect(((try JSONSerialization.jsonObject(with: Data(first.out.utf8)) as! [String: Any])["origins"] as! [[String: Any]])
            .allSatisfy { $0["inferred_from_referer"] as? Bool == true })

        try append(cors[...], to: log)
        let second = try runProcess(bin, ["analyze", "--state", state, "--output", "json"] + detect + [log])
        #expect(second.status == 0, "\(second.err)")
        let report = try JSONSerialization.jsonObject(with: Data(second.out.utf8)) as! [String: Any]
        let stateEntry = (report["input"] as! [String: Any])["state"] as! [String: Any]
        #expect(stateEntry["referer_days_dropped"] as? Int == 7)
        let alone = dir.appendingPathComponent("cors.log").path
        try append(cors[...], to: alone)
        let reference = try runProcess(bin, ["analyze", "--output", "json"] + detect + [alone])
        #expect(try decisions(second.out) == decisions(reference.out), "the window holds the Origin lines alone")
        let text = try runProcess(bin, ["analyze", "--state", state] + detect + [log])
        #expect(!text.out.contains("dropped"), "a run with nothing new drops nothing")

        try append(combined.prefix(50), to: log)
        let third = try runProcess(bin, ["analyze", "--state", state] + detect + [log])
        #expect(third.status == 65)
        #expect(third.err.contains("the log format lost its Origin field"), "\(third.err)")
    }

    @Test func checkRunsIncrementallyToo() throws {
        let dir = try temporaryDirectory("state")
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("policy.yaml").path
        let state = dir.appendingPathComponent("state.json").path
        #expect(try runProcess(bin, ["analyze", "--write-policy", policy] + site + ["\(samples)/nginx/"]).status == 0)
        let first = try runProcess(bin, ["check", "--policy", policy, "--state", state, "--quiet"] + site + ["\(samples)/nginx/"])
        #expect(first.status == 0, "\(first.out)\(first.err)")
        #expect(first.out.isEmpty, "--quiet: nothing to say")
        let again = try runProcess(bin, ["check", "--policy", policy, "--state", state, "--output", "json"] + site + ["\(samples)/nginx/"])
        #expect(again.status == 0)
        #expect(again.out.contains("\"files_already_read\""))
    }
}
