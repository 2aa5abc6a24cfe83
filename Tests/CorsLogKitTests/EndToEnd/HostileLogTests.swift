import Foundation
import Testing
@testable import CorsLogKit

/// `corslog analyze` on logs made to hurt it, as a person runs it: every file
/// gets an account, the report is whole, the exit code says what happened.
/// (CommandLineTests has the ordinary error cases; HostileReadTests the reader's side.)
@Suite struct HostileLogTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path

    private func report(_ out: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    private func files(_ report: [String: Any]) -> [[String: Any]] {
        ((report["input"] as? [String: Any])?["files"] as? [[String: Any]]) ?? []
    }

    private func line(origin: String, ua: String = "Mozilla/5.0", path: String = "/v1/orders") -> String {
        "192.0.2.7 - - [05/Nov/2025:10:00:00 +0000] \"GET \(path) HTTP/1.1\" 200 10 \"-\" \"\(ua)\" \"api.example.com\" \"\(origin)\" \"-\" \"-\" \"*\" \"-\""
    }

    @Test func gzipCutAtSeveralOffsetsKeepsWhatCameBeforeAndExits3() throws {
        let dir = try temporaryDirectory("hostile-log")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gz = try Data(contentsOf: URL(fileURLWithPath: "\(samples)/nginx/access.log.2.gz"))
        var previous = -1
        for fraction in [10, 30, 50, 70, 90, 99] {
            let cut = gz.count * fraction / 100
            let file = dir.appendingPathComponent("access.log.\(fraction).gz")
            try gz.prefix(cut).write(to: file)
            let r = try runProcess(bin, ["analyze", "--format", "nginx-cors", "--output", "json", file.path, "\(samples)/nginx/access.log"])
            #expect(r.status == 3, "cut at \(cut): \(r.err)")
            let f = files(try report(r.out))
            #expect(f.count == 2)
            let error = f.first?["error"] as? String ?? ""
            #expect(error.contains("truncated") && error.contains("at compressed byte \(cut);"), "\(error)")
            let parsed = f.first?["parsed"] as? Int ?? -1
            #expect(parsed >= previous, "a longer cut keeps at least as much")
            previous = parsed
            #expect(f.last?["parsed"] as? Int == 2083, "the next file is read whole")
        }
        #expect(previous > 1_300)
    }

    /// A log cut while it was compressed or copied, given alone: the lines before the cut are
    /// the report (exit 3, the file's error in it), not "no input could be read" (66).
    @Test func aTruncatedGzipAloneIsReportedUpToTheCut() throws {
        let dir = try temporaryDirectory("hostile-log")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gz = try Data(contentsOf: URL(fileURLWithPath: "\(samples)/nginx/access.log.2.gz"))
        let file = dir.appendingPathComponent("access.log.1.gz")
        try gz.prefix(gz.count / 2).write(to: file)
        let r = try runProcess(bin, ["analyze", "--output", "json", file.path])
        #expect(r.status == 3, "\(r.err)")
        let f = files(try report(r.out))
        #expect(f.count == 1)
        #expect((f.first?["error"] as? String)?.contains("truncated") == true)
        #expect((f.first?["parsed"] as? Int ?? 0) > 100)
        let text = try runProcess(bin, ["analyze", file.path])
        #expect(text.status == 3)
        #expect(text.out.contains("truncated"), "the text report names the file's error")
        // Cut inside the gzip header: not one line, so nothing could be read.
        try gz.prefix(5).write(to: file)
        let none = try runProcess(bin, ["analyze", file.path])
        #expect(none.status == 66, "\(none.err)")
        #expect(none.err.contains("no input could be read"))
    }

    /// `corslog analyze /var/log/nginx/`: the error logs beside the access logs are left out
    /// and named in every report — an error log that sorts first no longer fails detection.
    @Test func aDirectorysErrorLogsAreLeftOutAndNamed() throws {
        let dir = try temporaryDirectory("hostile-log")
        defer { try? FileManager.default.removeItem(at: dir) }
        let errorLine = #"2025/11/05 10:00:00 [error] 12#12: *3 open() "/srv/x" failed (2: No such file or directory), client: 192.0.2.7, server: api, request: "GET /x HTTP/1.1", host: "api.example.com""#
        try Data(String(repeating: errorLine + "\n", count: 300).utf8).write(to: dir.appendingPathComponent("api-error.log"))
        try FileManager.default.copyItem(atPath: "\(samples)/nginx/access.log", toPath: dir.appendingPathComponent("api.access.log").path)
        let left = dir.appendingPathComponent("api-error.log").path
        let text = try runProcess(bin, ["analyze", dir.path])
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.contains("Not read: \(left) (error logs, by their names"))
        let json = try runProcess(bin, ["analyze", "--output", "json", dir.path])
        let input = try report(json.out)["input"] as? [String: Any]
        #expect(input?["error_logs_not_read"] as? [String] == [left])
        #expect(input?["skipped"] as? Int == 1, "only the access log's own bad line")
        // Carried through a summary into merge's report.
        let summary = dir.appendingPathComponent("host.summary.json").path
        #expect(try runProcess(bin, ["analyze", "--summary-out", summary, "--output", "json", dir.path]).status == 0)
        let merged = try runProcess(bin, ["merge", "--output", "json", summary])
        #expect((try report(merged.out)["input"] as? [String: Any])?["error_logs_not_read"] as? [String] == [left])
        #expect((try report(merged.out)["input"] as? [String: Any])?["entries_not_read"] == nil)

        // A subdirectory (`/var/log/nginx/api/` of a vhost) and a named pipe are not read, and said.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("vhosts"), withIntermediateDirectories: false)
        #expect(mkfifo(dir.appendingPathComponent("live.pipe").path, 0o600) == 0)
        let withMore = try runProcess(bin, ["analyze", dir.path])
        #expect(withMore.status == 0, "\(withMore.err)")
        #expect(withMore.out.contains("Not read: \(left) (error logs, by their names; name such a file to read it); "
            + "\(dir.path)/vhosts/ (a subdirectory: a directory is not read recursively; name it to read its files); "
            + "\(dir.path)/live.pipe (no regular file: a pipe, socket, device or link to nothing"), "\(withMore.out)")
        let moreJSON = try report(try runProcess(bin, ["analyze", "--output", "json", dir.path]).out)["input"] as? [String: Any]
        #expect(moreJSON?["entries_not_read"] as? [String] == ["\(dir.path)/live.pipe", "\(dir.path)/vhosts/"])
        try FileManager.default.removeItem(at: dir.appendingPathComponent("vhosts"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("live.pipe"))

        // Named itself, it is read (and its lines fit no format).
        let named = try runProcess(bin, ["analyze", "--format", "nginx-cors", "--output", "json", left])
        #expect(named.status == 65)
        // A directory of error logs only.
        let only = dir.appendingPathComponent("only")
        try FileManager.default.createDirectory(at: only, withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: left, toPath: only.appendingPathComponent("error.log").path)
        let none = try runProcess(bin, ["analyze", only.path])
        #expect(none.status == 66)
        #expect(none.err.contains("hold only error logs"), "\(none.err)")
    }

    /// Nothing to read: the message names each file and what it held, or the empty directory.
    @Test func inputWithoutLogLinesSaysWhatEachFileHeld() throws {
        let dir = try temporaryDirectory("hostile-log")
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.log")
        let blank = dir.appendingPathComponent("blank.log")
        try Data().write(to: empty)
        try Data("\n  \n\t\n".utf8).write(to: blank)
        let r = try runProcess(bin, ["analyze", empty.path, blank.path])
        #expect(r.status == 66)
        #expect(r.err.contains("the input holds no log lines: \(empty.path) is empty; \(blank.path) has 3 blank lines and nothing else"), "\(r.err)")
        let hollow = dir.appendingPathComponent("hollow")
        try FileManager.default.createDirectory(at: hollow, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: hollow.appendingPathComponent(".hidden.log"))
        let d = try runProcess(bin, ["analyze", hollow.path])
        #expect(d.status == 66)
        #expect(d.err.contains("\(hollow.path) holds no file to read (a directory's hidden files and subdirectories are not read)"), "\(d.err)")
    }

    @Test func aGzipBombIsReadToTheEndWithBoundedMemory() throws {
        let dir = try temporaryDirectory("hostile-log")
        defer { try? FileManager.default.removeItem(at: dir) }
        // 4 real lines, then 256 MiB of zeros (no newline) in 4 members, then a real line.
        let real = try String(contentsOfFile: "\(samples)/nginx/access.log", encoding: .utf8).split(separator: "\n").prefix(5).map(String.init)
        let zeros = ReadFixture.gzip([UInt8](repeating: 0, count: 64 << 20), level: 9)
        var gz = ReadFixture.gzip(Array((real.prefix(4).joined(separator: "\n") + "\n").utf8))
        for _ in 0..<4 { gz += zeros }
        gz += ReadFixture.gzip(Array(("\n" + real[4] + "\n").utf8))
        let file = dir.appendingPathComponent("bomb.log.gz")
        try Data(gz).write(to: file)
        #expect(gz.count < 300_000)
        let output = dir.appendingPathComponent("report.json")
        let (status, maxRSS) = try runMeasured(bin, ["analyze", "--format", "nginx-cors", "--output", "json", file.path], stdout: output.path)
        #expect(status == 0)
        let f = files(try report(String(decoding: try Data(contentsOf: output), as: UTF8.self)))
        #expect(f.first?["parsed"] as? Int == 5)
        #expect(f.first?["overlong"] as? Int == 1)
        #expect(f.first?["error"] == nil, "read whole")
        #expect(maxRSS > 0, "VmHWM was read")
        #expect(maxRSS < 100 << 20, "peak RSS \(maxRSS >> 20) MiB for 256 MiB decoded (about 30 MiB measured)")
    }

    /// Runs a program with standard output to a file and returns its exit status and
    /// its peak resident memory in bytes: the last `VmHWM` of /proc/PID/status read
    /// while it ran. (`wait4`'s ru_maxrss would not do: Linux carries the maximum
    /// across fork and exec, so it starts at the size of this big test process.)
    private func runMeasured(_ executable: String, _ arguments: [String], stdout path: String) throws -> (status: Int32, maxRSS: Int) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? out.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        var peakKiB = 0
        while p.isRunning {
            if let status = try? String(contentsOfFile: "/proc/\(p.processIdentifier)/status", encoding: .utf8),
               let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kib = Int(line.split(separator: " ").dropFirst().first ?? "") {
                peakKiB = max(peakKiB, kib)
            }
            usleep(10_000)
        }
        p.waitUntilExit()
        return (p.terminationStatus, peakKiB * 1024)
    }

    @Test func aLineOf100MBIsSkippedCountedAndShown() throws {
        let dir = try temporaryDirectory("hostile-log")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("access.log")
        var data = Data((line(origin: "https://app.example.com") + "\n").utf8)
        data.append(Data(repeating: UInt8(ascii: "A"), count: 100 << 20))
        data.append(Data(("\n" + line(origin: "https://www.example.com") + "\n").utf8))
        try data.write(to: file)
        let r = try runProcess(bin, ["analyze", "--format", "nginx-cors", file.path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("\(file.path):2: line longer than 1048576 bytes (--max-line-bytes)"), "\(r.out)")
        // The overlong line counts as a line read (it used to be left out: "2 lines: 2 parsed, 1 skipped").
        #expect(r.out.contains("1 file, 3 lines: 2 parsed, 1 skipped, 0 blank"), "\(r.out)")
        let json = try runProcess(bin, ["analyze", "--format", "nginx-cors", "--output", "json", file.path])
        let f = files(try report(json.out))
        #expect(f.first?["lines"] as? Int == 3)
        #expect(f.first?["overlong"] as? Int == 1)
    }

    @Test func nulBytesInvalidUTF8AndCRLFAreReadAsBytes() throws {
        let dir = try temporaryDirectory("hostile-log")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("access.log")
        var data = Data()
        for i in 0..<6 {
            data.append(Data((line(origin: "https://app.example.com", ua: "UA \(i)") + "\r\n").utf8))
        }
        // NUL in the user agent, invalid UTF-8 in the path, both in the Origin (nginx
        // would write them as \x00 and \xFF; these come from a log written otherwise).
        data.append(Data(line(origin: "https://nul.example", ua: "a\u{0}b").utf8) + Data("\r\n".utf8))
        data.append(Data(line(origin: "https://bad.example", path: "/v1/").utf8).replacingPath(with: [0x2f, 0xff, 0xfe, 0xc3, 0x28]) + Data("\n".utf8))
        data.append(Data(line(origin: "https://x.example\u{0}evil").utf8) + Data("\r\n".utf8))
        var invalid = Data(line(origin: "https://ORIGIN").utf8)
        invalid = invalid.replacing(Data("https://ORIGIN".utf8), with: Data([0x68, 0x74, 0x74, 0x70, 0x73, 0x3a, 0x2f, 0x2f, 0xff, 0x2e, 0x65, 0x78]))
        data.append(invalid + Data("\n".utf8))
        try data.write(to: file)
        let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--format", "nginx-cors", "--output", "json", file.path])
        #expect(r.status == 0, "\(r.err)")
        let rep = try report(r.out)
        #expect((rep["input"] as? [String: Any])?["parsed"] as? Int == 10)
        let invalidOrigins = rep["invalid_origins"] as? [String: Any]
        #expect(invalidOrigins?["requests"] as? Int == 2)
        let examples = (invalidOrigins?["examples"] as? [String]) ?? []
        #expect(examples.contains("https://x.example\\x00evil"), "\(examples)")
        #expect(examples.contains("https://\\xFF.ex"), "\(examples)")
        let origins = (rep["origins"] as? [[String: Any]] ?? []).compactMap { $0["origin"] as? String }
        #expect(origins.contains("https://nul.example") && origins.contains("https://bad.example"))
        #expect(!r.out.contains("\u{0}"))
    }

    @Test func mixedFormatsInOneFileParseTheDetectedOneAndShowTheRest() throws {
        let dir = try temporaryDirectory("hostile-log")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("mixed.log")
        let nginx = try String(contentsOfFile: "\(samples)/nginx/access.log", encoding: .utf8).split(separator: "\n").prefix(60)
        let json = try String(contentsOfFile: "\(samples)/json/access.json", encoding: .utf8).split(separator: "\n").prefix(15)
        var lines: [Substring] = []
        for i in 0..<60 {
            lines.append(nginx[i])
            if i % 4 == 0 { lines.append(json[i / 4]) }
        }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--output", "json", file.path])
        #expect(r.status == 0, "\(r.err)")
        let rep = try report(r.out)
        #expect((rep["format"] as? [String: Any])?["name"] as? String == "nginx-cors")
        let input = rep["input"] as? [String: Any]
        #expect(input?["parsed"] as? Int == 60)
        #expect(input?["skipped"] as? Int == 15)
        let examples = input?["skipped_examples"] as? [[String: Any]] ?? []
        #expect(examples.count == 10)
        #expect(examples.first?["line"] as? Int == 2, "the first JSON line is the first skipped")
        let text = try runProcess(bin, ["analyze", "--site", "https://api.example.com", file.path])
        #expect(text.out.contains("Skipped lines (first 10 of 15):"), "\(text.out)")
        #expect(text.out.contains("mixed.log:2: expected ' - ' after $remote_addr at byte 1"))
    }

    @Test func aLogOfNothingButGarbageIsExit65WithAClearMessage() throws {
        let dir = try temporaryDirectory("hostile-log")
        defer { try? FileManager.default.removeItem(at: dir) }
        var state: UInt64 = 42
        let noise = (0..<50_000).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let plain = dir.appendingPathComponent("garbage.log")
        try Data(noise).write(to: plain)
        let gz = dir.appendingPathComponent("garbage.log.1.gz")
        try Data(ReadFixture.gzip(noise)).write(to: gz)
        for path in [plain.path, gz.path] {
            let r = try runProcess(bin, ["analyze", path])
            #expect(r.status == 65, "\(path): \(r.status) \(r.err)")
            #expect(r.err.hasPrefix("corslog: error: no preset format fits the first"), "\(r.err)")
            #expect(r.err.contains("(from \(path):1)"), "\(r.err)")
            #expect(r.err.contains("--format"))
            #expect(r.out.isEmpty)
        }
        let forced = try runProcess(bin, ["analyze", "--format", "nginx-cors", plain.path])
        #expect(forced.status == 65)
        #expect(forced.err.contains("none of the") && forced.err.contains("lines matched the format nginx-cors"), "\(forced.err)")
    }

    @Test func anUnreadableFileAmongReadableOnesIsReportedAndTheRestRead() throws {
        // As root (CI), a mode-000 file is readable, so the unreadable ones are a
        // symbolic-link loop (open fails: ELOOP) and /proc/self/mem (read fails: EIO).
        let dir = try temporaryDirectory("hostile-log")
        defer { try? FileManager.default.removeItem(at: dir) }
        let loop = dir.appendingPathComponent("loop.log").path
        #expect(symlink(loop, loop) == 0)
        let r = try runProcess(bin, ["analyze", "--format", "nginx-cors", "--output", "json",
                                     "\(samples)/nginx/access.log.1", loop, "/proc/self/mem", "\(samples)/nginx/access.log"])
        #expect(r.status == 3, "\(r.err)")
        let f = files(try report(r.out))
        // (access.log.1 and access.log are one logrotate set: read together, oldest first.)
        #expect(f.map { $0["path"] as? String ?? "" } == ["\(samples)/nginx/access.log.1", "\(samples)/nginx/access.log", loop, "/proc/self/mem"])
        guard f.count == 4 else { return }
        #expect(f[0]["parsed"] as? Int == 1357)
        #expect(f[1]["parsed"] as? Int == 2083)
        #expect(f[2]["error"] as? String == "\(loop): cannot open: Too many levels of symbolic links")
        #expect(f[3]["error"] as? String == "/proc/self/mem: read failed at byte 0: Input/output error; the 0 lines decoded before it were kept")
        let text = try runProcess(bin, ["analyze", "--format", "nginx-cors", loop, "\(samples)/nginx/access.log"])
        #expect(text.status == 3)
        #expect(text.out.contains("Too many levels of symbolic links"), "the text report names the file's error")
        let none = try runProcess(bin, ["analyze", "--format", "nginx-cors", loop, "/proc/self/mem"])
        #expect(none.status == 66, "nothing could be read: \(none.err)")
        #expect(none.err.contains("no input could be read"))
    }
}

private extension Data {
    func replacing(_ a: Data, with b: Data) -> Data {
        guard let range = self.range(of: a) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: b)
        return copy
    }

    /// Replaces the request path `/v1/` with raw bytes.
    func replacingPath(with bytes: [UInt8]) -> Data {
        replacing(Data(" /v1/ ".utf8), with: Data([0x20] + bytes + [0x20]))
    }
}
