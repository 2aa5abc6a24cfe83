import Foundation
import Testing
@testable import CorsLogKit

/// Summaries (`analyze --summary-out`) and `merge`: the merged report is the
/// report of one process that read every log.
@Suite struct EvidenceSummaryTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path

    /// The samples' lines cut into `parts` plain files of consecutive lines.
    private func split(into parts: Int, in dir: URL) throws -> [String] {
        var lines: [Substring] = []
        for name in ["access.log.2.gz", "access.log.1", "access.log"] {
            let path = "\(samples)/nginx/\(name)"
            let text: String
            if name.hasSuffix(".gz") {
                text = try runProcess("/bin/gzip", ["-dc", path]).out
            } else {
                text = try String(contentsOfFile: path, encoding: .utf8)
            }
            lines += text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        }
        let size = (lines.count + parts - 1) / parts
        var out: [String] = []
        for i in 0..<parts {
            let file = dir.appendingPathComponent("part\(i).log").path
            let chunk = lines[min(i * size, lines.count)..<min((i + 1) * size, lines.count)]
            try (chunk.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            out.append(file)
        }
        return out
    }

    /// The JSON report without the per-file list (whose order follows the arguments).
    private func withoutFileList(_ json: String) throws -> NSDictionary {
        var report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        var input = report["input"] as! [String: Any]
        input["files"] = nil
        input["skipped_examples"] = nil
        report["input"] = input
        return report as NSDictionary
    }

    @Test func mergingTheSummariesOfAnySplitGivesTheReportOfOneRun() throws {
        let dir = try temporaryDirectory("merge")
        defer { try? FileManager.default.removeItem(at: dir) }
        let parts = try split(into: 5, in: dir)
        let site = ["--site", "https://api.example.com", "--format", "nginx-cors"]
        let whole = try runProcess(bin, ["analyze", "--output", "json"] + site + parts)
        #expect(whole.status == 0, "\(whole.err)")
        var summaries: [String] = []
        for (i, part) in parts.enumerated() {
            let summary = dir.appendingPathComponent("host\(i).json").path
            let r = try runProcess(bin, ["analyze", "--summary-out", summary] + site + [part])
            #expect(r.status == 0, "\(r.err)")
            summaries.append(summary)
        }
        // In order: byte for byte the same report.
        let merged = try runProcess(bin, ["merge", "--output", "json", "--site", "https://api.example.com"] + summaries)
        #expect(merged.status == 0, "\(merged.err)")
        #expect(merged.out == whole.out)
        // In any order (commutative) and in stages (associative): the same but for the file list's order.
        let reversed = try runProcess(bin, ["merge", "--output", "json"] + summaries.reversed())
        #expect(try withoutFileList(reversed.out) == withoutFileList(whole.out))
        let firstTwo = dir.appendingPathComponent("first-two.json").path
        #expect(try runProcess(bin, ["merge", "--summary-out", firstTwo, summaries[3], summaries[1]]).status == 0)
        let staged = try runProcess(bin, ["merge", "--output", "json", summaries[4], firstTwo, summaries[0], summaries[2]])
        #expect(try withoutFileList(staged.out) == withoutFileList(whole.out))
        // The proposal, too, is the one-run proposal.
        let policyWhole = dir.appendingPathComponent("whole.yaml").path, policyMerged = dir.appendingPathComponent("merged.yaml").path
        _ = try runProcess(bin, ["analyze", "--write-policy", policyWhole] + site + parts)
        _ = try runProcess(bin, ["merge", "--write-policy", policyMerged] + summaries)
        #expect(try String(contentsOfFile: policyMerged, encoding: .utf8) == String(contentsOfFile: policyWhole, encoding: .utf8))
    }

    @Test func aSummaryReadsBackToTheSameBytes() throws {
        var options = AnalysisOptions(paths: ["\(samples)/nginx/"])
        options.sites = [origin("https://api.example.com")]
        let summary = EvidenceSummary(try Analyzer.analyze(options))
        let text = summary.encoded()
        // Written an origin at a time, it is the text of the whole document encoded at once,
        // and read an origin at a time it is the same summary.
        #expect(text == summary.encodedWhole())
        let byOrigin = try #require(EvidenceSummary.decodeByOrigin(Array(text.utf8)), "read an origin at a time")
        #expect(byOrigin.encoded() == text)
        let again = try EvidenceSummary.decode(Data(text.utf8), file: "s.json")
        #expect(again.encoded() == text)
        // And read from its file a piece at a time (what merge does).
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-summary-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try AtomicFile.write(file.path) { try summary.encodedPieces($0) }
        #expect(try String(contentsOf: file, encoding: .utf8) == text)
        let pieceByPiece = try #require(EvidenceSummary.read(pieceByPiece: file.path), "read a piece at a time")
        #expect(pieceByPiece.encoded() == text)
        #expect(again.evidence.origins == summary.evidence.origins, "equal statistics (shown only when they differ)")
        #expect(again.evidence.crossOriginRequests == 4_225)
        #expect(text.contains("\"corslog_summary\":1"))
    }

    /// A summary of several MiB is read through a window that moves on 1 MiB at a time.
    @Test func aLargeSummaryReadsBackPieceByPiece() throws {
        var options = AnalysisOptions(paths: ["\(samples)/nginx/"])
        options.sites = [origin("https://api.example.com")]
        var summary = EvidenceSummary(try Analyzer.analyze(options))
        let template = try #require(summary.evidence.origins[origin("https://app.example.com")])
        for i in 0..<6_000 { summary.evidence.origins[origin("https://host\(i).example.net")] = template }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-large-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try AtomicFile.write(file.path) { try summary.encodedPieces($0) }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)
        #expect(size > 3 << 20, "\(size) bytes")
        let back = try #require(EvidenceSummary.read(pieceByPiece: file.path))
        #expect(back.encoded() == summary.encoded())
        #expect(back.evidence.origins.count == summary.evidence.origins.count)
    }

    /// A summary may come from anywhere: nothing in it is taken on trust.
    @Test(arguments: [
        ("\"origin\":\"https://app.example.com\"", "\"origin\":\"https://app.example.com/x\"", "evidence.origins[3].origin: \"https://app.example.com/x\" is not a serialised origin"),
        ("\"origin\":\"https://app.example.com\"", "\"origin\":\"HTTPS://APP.EXAMPLE.COM\"", "is not a serialised origin"),
        ("\"corslog_summary\":1", "\"corslog_summary\":2", "summary format 2"),
        ("\"requests\":2791", "\"requests\":-5", "a count cannot be negative"),
        ("\"name\":\"authorization\"", "\"name\":\"author ization\"", "is not a header name"),
        ("\"PUT\":{", "\"FETCH\":{", "FETCH is not a method"),
        ("\"text\":\"/v1/orders\"", "\"text\":\"/v1/\\u001b[31morders\"", "printable ASCII"),
        ("\"source\":\"origin-header\"", "\"source\":\"cookie\"", "evidence.source"),
        // One status spelt twice: which count won would change from run to run.
        ("\"preflight_statuses\":{\"204\":", "\"preflight_statuses\":{\"+204\":5,\"204\":", "+204 is not an HTTP status"),
        ("\"preflight_statuses\":{\"204\":", "\"preflight_statuses\":{\"0204\":5,\"204\":", "0204 is not an HTTP status"),
    ])
    func aTamperedSummaryIsAnErrorNamingWhere(find: String, replace: String, message: String) throws {
        var options = AnalysisOptions(paths: ["\(samples)/nginx/"])
        options.sites = [origin("https://api.example.com")]
        let text = EvidenceSummary(try Analyzer.analyze(options)).encoded()
        #expect(text.contains(find), "the fixture has \(find)")
        let tampered = text.replacingOccurrences(of: find, with: replace)
        // Not read an origin at a time: read whole, for the decoder's account of where.
        #expect(EvidenceSummary.decodeByOrigin(Array(tampered.utf8)) == nil)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-tampered-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try tampered.write(to: file, atomically: true, encoding: .utf8)
        #expect(EvidenceSummary.read(pieceByPiece: file.path) == nil)
        do {
            _ = try EvidenceSummary.decode(Data(tampered.utf8), file: "host1.json")
            Issue.record("accepted \(replace)")
        } catch {
            #expect(error.status == .dataError)
            #expect(error.message.hasPrefix("host1.json: "), "\(error.message)")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func summariesOfDifferentKindsAreNotMerged() throws {
        let dir = try temporaryDirectory("merge")
        defer { try? FileManager.default.removeItem(at: dir) }
        let origin = dir.appendingPathComponent("origin.json").path
        let referer = dir.appendingPathComponent("referer.json").path
        let otherSite = dir.appendingPathComponent("other-site.json").path
        #expect(try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--summary-out", origin, "\(samples)/nginx/access.log"]).status == 0)
        #expect(try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--summary-out", referer, "\(samples)/combined/access.log"]).status == 0)
        #expect(try runProcess(bin, ["analyze", "--site", "https://www.example.com", "--summary-out", otherSite, "\(samples)/nginx/access.log"]).status == 0)
        let mixed = try runProcess(bin, ["merge", origin, referer])
        #expect(mixed.status == 65)
        #expect(mixed.err.contains("\(referer): origins read from referer"), "\(mixed.err)")
        let sites = try runProcess(bin, ["merge", origin, otherSite])
        #expect(sites.status == 65)
        #expect(sites.err.contains("use one --site everywhere"), "\(sites.err)")
        let missing = try runProcess(bin, ["merge", origin, dir.appendingPathComponent("nope.json").path])
        #expect(missing.status == 66)
        let notASummary = try runProcess(bin, ["merge", "\(samples)/json/access.json"])
        #expect(notASummary.status == 65)
        #expect(notASummary.err.contains("not a corslog summary"), "\(notASummary.err)")
    }

    @Test func aBrokenInputIsCarriedIntoTheMergedReport() throws {
        let dir = try temporaryDirectory("merge")
        defer { try? FileManager.default.removeItem(at: dir) }
        let gz = try Data(contentsOf: URL(fileURLWithPath: "\(samples)/nginx/access.log.2.gz"))
        let truncated = dir.appendingPathComponent("truncated.gz")
        try gz.prefix(gz.count / 2).write(to: truncated)
        let summary = dir.appendingPathComponent("s.json").path
        let analyze = try runProcess(bin, ["analyze", "--summary-out", summary, truncated.path, "\(samples)/nginx/access.log"])
        #expect(analyze.status == 3)
        let merged = try runProcess(bin, ["merge", summary])
        #expect(merged.status == 3, "the merged report covers an input that was not read whole")
        #expect(merged.out.contains("gzip data ends early"), "\(merged.out)")
    }
}
