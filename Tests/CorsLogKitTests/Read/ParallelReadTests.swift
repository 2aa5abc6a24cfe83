import CIsal
import Foundation
import Testing
@testable import CorsLogKit

/// The same logs through the single-threaded path, the decode thread, parallel file
/// workers, small and large blocks and each inflate backend give byte-identical reports,
/// also where the per-origin caps (8 top paths, 16 clients per method, 64 header names),
/// the origin cap, the invalid-origin examples and the skipped-line examples are reached.
@Suite struct ParallelReadTests {
    /// ISA-L is required under CI; a developer machine without it skips with a message.
    static var isalAvailable: Bool {
        if IsalLibrary.shared != nil { return true }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("ISA-L (libisal.so.2, Debian libisal2) is required under CI=true")
        } else {
            print("ParallelReadTests: libisal.so.2 not found (apt-get install libisal2): the ISA-L runs are skipped")
        }
        return false
    }

    /// nginx-cors lines: many origins (more than the cap), heavy hitters with many paths and
    /// clients, invalid origins, preflights with many header names, junk lines and an overlong one.
    static func lines(file: Int, count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var state = UInt64(file + 1) &* 0x9E37_79B9_7F4A_7C15
        func next(_ n: UInt64) -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state >> 33) % n
        }
        for i in 0..<count {
            let r = next(100)
            let origin: String
            switch r {
            case 0..<40: origin = "https://app\(next(3)).example.com"          // heavy hitters
            case 40..<42: origin = "https://app\(next(3)).example.co\\x6D"     // escaped: unescaped into scratch
            case 42..<70: origin = "https://o\(next(400)).tail.example"        // the long tail, beyond the cap
            case 70..<75: origin = "https://bad\(next(30)).example/path"        // invalid: has a path
            case 75..<80: origin = "null"
            default: origin = "-"
            }
            let method = ["GET", "POST", "PUT", "DELETE", "OPTIONS"][Int(next(5))]
            let acrm = method == "OPTIONS" ? ["PUT", "PATCH", "DELETE"][Int(next(3))] : "-"
            let acrh = method == "OPTIONS" ? (0..<Int(next(4) + 1)).map { _ in "x-h\(next(80))" }.joined(separator: ",") : "-"
            let day = 1 + (file * 3 + i / (count / 3 + 1)) % 28
            let line = "10.\(file).\(next(40)).\(next(256)) - - [\(String(format: "%02d", day))/Nov/2025:10:\(String(format: "%02d", i % 60)):00 +0000] "
                + "\"\(method) /v1/r\(next(30))/\(next(100000)) HTTP/1.1\" \(next(10) == 0 ? 500 : 200) 12 \"-\" \"ua\" \"api.example.com\" "
                + "\"\(origin)\" \"\(acrm)\" \"\(acrh)\" \"\(next(2) == 0 ? "*" : origin)\" \"-\""
            out += Array(line.utf8)
            if i % 97 == 5 { out += Array("\njunk that is no log line \(i)".utf8) }
            out.append(UInt8(ascii: "\n"))
            if i % 501 == 7 { out.append(UInt8(ascii: "\n")) }
        }
        out += Array(repeating: UInt8(ascii: "x"), count: 5000) + [UInt8(ascii: "\n")]
        return out
    }

    /// A rotated set: two gzip files (one of two members), two plain.
    static func writeSet() throws -> (URL, [String]) {
        let dir = try ReadFixture.temporaryDirectory()
        var paths: [String] = []
        for f in 0..<4 {
            let plain = lines(file: f, count: 3000 + f * 500)
            let bytes: [UInt8]
            switch f {
            case 0: bytes = ReadFixture.gzip(Array(plain[..<1000])) + ReadFixture.gzip(Array(plain[1000...]))
            case 1: bytes = ReadFixture.gzip(plain)
            default: bytes = plain
            }
            let url = dir.appendingPathComponent("access.log.\(4 - f)\(f < 2 ? ".gz" : "")")
            try Data(bytes).write(to: url)
            paths.append(url.path)
        }
        return (dir, paths)
    }

    static func report(_ paths: [String], threads: Int, decodeThread: DecodeThread, inflate: InflateChoice,
                       blockSize: Int = 1 << 20, detect: Bool = false, byDay: Bool = false,
                       parseThreads: Int = 0, parseBatchBytes: Int = ParseAhead.defaultBatchBytes,
                       expectAhead: Bool? = nil, maxLineBytes: Int = 4096, sideBySideOriginLimit: Int? = nil) throws -> String {
        var options = AnalysisOptions(paths: paths)
        if !detect { options.format = .given(LogFormat.preset("nginx-cors")!) }
        options.sites = [origin("https://api.example.com")]
        options.maxOrigins = 64
        options.maxLineBytes = maxLineBytes
        options.threads = threads
        options.decodeThread = decodeThread
        options.inflate = inflate
        options.blockSize = blockSize
        options.byDay = byDay
        options.parseThreads = parseThreads
        options.parseBatchBytes = parseBatchBytes
        options.sideBySideOriginLimit = sideBySideOriginLimit
        let run = try Analyzer.run(options, files: paths.map { FileToRead(path: $0) })
        if let expectAhead {
            #expect((run.linesParsedAhead > 0) == expectAhead, "lines parsed ahead: \(run.linesParsedAhead)")
        }
        var analysis = run.analysis
        analysis.input.inflate = nil   // named in the report; compared separately
        var inference = InferenceOptions()
        inference.sites = options.sites
        let psl = try PublicSuffixList.load()
        var text = JSONReport(analysis: analysis, inference: Inferrer.infer(analysis.evidence, options: inference, psl: psl)).encoded()
        if byDay {
            for (day, e) in run.days.sorted(by: { $0.key < $1.key }) {
                var a = analysis
                a.evidence = e
                text += "\n\(day)\n" + JSONReport(analysis: a, inference: Inferrer.infer(e, options: inference, psl: psl)).encoded()
            }
        }
        return text
    }

    /// An observer (`verify`'s replay) sees every parsed line, in order, whether the lines
    /// were parsed on the reading thread or ahead on others, through detection (the first
    /// file's held lines, then the rest of it parsed ahead) and with a given format.
    @Test(arguments: [false, true])
    func theObserverSeesEveryLineInOrderWhateverTheParseThreads(detect: Bool) throws {
        let (dir, paths) = try Self.writeSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        func observed(parseThreads: Int, batchBytes: Int = ParseAhead.defaultBatchBytes) throws -> ([String], Int) {
            var options = AnalysisOptions(paths: paths)
            if !detect { options.format = .given(LogFormat.preset("nginx-cors")!) }
            options.maxLineBytes = 4096
            options.threads = 4
            options.parseThreads = parseThreads
            options.parseBatchBytes = batchBytes
            options.detectionLines = 50
            var seen: [String] = []
            let run = try Analyzer.run(options, files: paths.map { FileToRead(path: $0) }, onLine: { f in
                seen.append(f.origin.string + " " + f.uri.string + " \(f.status)")
            })
            return (seen, run.linesParsedAhead)
        }
        let (reference, notAhead) = try observed(parseThreads: -1)
        #expect(notAhead == 0)
        #expect(reference.count > 10_000)
        for (threads, batch) in [(1, ParseAhead.defaultBatchBytes), (2, 4096), (3, 1)] {
            let (seen, ahead) = try observed(parseThreads: threads, batchBytes: batch)
            #expect(ahead > 0, "\(threads) parse threads: lines parsed ahead")
            #expect(seen == reference, "\(threads) parse threads, batches of \(batch) bytes")
        }
    }

    @Test(arguments: [false, true])
    func everyPathGivesTheSameReport(detect: Bool) throws {
        let (dir, paths) = try Self.writeSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = try Self.report(paths, threads: 1, decodeThread: .never, inflate: .zlib, detect: detect)
        // The input really reaches the caps the merge must get right.
        let json = try JSONSerialization.jsonObject(with: Data(reference.utf8)) as! [String: Any]
        let cap = json["origin_cap"] as! [String: Any]
        #expect(cap["reached"] as? Bool == true)
        let invalid = json["invalid_origins"] as! [String: Any]
        #expect((invalid["examples"] as! [Any]).count == 8)
        let input = json["input"] as! [String: Any]
        #expect((input["skipped_examples"] as! [Any]).count == 10)
        let origins = json["origins"] as! [[String: Any]]
        let heavy = try #require(origins.first { $0["origin"] as? String == "https://app0.example.com" })
        #expect((heavy["top_paths"] as! [Any]).count == 8)
        #expect((heavy["clients"] as! Int) > 16)

        var runs: [(String, Int, DecodeThread, InflateChoice, Int)] = [
            ("decode thread", 1, .always, .zlib, 1 << 20),
            ("4 workers", 4, .always, .zlib, 1 << 20),
            ("2 workers, no decode thread", 2, .never, .zlib, 1 << 20),
            ("2 workers, decode thread when it pays", 2, .auto, .zlib, 1 << 20),
            ("small blocks", 3, .always, .zlib, 777),
        ]
        if Self.isalAvailable {
            runs += [("isa-l", 1, .never, .isal, 1 << 20), ("isa-l, parallel, small blocks", 4, .always, .isal, 4099),
                     ("isa-l, decode thread when it pays", 2, .auto, .isal, 1 << 20)]
        }
        for (name, threads, decodeThread, inflate, blockSize) in runs {
            let r = try Self.report(paths, threads: threads, decodeThread: decodeThread, inflate: inflate,
                                    blockSize: blockSize, detect: detect)
            #expect(r == reference, "\(name) differs from the single-threaded zlib report")
        }
    }

    /// An incremental run collects each day with the day cap its state file keeps
    /// (`dayCapacity`, 64 here): no day holds more origins than that at any time, whatever the file
    /// holds, and the heavy hitters' counts per day are those of an uncapped run.
    @Test func daysAreCollectedWithinTheDayCap() throws {
        let (dir, paths) = try Self.writeSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        func days(_ dayCapacity: Int?, threads: Int) throws -> [Int32: Evidence] {
            var options = AnalysisOptions(paths: paths)
            options.format = .given(LogFormat.preset("nginx-cors")!)
            options.sites = [origin("https://api.example.com")]
            options.byDay = true
            options.dayCapacity = dayCapacity
            options.threads = threads
            return try Analyzer.run(options, files: paths.map { FileToRead(path: $0) }).days
        }
        let full = try days(nil, threads: 1)
        #expect(full.values.contains { $0.origins.count > 100 })
        for threads in [1, 2] {
            let capped = try days(64, threads: threads)
            #expect(capped.keys.sorted() == full.keys.sorted())
            for (day, e) in capped {
                #expect(e.origins.count <= 64, "day \(day): \(e.origins.count) origins")
                for heavy in (0..<3).map({ origin("https://app\($0).example.com") }) {
                    #expect(e.origins[heavy]?.requests == full[day]?.origins[heavy]?.requests, "day \(day), \(heavy)")
                }
            }
            #expect(capped.values.allSatisfy { $0.originCap.reached })
        }
    }

    /// Files side by side until one holds many origins (`sideBySideOriginLimit`), the ones
    /// not yet started then one at a time, their lines parsed ahead on the other cores: the
    /// same report as one thread gives.
    @Test func filesWithManyOriginsStopTheSideBySideReading() throws {
        let (dir, set) = try Self.writeSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A first file of one origin, below the limit of 2; every file of the set is above it
        // (with 2 threads the tiny file and the set's first are read side by side, then the
        // rest one at a time).
        let tiny = dir.appendingPathComponent("access.log.9")
        let few = Self.lines(file: 7, count: 400).split(separator: UInt8(ascii: "\n"))
            .filter { String(decoding: $0, as: UTF8.self).contains("\"https://app0.example.com\"") }.prefix(3)
        #expect(few.count == 3)
        try Data(few.flatMap { $0 + [UInt8(ascii: "\n")] }).write(to: tiny)
        let paths = [tiny.path] + set
        let reference = try Self.report(paths, threads: 1, decodeThread: .never, inflate: .zlib, sideBySideOriginLimit: 2)
        for threads in [2, 3, 4] {
            // 4 threads: the first four files start side by side, the tiny one is consumed and
            // the fifth file starts too; fewer: files wait and are read one at a time, parsed ahead.
            let r = try Self.report(paths, threads: threads, decodeThread: .auto, inflate: .zlib,
                                    expectAhead: threads < 4, sideBySideOriginLimit: 2)
            #expect(r == reference, "\(threads) threads differ from the single-threaded report")
        }
    }

    /// One file read alone is parsed on other threads ahead of its aggregation (`ParseAhead`):
    /// the report is the one the reading thread alone gives, for any number of parse threads
    /// and any batch size (one line a batch included), plain or gzip, detected or given format.
    @Test(arguments: [false, true])
    func parsingAheadGivesTheSameReport(detect: Bool) throws {
        let (dir, paths) = try Self.writeSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, files) in [("plain file", [paths[3]]), ("gzip file of two members", [paths[0]]), ("the set", paths)] {
            let reference = try Self.report(files, threads: 1, decodeThread: .never, inflate: .zlib, detect: detect,
                                            parseThreads: -1, expectAhead: false)
            let runs: [(threads: Int, parse: Int, batch: Int, inflate: InflateChoice, decode: DecodeThread)] = [
                (2, 0, 1 << 20, .zlib, .auto), (2, 0, 1 << 20, .zlib, .always), (8, 0, 64, .zlib, .auto), (2, 1, 300, .zlib, .never),
                (3, 4, 5000, .zlib, .always), (2, 2, 1, .zlib, .auto), (2, 1, 4096, .auto, .auto), (2, 0, 4096, .auto, .auto),
            ]
            for run in runs {
                // Parse threads for a file read alone (parse 0: automatic, the cores left beside the
                // reading thread and a decode thread — which `.auto` starts for zlib-inflated gzip, or
                // on three or more cores; at most `maxParseThreads`); files are read alone when there
                // are fewer than the cores (or than `maxFilesSideBySide`),
                // and the first is read alone while its format is detected.
                func workers(_ file: String) -> Int {
                    if run.parse != 0 { return run.parse }
                    let zlibGzip = file.hasSuffix(".gz") && (run.inflate == .zlib || IsalLibrary.shared == nil)
                    let decode = run.decode == .always || (run.decode == .auto && run.threads >= 2 && (zlibGzip || run.threads >= 3))
                    return min(run.threads - 1 - (decode ? 1 : 0), Analyzer.maxParseThreads)
                }
                // At most `maxFilesSideBySide` files are read side by side, whatever the cores.
                let alone = files.count < min(run.threads, Analyzer.maxFilesSideBySide) ? files : (detect ? [files[0]] : [])
                let ahead = alone.contains { workers($0) >= 1 }
                let r = try Self.report(files, threads: run.threads, decodeThread: run.decode, inflate: run.inflate, detect: detect,
                                        parseThreads: run.parse, parseBatchBytes: run.batch, expectAhead: ahead)
                #expect(r == reference, "\(name), \(run): parsed ahead differs from the reading thread alone")
            }
        }
    }

    /// Lines longer than `AheadFeed.longLine` are parsed by the reading thread between the
    /// batches (so batches stay small): the report is still the one of the reading thread alone.
    @Test func longLinesAmongBatchesKeepTheirPlace() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes: [UInt8] = []
        var longParsed = 0
        let normal = Self.lines(file: 5, count: 2000).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (i, line) in normal.enumerated() {
            bytes += line + [UInt8(ascii: "\n")]
            if i % 150 == 7 {
                if i % 300 == 7 { longParsed += 1 }
                // A long request target (parsed: its origin counts), or a long line of junk (skipped).
                let long = i % 300 == 7
                    ? "10.9.9.\(i % 200) - - [02/Nov/2025:10:00:00 +0000] \"PUT /v1/\(String(repeating: "p", count: 100_000 + i)) HTTP/1.1\" "
                        + "200 1 \"-\" \"ua\" \"api.example.com\" \"https://long\(i % 4).example\" \"-\" \"-\" \"*\" \"-\""
                    : String(repeating: "junk ", count: 20_000 + i)
                bytes += Array(long.utf8) + [UInt8(ascii: "\n")]
            }
        }
        let url = dir.appendingPathComponent("long.log")
        try Data(bytes).write(to: url)
        let reference = try Self.report([url.path], threads: 1, decodeThread: .never, inflate: .zlib,
                                        parseThreads: -1, expectAhead: false, maxLineBytes: 1 << 20)
        // Every long line was delivered (none overlong) and the long requests were parsed.
        let without = try Self.report([url.path], threads: 1, decodeThread: .never, inflate: .zlib,
                                      parseThreads: -1, maxLineBytes: 64 << 10)
        func input(_ report: String) throws -> [String: Any] {
            let json = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: Any]
            return (json["input"] as! [String: Any])["files"].flatMap { ($0 as! [[String: Any]]).first }!
        }
        let all = try input(reference), short = try input(without)
        #expect(all["overlong"] as? Int == 0)
        #expect((short["overlong"] as? Int ?? 0) > 10, "the long lines are longer than 64 KiB")
        #expect(all["parsed"] as? Int == (short["parsed"] as? Int ?? 0) + longParsed)
        for batch in [1, 700, 1 << 19] {
            let ahead = try Self.report([url.path], threads: 2, decodeThread: .auto, inflate: .zlib, parseThreads: 1,
                                        parseBatchBytes: batch, expectAhead: true, maxLineBytes: 1 << 20)
            #expect(ahead == reference, "batch \(batch)")
        }
    }

    @Test func parsingAheadKeepsTheDayBuckets() throws {
        let (dir, paths) = try Self.writeSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = try Self.report([paths[2]], threads: 1, decodeThread: .never, inflate: .zlib, byDay: true, parseThreads: -1)
        let ahead = try Self.report([paths[2]], threads: 2, decodeThread: .always, inflate: .zlib, byDay: true,
                                    parseThreads: 1, parseBatchBytes: 2000, expectAhead: true)
        #expect(ahead == reference)
    }

    @Test func dayBucketsAreTheSameWhateverTheThreads() throws {
        let (dir, paths) = try Self.writeSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = try Self.report(paths, threads: 1, decodeThread: .never, inflate: .zlib, byDay: true)
        #expect(reference.components(separatedBy: "corslog_version").count > 5, "several day buckets")
        let parallel = try Self.report(paths, threads: 4, decodeThread: .always, inflate: .auto, blockSize: 1000, byDay: true)
        #expect(parallel == reference)
    }

    @Test func theReportNamesTheBackendThatRan() throws {
        let (dir, paths) = try Self.writeSet()
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = AnalysisOptions(paths: paths)
        options.format = .given(LogFormat.preset("nginx-cors")!)
        options.inflate = .zlib
        #expect(try Analyzer.run(options, files: paths.map { FileToRead(path: $0) }).analysis.input.inflate == .zlib)
        options.paths = [paths[3]]
        #expect(try Analyzer.run(options, files: [FileToRead(path: paths[3])]).analysis.input.inflate == nil, "plain input: no backend")
        if Self.isalAvailable {
            options.inflate = .auto
            #expect(try Analyzer.run(options, files: paths.map { FileToRead(path: $0) }).analysis.input.inflate == .isal)
        }
    }
}
