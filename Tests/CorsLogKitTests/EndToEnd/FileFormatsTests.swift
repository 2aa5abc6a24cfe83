import Foundation
import Testing
@testable import CorsLogKit

/// Files of one run whose first lines fit different presets are each read with their own
/// (`FileFormats`): Debian's `/var/log/apache2/` holds `access.log` in `combined` and
/// `other_vhosts_access.log` in `vhost_combined`; an Apache with `CustomLog … common` beside
/// another in `combined` is the other common mix.
@Suite struct FileFormatsTests {
    let bin = PackagePaths.executable.path

    static func combinedLine(_ i: Int, client: String, referer: String, method: String = "GET") -> String {
        "\(client) - - [01/Nov/2025:10:\(String(format: "%02d", i % 60)):00 +0000] \"\(method) /v1/r\(i % 5) HTTP/1.1\" 200 12 \"\(referer)\" \"Mozilla/5.0\""
    }

    /// `access.log` (combined: the default site) and `other_vhosts_access.log` (vhost_combined:
    /// the API's virtual host, whose own pages call it as well as a partner's).
    static func debianDirectory() throws -> (URL, vhostLines: Int, ownPages: Int, partnerClients: Int) {
        let dir = try ReadFixture.temporaryDirectory()
        var access: [String] = [], vhost: [String] = []
        for i in 0..<120 {
            access.append(combinedLine(i, client: "10.0.0.\(i % 4)", referer: i % 2 == 0 ? "https://www.example.com/" : "-"))
        }
        var ownPages = 0
        for i in 0..<150 {
            let own = i % 3 == 0
            if own { ownPages += 1 }
            let referer = own ? "https://api.example.com/docs" : "https://shop.partner.example/cart"
            vhost.append("api.example.com:443 " + combinedLine(i, client: "192.0.2.\(i % 9)", referer: referer,
                                                                method: own ? "GET" : ["PUT", "OPTIONS"][i % 2]))
        }
        try Data((access.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("access.log"))
        try Data((vhost.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("other_vhosts_access.log"))
        // The partner's lines are those of i % 3 != 0: six of the nine addresses.
        return (dir, vhost.count, ownPages, 6)
    }

    static func analyze(_ paths: [String], format: LogFormat? = nil, threads: Int = 1) throws -> Analysis {
        var options = AnalysisOptions(paths: paths)
        if let format { options.format = .given(format) }
        options.threads = threads
        return try Analyzer.analyze(options)
    }

    @Test(arguments: [1, 2, 4])
    func eachFileIsReadWithThePresetItsFirstLinesFit(threads: Int) throws {
        let (dir, vhostLines, ownPages, partnerClients) = try Self.debianDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try Self.analyze([dir.path], threads: threads)
        #expect(a.input.files.map(\.format) == ["combined", "vhost_combined"])
        #expect(a.format.name == "combined + vhost_combined")
        #expect(a.input.skipped == 0 && a.input.parsed == 120 + vhostLines)
        // The virtual host's `%v` is the Host: its own pages are same-origin (no --site needed),
        // and `%h` is the client, so the partner's six addresses are six clients.
        #expect(a.evidence.sameOriginRequests == ownPages)
        let partner = try #require(a.evidence.origins[origin("https://shop.partner.example")])
        #expect(partner.clients.count == partnerClients)
        #expect((a.evidence.origins[origin("https://api.example.com")]?.requests ?? 0) == 0)

        // Read with one format (the first file's, as before), the virtual host's pages are a
        // cross-origin origin to allow.
        let one = try Self.analyze([dir.path], format: LogFormat.preset("combined")!, threads: threads)
        #expect(one.input.files.allSatisfy { $0.format == nil })
        #expect(one.evidence.origins[origin("https://api.example.com")]?.requests == ownPages)
        #expect(one.evidence.sameOriginRequests == 0)
    }

    /// `CustomLog … common` records neither Origin nor Referer; read as `common`, a `combined`
    /// file beside it would lose its Referer too (its lines fit with text left over).
    @Test func aCommonLogBesideACombinedOneKeepsTheCombinedReferers() throws {
        let dir = try ReadFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let common = (0..<40).map { "10.1.0.\($0 % 3) - - [01/Nov/2025:10:00:00 +0000] \"GET /v1/a HTTP/1.1\" 200 5" }
        let combined = (0..<60).map { Self.combinedLine($0, client: "10.2.0.\($0 % 5)", referer: "https://app.partner.example/", method: "PUT") }
        try Data((common.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("a.log"))
        try Data((combined.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("b.log"))
        let a = try Self.analyze([dir.path])
        #expect(a.input.files.map(\.format) == ["common", "combined"])
        #expect(a.evidence.linesOfFormatsWithoutOrigins == 40)
        #expect(a.evidence.origins[origin("https://app.partner.example")]?.requests == 60)
        #expect(!a.evidence.originsNotLogged)
    }

    /// One format for every file: a set in one preset, and any set with --format.
    @Test func filesOfOnePresetNameNoFormat() throws {
        let (dir, _, _, _) = try Self.debianDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let vhost = dir.appendingPathComponent("other_vhosts_access.log").path
        let copy = dir.appendingPathComponent("other_vhosts_access.log.1").path
        try FileManager.default.copyItem(atPath: vhost, toPath: copy)
        let a = try Self.analyze([copy, vhost])
        #expect(a.format.name == "vhost_combined")
        #expect(a.input.files.allSatisfy { $0.format == nil })
        #expect(FileFormats.choose([FileToRead(path: copy), FileToRead(path: vhost)]) == nil)
    }

    @Test func theReportsNameEachFilesFormat() throws {
        let (dir, _, _, _) = try Self.debianDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = try runProcess(bin, ["analyze", dir.path])
        #expect(text.status == 0, "\(text.err)")
        let access = dir.appendingPathComponent("access.log").path
        let vhost = dir.appendingPathComponent("other_vhosts_access.log").path
        #expect(text.out.contains("format combined + vhost_combined (detected: fits 270 of the first 270 lines)"), "\(text.out)")
        #expect(text.out.contains("Formats: each file was read with the preset its first lines fit: combined for \(access); "
            + "vhost_combined for \(vhost) (give --format to read every file with one)."), "\(text.out)")
        #expect(text.out.contains("plain, vhost_combined"))

        let json = try runProcess(bin, ["analyze", "--output", "json", dir.path])
        let report = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as! [String: Any]
        let files = (report["input"] as! [String: Any])["files"] as! [[String: Any]]
        #expect(files.map { $0["format"] as? String } == ["combined", "vhost_combined"])
        #expect((report["format"] as! [String: Any])["name"] as? String == "combined + vhost_combined")

        // A summary keeps each file's format, and merging it gives the same report.
        let summary = dir.appendingPathComponent("s.json").path
        let written = try runProcess(bin, ["analyze", "--summary-out", summary, dir.path])
        #expect(written.status == 0, "\(written.err)")
        let merged = try runProcess(bin, ["merge", "--output", "json", summary])
        #expect(merged.status == 0, "\(merged.err)")
        let mergedFiles = ((try JSONSerialization.jsonObject(with: Data(merged.out.utf8)) as! [String: Any])["input"]
            as! [String: Any])["files"] as! [[String: Any]]
        #expect(mergedFiles.map { $0["format"] as? String } == ["combined", "vhost_combined"])
    }

    /// A summary's file format must be a preset (summaries are input too).
    @Test func aSummaryFileFormatMustBeAPreset() throws {
        var file = FileSummary(path: "x.log")
        file.format = "vhost_combined"
        let data = try JSONEncoder().encode(file)
        #expect(try JSONDecoder().decode(FileSummary.self, from: data).format == "vhost_combined")
        let forged = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "vhost_combined", with: "$(rm -rf)")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(FileSummary.self, from: Data(forged.utf8)) }
    }

    /// A nightly `--state` run resumes the files where the last one stopped: each file's
    /// format is recognised from its new lines.
    @Test func resumedFilesKeepTheirFormats() throws {
        let (dir, _, _, _) = try Self.debianDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state.json").path
        let logs = [dir.appendingPathComponent("access.log").path, dir.appendingPathComponent("other_vhosts_access.log").path]
        let first = try runProcess(bin, ["analyze", "--state", state, "--output", "json"] + logs)
        #expect(first.status == 0, "\(first.err)")
        // More lines in each file, then the second run reads only those.
        let more = (0..<30).map { "api.example.com:443 " + Self.combinedLine($0, client: "198.51.100.\($0 % 6)",
                                                                              referer: "https://shop.partner.example/", method: "PUT") }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logs[1]))
        handle.seekToEndOfFile()
        handle.write(Data((more.joined(separator: "\n") + "\n").utf8))
        try handle.close()
        let extra = Self.combinedLine(1, client: "10.0.0.9", referer: "-")
        let h2 = try FileHandle(forWritingTo: URL(fileURLWithPath: logs[0]))
        h2.seekToEndOfFile()
        h2.write(Data((extra + "\n").utf8))
        try h2.close()
        let second = try runProcess(bin, ["analyze", "--state", state, "--output", "json"] + logs)
        #expect(second.status == 0, "\(second.err)")
        let input = (try JSONSerialization.jsonObject(with: Data(second.out.utf8)) as! [String: Any])["input"] as! [String: Any]
        let files = input["files"] as! [[String: Any]]
        #expect(files.map { $0["format"] as? String } == ["combined", "vhost_combined"], "\(files)")
        #expect(files.map { $0["parsed"] as? Int } == [1, 30])
    }
}
