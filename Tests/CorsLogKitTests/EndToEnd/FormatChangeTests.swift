import Foundation
import Testing
@testable import CorsLogKit

/// The log format changed under the same file: a `log_format` edited to `corslog log-format`'s
/// advice and nginx reloaded, so `access.log` goes on in nginx-cors after lines in `combined`.
/// Detected from the first lines, the file reads as `combined`, and every later line still
/// fits it — with text left after the User-Agent — so their Origin was dropped without a word.
@Suite struct FormatChangeTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path
    let site = ["--site", "https://api.example.com"]

    /// The combined sample's lines, then the nginx-cors sample's (the same traffic, logged
    /// after the change); returns the file and how many lines each part has.
    private func changedLog(in dir: URL, repeatNew: Int = 1) throws -> (URL, old: Int, new: Int) {
        let old = try String(contentsOfFile: "\(samples)/combined/access.log", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let new = try String(contentsOfFile: "\(samples)/nginx/access.log", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let lines = old + Array(repeating: new, count: repeatNew).flatMap { $0 }
        let file = dir.appendingPathComponent("access.log")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        return (file, old.count, new.count * repeatNew)
    }

    private func json(_ out: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
    }

    @Test func theReportSaysTheFormatChangedAndWhichFormatReadsTheNewLines() throws {
        let dir = try temporaryDirectory("change")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (log, old, new) = try changedLog(in: dir)
        let text = try runProcess(bin, ["analyze"] + site + [log.path])
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.contains("format combined (detected:"))
        // The nginx sample has one line that fits no format (hostile input): it is not counted.
        let changed = text.out.split(separator: "\n").first { $0.hasPrefix("The log format changed: ") }
        #expect(changed?.contains("(the first: \(log.path):\(old + 1)) fit nginx-cors, which records Origin") == true, "\(text.out)")
        #expect(changed?.contains("Give --format nginx-cors to use their Origin") == true)

        let report = try json(try runProcess(bin, ["analyze"] + site + ["--output", "json", log.path]).out)
        let change = (report["input"] as! [String: Any])["format_change"] as! [String: Any]
        #expect(change["format"] as? String == "nginx-cors")
        #expect(change["line"] as? Int == old + 1)
        #expect(change["file"] as? String == log.path)
        let lines = change["lines"] as! Int
        #expect(lines >= new - 5 && lines <= new, "\(lines) of \(new)")

        let propose = try runProcess(bin, ["propose", "--target", "nginx"] + site + [log.path])
        #expect(propose.status == 0)
        #expect(propose.err.contains("corslog: warning: The log format changed:"))

        // Read as the report says: the new lines' Origin is used, the old lines are skipped.
        let given = try json(try runProcess(bin, ["analyze", "--format", "nginx-cors"] + site + ["--output", "json", log.path]).out)
        let input = given["input"] as! [String: Any]
        #expect(input["format_change"] == nil)
        #expect((input["skipped"] as! Int) >= old)
        let origins = given["origins"] as! [[String: Any]]
        #expect(!origins.isEmpty)
        #expect(origins.allSatisfy { $0["inferred_from_referer"] as? Bool == false })
    }

    /// A log format of the server's own with `"$http_origin"` after combined (no preset reads it):
    /// detected as combined, its origins were taken from Referer without a word.
    @Test func originsAfterTheDetectedFormatAreSaid() throws {
        let dir = try temporaryDirectory("change")
        defer { try? FileManager.default.removeItem(at: dir) }
        let nginx = try String(contentsOfFile: "\(samples)/nginx/access.log", encoding: .utf8).split(separator: "\n")
        // Keep the combined fields and the Origin: drop $host and the four CORS fields after it.
        let own = nginx.compactMap { line -> String? in
            let parts = line.components(separatedBy: "\" \"")
            guard parts.count == 8 else { return nil }
            return parts[0..<2].joined(separator: "\" \"") + "\" \"" + parts[3] + "\""
        }
        let file = dir.appendingPathComponent("access.log")
        try Data((own.joined(separator: "\n") + "\n").utf8).write(to: file)
        let text = try runProcess(bin, ["analyze"] + site + [file.path])
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.contains("format combined (detected:"))
        #expect(text.out.contains("\nOrigins after the format: "), "\(text.out)")
        #expect(text.out.contains("sampled go on after combined's last field with a quoted origin"))
        let json = try json(try runProcess(bin, ["analyze", "--output", "json"] + site + [file.path]).out)
        let after = (json["input"] as! [String: Any])["origins_after_format"] as! [String: Any]
        #expect((after["lines"] as! Int) > 100 && after["sampled"] as? Int == 200)
        let propose = try runProcess(bin, ["propose", "--target", "nginx"] + site + [file.path])
        #expect(propose.err.contains("corslog: warning: Origins after the format: "))
        // The sample in combined says nothing.
        let combined = try runProcess(bin, ["analyze", "--output", "json"] + site + ["\(samples)/combined/"])
        #expect((try self.json(combined.out)["input"] as! [String: Any])["origins_after_format"] == nil)
        // Given as --format combined (or as a definition without Origin), the same is said; given
        // the server's own definition, nothing.
        let given = try runProcess(bin, ["analyze", "--format", "combined"] + site + [file.path])
        #expect(given.out.contains("\nOrigins after the format: "), "\(given.out)")
        let givenJSON = try self.json(try runProcess(bin, ["analyze", "--format", "combined", "--output", "json"] + site + [file.path]).out)
        #expect(((givenJSON["input"] as! [String: Any])["origins_after_format"] as? [String: Any])?["sampled"] as? Int == 200)
        let ownFormat = #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_origin""#
        let right = try runProcess(bin, ["analyze", "--format", ownFormat] + site + [file.path])
        #expect(right.status == 0, "\(right.err)")
        #expect(!right.out.contains("Origins after the format"))
        #expect(right.out.contains("origins from the Origin header"))
        let combinedGiven = try runProcess(bin, ["analyze", "--format", "combined"] + site + ["\(samples)/combined/"])
        #expect(!combinedGiven.out.contains("Origins after the format"))
    }

    /// A log in one format pays nothing and hears nothing: `combined` with the nginx "main"
    /// format's extra `"$http_x_forwarded_for"` leaves text after every line, but no line
    /// fits a format that records Origin.
    @Test func trailingTextThatFitsNoRicherFormatIsNoChange() throws {
        let dir = try temporaryDirectory("change")
        defer { try? FileManager.default.removeItem(at: dir) }
        let combined = try String(contentsOfFile: "\(samples)/combined/access.log", encoding: .utf8)
        let main = combined.split(separator: "\n").map { $0 + #" "198.51.100.7""# }.joined(separator: "\n") + "\n"
        let file = dir.appendingPathComponent("access.log")
        try Data(main.utf8).write(to: file)
        let r = try runProcess(bin, ["analyze"] + site + ["--output", "json", file.path])
        let input = try json(r.out)["input"] as! [String: Any]
        #expect(input["format_change"] == nil, "\(input)")
        #expect((input["parsed"] as! Int) > 1_000)
        let nginx = try json(try runProcess(bin, ["analyze"] + site + ["--output", "json", "\(samples)/nginx/"]).out)
        #expect((nginx["input"] as! [String: Any])["format_change"] == nil, "a format with Origin is not probed")
    }

    /// The count is the same whether the lines are parsed on the reading thread or ahead on
    /// others, in batches of any size, with the format detected or given.
    @Test(arguments: [false, true])
    func theSameCountWhateverTheParseThreads(detect: Bool) throws {
        let dir = try temporaryDirectory("change")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (log, old, _) = try changedLog(in: dir, repeatNew: 8)
        func change(parseThreads: Int, batchBytes: Int) throws -> (String, Int, Int) {
            var options = AnalysisOptions(paths: [log.path])
            if !detect { options.format = .given(LogFormat.preset("combined")!) }
            options.threads = 4
            options.parseThreads = parseThreads
            options.parseBatchBytes = batchBytes
            options.detectionLines = 50
            let run = try Analyzer.run(options, files: [FileToRead(path: log.path)])
            let c = try #require(run.analysis.input.formatChange)
            #expect(c.format == "nginx-cors")
            return (c.file, c.line, c.lines)
        }
        let reference = try change(parseThreads: -1, batchBytes: ParseAhead.defaultBatchBytes)
        #expect(reference.1 == old + 1)
        #expect(reference.2 > 15_000)
        for (threads, batch) in [(1, ParseAhead.defaultBatchBytes), (2, 4096), (3, 1)] {
            let c = try change(parseThreads: threads, batchBytes: batch)
            #expect(c == reference, "\(threads) parse threads, batches of \(batch) bytes")
        }
    }

    @Test func summariesCarryItAndMergeAddsItUp() throws {
        let dir = try temporaryDirectory("change")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (log, old, _) = try changedLog(in: dir)
        let summary = dir.appendingPathComponent("s.json").path
        #expect(try runProcess(bin, ["analyze"] + site + ["--summary-out", summary, log.path]).status == 0)
        let one = try json(try runProcess(bin, ["analyze"] + site + ["--output", "json", log.path]).out)
        let lines = ((one["input"] as! [String: Any])["format_change"] as! [String: Any])["lines"] as! Int
        let merged = try json(try runProcess(bin, ["merge"] + site + ["--output", "json", summary, summary]).out)
        let change = (merged["input"] as! [String: Any])["format_change"] as! [String: Any]
        #expect(change["lines"] as? Int == 2 * lines)
        #expect(change["line"] as? Int == old + 1)
        // A summary naming a preset that does not record Origin is not corslog's.
        let text = try String(contentsOfFile: summary, encoding: .utf8)
        let forged = text.replacingOccurrences(of: #""richer_format":"nginx-cors""#, with: #""richer_format":"combined""#)
            .replacingOccurrences(of: #""richer_format" : "nginx-cors""#, with: #""richer_format" : "combined""#)
        #expect(forged != text)
        let bad = dir.appendingPathComponent("bad.json")
        try Data(forged.utf8).write(to: bad)
        #expect(try runProcess(bin, ["merge"] + site + [bad.path]).status == 65)
    }
}

/// A logrotate set after the log format was changed: the live file in nginx-cors, the rotated
/// ones still combined. Detected from the oldest file, every file would read as combined and
/// the new lines' Origin would be dropped; the newer format is used, and the report says why
/// the older files' lines are skipped.
@Suite struct NewerFormatTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path
    let site = ["--site", "https://api.example.com"]

    private func rotatedSet() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-newer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let combined = try Data(contentsOf: URL(fileURLWithPath: "\(samples)/combined/access.log"))
        try combined.write(to: dir.appendingPathComponent("access.log.1"))
        try Data(ReadFixture.gzip([UInt8](combined))).write(to: dir.appendingPathComponent("access.log.2.gz"))
        try Data(contentsOf: URL(fileURLWithPath: "\(samples)/nginx/access.log")).write(to: dir.appendingPathComponent("access.log"))
        return dir
    }

    private func json(_ out: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
    }

    @Test func theNewestFormatThatRecordsOriginIsUsedAndTheReportSaysWhy() throws {
        let dir = try rotatedSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runProcess(bin, ["analyze"] + site + ["--output", "json", dir.path])
        #expect(r.status == 0, "\(r.err)")
        let report = try json(r.out)
        let input = report["input"] as! [String: Any]
        let newer = try #require(input["newer_format"] as? [String: Any])
        #expect(newer["format"] as? String == "nginx-cors")
        #expect((newer["file"] as? String)?.hasSuffix("/access.log") == true)
        #expect(newer["other_format"] as? String == "combined")
        #expect((newer["other_files"] as? [String])?.count == 2)
        // The same evidence as the live file alone.
        let alone = try json(try runProcess(bin, ["analyze"] + site + ["--output", "json", dir.appendingPathComponent("access.log").path]).out)
        #expect((report["proposal"] as! NSDictionary) == (alone["proposal"] as! NSDictionary))
        #expect((report["origins"] as! [[String: Any]]).allSatisfy { $0["inferred_from_referer"] as? Bool == false })

        let text = try runProcess(bin, ["analyze"] + site + [dir.path])
        #expect(text.out.contains("Format nginx-cors from the first lines of \(dir.path)/access.log, which record Origin: "
            + "those of 2 other files (\(dir.path)/access.log.2.gz, \(dir.path)/access.log.1) fit combined"), "\(text.out)")
        let propose = try runProcess(bin, ["propose", "--target", "nginx"] + site + [dir.path])
        #expect(propose.err.contains("corslog: warning: Format nginx-cors from the first lines of"))

        // Summaries carry it.
        let summary = dir.appendingPathComponent("s.json").path
        #expect(try runProcess(bin, ["analyze"] + site + ["--summary-out", summary, dir.path]).status == 0)
        let merged = try json(try runProcess(bin, ["merge"] + site + ["--output", "json", summary]).out)
        #expect(((merged["input"] as! [String: Any])["newer_format"] as? [String: Any])?["format"] as? String == "nginx-cors")
    }

    /// A JSON log that does not keep the Origin header (Traefik's default: `OriginStatus` and the
    /// like are the upstream's, not the header) beside `combined` logs: its lines have no Origin
    /// key, so they cannot show one, and choosing `json` for the run skipped every combined line.
    @Test func aJSONLogWithoutAnOriginKeyIsNoNewerFormat() throws {
        let dir = try rotatedSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("access.log"))
        let traefik = (0..<5).map { i in
            #"{"ClientHost":"192.0.2.\#(i)","DownstreamStatus":200,"OriginStatus":200,"OriginDuration":3,"RequestHost":"api.example.com","RequestMethod":"GET","RequestPath":"/v1/orders","StartUTC":"2025-11-01T00:00:0\#(i)Z"}"#
        }.joined(separator: "\n") + "\n"
        try Data(traefik.utf8).write(to: dir.appendingPathComponent("traefik.json"))
        let traefikHead = NewerFormat.head(dir.appendingPathComponent("traefik.json").path)
        let detected = try #require(FormatDetector.detect(traefikHead))
        #expect(detected.format.name == "json" && detected.recordsOrigin == false)

        let r = try runProcess(bin, ["analyze"] + site + ["--output", "json", dir.path])
        #expect(r.status == 0, "\(r.err)")
        let input = try json(r.out)["input"] as! [String: Any]
        #expect(input["newer_format"] == nil)
        let files = input["files"] as! [[String: Any]]
        let combined = files.filter { ($0["path"] as! String).contains("access.log") }
        #expect(combined.count == 2 && combined.allSatisfy { ($0["parsed"] as! Int) > 0 && ($0["skipped"] as! Int) == 0 }, "\(files)")

        // With an Origin key (nginx `escape=json` with `$http_origin`), even when empty, it still is one.
        let nginx = [#"{"remote_addr":"192.0.2.1","time_iso8601":"2025-11-01T00:00:00+00:00","request_method":"GET","request_uri":"/v1/orders","status":"200","http_origin":""}"#]
        #expect(FormatDetector.detect(nginx.map { Array($0.utf8) })?.recordsOrigin == true)
        for key in [#"{"request_Origin" : "https://a.example"}"#, #"{"request":{"headers":{"Origin":["https://a.example"]}}}"#] {
            #expect(FormatDetector.jsonOriginKey(Array(key.utf8)), "\(key)")
        }
        for key in [#"{"OriginStatus":200}"#, #"{"path":"/origin"}"#, #"{"x_origin":"https://a.example"}"#] {
            #expect(!FormatDetector.jsonOriginKey(Array(key.utf8)), "\(key)")
        }
    }

    @Test func aSetInOneFormatOrAGivenFormatIsReadAsBefore() throws {
        let dir = try rotatedSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        let given = try json(try runProcess(bin, ["analyze", "--format", "combined"] + site + ["--output", "json", dir.path]).out)
        #expect((given["input"] as! [String: Any])["newer_format"] == nil)
        #expect(((given["input"] as! [String: Any])["skipped"] as? Int ?? 99) <= 1, "the nginx sample's one hostile line")
        let nginx = try json(try runProcess(bin, ["analyze"] + site + ["--output", "json", "\(samples)/nginx/"]).out)
        #expect((nginx["input"] as! [String: Any])["newer_format"] == nil)
        // Heads are looked at only for files read from their start: standard input never.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("access.log"))
        let combinedOnly = try json(try runProcess(bin, ["analyze"] + site + ["--output", "json", dir.path]).out)
        #expect((combinedOnly["input"] as! [String: Any])["newer_format"] == nil)
        #expect(NewerFormat.choose(["-", dir.appendingPathComponent("access.log.1").path]) == nil)
    }

    @Test func aHeadIsTheCompleteLinesOfTheFirst64KiBDecoded() throws {
        let dir = try rotatedSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = NewerFormat.head(dir.appendingPathComponent("access.log.1").path)
        let gzip = NewerFormat.head(dir.appendingPathComponent("access.log.2.gz").path)
        #expect(plain.count == FormatDetector.sampleLimit)
        #expect(gzip == plain, "the same lines, decoded")
        #expect(NewerFormat.head(dir.appendingPathComponent("missing").path).isEmpty)
    }
}
