import Foundation
import Testing
@testable import CorsLogKit

/// A log format with neither Origin nor Referer (`common`, Apache's default `CustomLog …
/// common` on many installs) cannot show a single cross-origin request. Before, corslog said
/// "No cross-origin traffic found", proposed `origins: none` and `propose` printed an
/// allowlist that refuses every page — which, pasted, breaks every site that uses the API.
@Suite struct OriginsNotLoggedTests {
    let bin = PackagePaths.executable.path
    let samples = PackagePaths.samples.path
    let site = ["--site", "https://api.example.com"]

    private func json(_ out: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
    }

    /// The combined sample's lines without their Referer and User-Agent: the same traffic as
    /// `common` logs it.
    private func commonLog(in dir: URL) throws -> URL {
        let combined = try String(contentsOfFile: "\(samples)/combined/access.log", encoding: .utf8)
        let common = combined.split(separator: "\n").map { line in
            line.replacingOccurrences(of: #" "[^"]*" "[^"]*"$"#, with: "", options: .regularExpression)
        }
        #expect(common.allSatisfy { $0.filter { $0 == "\"" }.count == 2 }, "only the request is quoted")
        let file = dir.appendingPathComponent("access.log")
        try Data((common.joined(separator: "\n") + "\n").utf8).write(to: file)
        return file
    }

    @Test func theReportSaysNoOriginCanBeSeenNotThatThereIsNone() throws {
        let dir = try temporaryDirectory("origins")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = try commonLog(in: dir)
        let text = try runProcess(bin, ["analyze"] + site + [log.path])
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.contains("format common (detected:"))
        #expect(text.out.contains("the format records neither Origin nor Referer, so no cross-origin request can be seen in it"))
        #expect(text.out.contains("Traffic: cannot tell: the log format records neither Origin nor Referer"))
        #expect(text.out.contains("Proposal: none: the log records no origin"))
        #expect(!text.out.contains("No cross-origin traffic found"))
        #expect(!text.out.contains("It would refuse none"))

        let r = try runProcess(bin, ["analyze"] + site + ["--output", "json", log.path])
        let report = try json(r.out)
        let proposal = report["proposal"] as! [String: Any]
        let traffic = report["traffic"] as! [String: Any]
        let input = report["input"] as! [String: Any]
        #expect(proposal["origins_not_logged"] as? Bool == true)
        #expect(proposal["origins"] as? [String] == [])
        #expect(traffic["lines_without_origin_field"] as? Int == input["parsed"] as? Int)
        #expect((input["parsed"] as? Int ?? 0) > 1_000)

        let markdown = try runProcess(bin, ["analyze"] + site + ["--output", "markdown", log.path]).out
        #expect(markdown.contains("No origin can be seen in this log."))
        #expect(markdown.contains("None: the log records no origin"))
        #expect(!markdown.contains("Would refuse"))
        let html = try runProcess(bin, ["analyze"] + site + ["--output", "html", log.path]).out
        #expect(html.contains("Nothing to tell: no origin can be seen in this log."))
        #expect(!html.contains("It would refuse none"))

        // The combined sample itself: origins from Referer, nothing unknown.
        let combined = try json(try runProcess(bin, ["analyze"] + site + ["--output", "json", "\(samples)/combined/"]).out)
        #expect((combined["proposal"] as! [String: Any])["origins_not_logged"] as? Bool == false)
        #expect((combined["traffic"] as! [String: Any])["lines_without_origin_field"] as? Int == 0)
        #expect(((combined["proposal"] as! [String: Any])["origins"] as? [String] ?? []).count >= 3)
    }

    @Test func nothingThatActsOnAProposalGoesOn() throws {
        let dir = try temporaryDirectory("origins")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = try commonLog(in: dir)
        let propose = try runProcess(bin, ["propose", "--target", "nginx"] + site + [log.path])
        #expect(propose.status == 65)
        #expect(propose.out.isEmpty, "no configuration printed")
        #expect(propose.err.contains("format common records neither Origin nor Referer"))
        #expect(propose.err.contains("corslog log-format nginx"))

        let policy = dir.appendingPathComponent("policy.yaml").path
        let write = try runProcess(bin, ["analyze"] + site + ["--write-policy", policy, log.path])
        #expect(write.status == 65)
        #expect(!FileManager.default.fileExists(atPath: policy), "no policy file written")

        // An adopted policy checked against such a log: every origin would look unused.
        #expect(try runProcess(bin, ["analyze"] + site + ["--write-policy", policy, "\(samples)/nginx/"]).status == 0)
        let check = try runProcess(bin, ["check", "--policy", policy, "--output", "json", log.path])
        #expect(check.status == 65, "not 1 (remove every origin) and not 0 (all is well)")
        #expect(check.out.isEmpty)
        #expect(check.err.contains("records neither Origin nor Referer"))
    }

    /// Summaries of a host logging `common` and one logging `combined`, merged: the combined
    /// host's origins are proposed, and the report says how many lines could show none.
    @Test func aMergeWithSomeLinesWithoutOriginsSaysHowMany() throws {
        let dir = try temporaryDirectory("origins")
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = try commonLog(in: dir)
        let commonSummary = dir.appendingPathComponent("common.json").path
        let combinedSummary = dir.appendingPathComponent("combined.json").path
        #expect(try runProcess(bin, ["analyze"] + site + ["--summary-out", commonSummary, log.path]).status == 0)
        #expect(try runProcess(bin, ["analyze"] + site + ["--summary-out", combinedSummary, "\(samples)/combined/"]).status == 0)
        let lines = try json(try runProcess(bin, ["analyze"] + site + ["--output", "json", log.path]).out)
        let commonLines = (lines["input"] as! [String: Any])["parsed"] as! Int

        let merged = try runProcess(bin, ["merge"] + site + ["--output", "json", commonSummary, combinedSummary])
        #expect(merged.status == 0, "\(merged.err)")
        let report = try json(merged.out)
        #expect((report["traffic"] as! [String: Any])["lines_without_origin_field"] as? Int == commonLines)
        let proposal = report["proposal"] as! [String: Any]
        #expect(proposal["origins_not_logged"] as? Bool == false)
        #expect((proposal["origins"] as? [String] ?? []).count >= 3)
        let text = try runProcess(bin, ["merge"] + site + [commonSummary, combinedSummary])
        let count = ReportText.count(commonLines, "line")
        #expect(text.out.contains("(\(count) in a format that records neither: their cross-origin requests are not counted)"),
                "\(text.out)")
        // The common summary alone: unknown, and --write-policy refuses.
        let alone = try runProcess(bin, ["merge"] + site + ["--write-policy", dir.appendingPathComponent("p.yaml").path, commonSummary])
        #expect(alone.status == 65)
    }

    /// JSON lines read a missing key as empty: a log none of whose lines has an Origin value
    /// (Traefik keeps only the request headers it is told to) cannot tell "not sent" from
    /// "not logged". The shipped JSON sample has the key, and is known.
    @Test func jsonLinesWithoutAnyOriginValueAreUnknownToo() throws {
        let dir = try temporaryDirectory("origins")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sample = try String(contentsOfFile: "\(samples)/json/access.json", encoding: .utf8)
        let stripped = try sample.split(separator: "\n").map { line in
            var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            object.removeValue(forKey: "http_origin")
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
        #expect(!stripped.contains("\"http_origin\""))
        let file = dir.appendingPathComponent("access.json")
        try Data(stripped.utf8).write(to: file)
        let text = try runProcess(bin, ["analyze"] + site + [file.path])
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.contains("Traffic: cannot tell: no line has an Origin value, and in JSON lines a header that is not logged"))
        #expect(text.out.contains("--accesslog.fields.headers.names.Origin=keep"))
        let propose = try runProcess(bin, ["propose", "--target", "nginx"] + site + [file.path])
        #expect(propose.status == 65)
        #expect(propose.out.isEmpty)
        let known = try json(try runProcess(bin, ["analyze"] + site + ["--output", "json", "\(samples)/json/"]).out)
        #expect((known["proposal"] as! [String: Any])["origins_not_logged"] as? Bool == false)
    }

    @Test func theCountSurvivesASummaryAndOlderSummariesReadAsZero() throws {
        var e = Evidence(source: .referer)
        e.linesWithoutOrigin = 7
        e.linesOfFormatsWithoutOrigins = 7
        #expect(e.originsNotLogged)
        let data = try JSONEncoder().encode(e)
        let back = try JSONDecoder().decode(Evidence.self, from: data)
        #expect(back.linesOfFormatsWithoutOrigins == 7)
        #expect(back.originsNotLogged)
        // A file of a corslog before the count: no key, 0.
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        object.removeValue(forKey: "lines_without_origin_field")
        let old = try JSONDecoder().decode(Evidence.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.linesOfFormatsWithoutOrigins == 0)
        #expect(!old.originsNotLogged)
        // More such lines than lines without origin: not what corslog writes.
        object["lines_without_origin_field"] = 8
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Evidence.self, from: JSONSerialization.data(withJSONObject: object))
        }
        // JSON lines without an Origin value: counted apart, carried, and unknown alike.
        var j = Evidence(source: .originHeader)
        j.linesWithoutOrigin = 5
        j.jsonLinesWithoutOrigin = 5
        #expect(j.originsNotLogged)
        let jBack = try JSONDecoder().decode(Evidence.self, from: try JSONEncoder().encode(j))
        #expect(jBack.jsonLinesWithoutOrigin == 5 && jBack.originsNotLogged)
        var other = Evidence(source: .originHeader)
        other.sameOriginRequests = 1
        j.merge(other, capacity: 100)
        #expect(!j.originsNotLogged, "one host whose lines have Origin makes it known")
        // One line that did show an origin: known.
        e.sameOriginRequests = 1
        #expect(!e.originsNotLogged)
    }
}
