import Foundation
import Testing
@testable import CorsLogKit

@Suite struct ReportTextTests {
    /// The JSON report's `by_reason` keys and the text report's reasons are these spellings:
    /// words of lower-case letters and digits joined by hyphens, an acronym one word.
    @Test func everyRejectionReasonIsSpelledAsWords() {
        for reason in OriginRejection.allCases {
            let key = ReportText.kebab(reason.rawValue)
            let words = key.split(separator: "-", omittingEmptySubsequences: false)
            #expect(words.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0.isNumber } }, "\(key)")
            #expect(words.allSatisfy { $0.count > 1 }, "\(reason.rawValue) → \(key): a one-letter word")
        }
        #expect(ReportText.kebab(OriginRejection.badIPv4.rawValue) == "bad-ipv4")
        #expect(ReportText.kebab(OriginRejection.badIPv6.rawValue) == "bad-ipv6")
        #expect(ReportText.kebab(OriginRejection.controlOrNonASCII.rawValue) == "control-or-non-ascii")
        #expect(ReportText.kebab(OriginRejection.hasQueryOrFragment.rawValue) == "has-query-or-fragment")
    }

    /// "1 origins" and "1 lines" read wrong: a count of one takes the singular.
    @Test func countsOfOneAreSingular() {
        #expect(ReportText.count(1, "line") == "1 line")
        #expect(ReportText.count(0, "line") == "0 lines")
        #expect(ReportText.count(12_345, "cross-origin request") == "12,345 cross-origin requests")
        #expect(ReportText.count(2, "entry", plural: "entries") == "2 entries")
    }

    @Test func aLogOfOneLineFromOneOriginSaysSo() throws {
        let bin = PackagePaths.executable.path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-one-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("access.log")
        try Data(#"192.0.2.1 - - [05/Nov/2025:10:00:00 +0000] "GET /v1/orders HTTP/1.1" 200 12 "https://app.example.com/" "Mozilla/5.0""#.utf8 + [0x0A])
            .write(to: log)
        let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", log.path])
        #expect(r.out.contains("Input: 1 file, 1 line: 1 parsed"), "\(r.out)")
        #expect(r.out.contains("Traffic: 1 cross-origin request from 1 origin ("), "\(r.out)")
        #expect(r.out.contains("  plain  1 line  1 parsed"), "\(r.out)")
    }
}
