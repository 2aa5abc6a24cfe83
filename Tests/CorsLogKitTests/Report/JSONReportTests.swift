import Foundation
import Testing
@testable import CorsLogKit

/// The JSON report is written in pieces, each origin's entry encoded on its own:
/// the text must be what one encoder would make of the whole document.
@Suite struct JSONReportTests {
    @Test func theOriginsWrittenOneByOneAreTheWholeArrayAsOneEncoderWritesIt() throws {
        // The flood test's log: 1,000 tracked origins, a report of several 64 KB pieces.
        let (a, i, entries) = try OriginFloodTests.analyse(OriginFloodTests.flooded())
        #expect(entries.count == i.verdicts.count && entries.count > 200, "\(entries.count)")
        let report = JSONReport(analysis: a, inference: i)
        var pieces: [String] = []
        report.write { pieces.append($0) }
        #expect(pieces.count > 2, "a report this size comes in several pieces")
        let longestEntry = try i.verdicts.map { try Self.encoder.encode(JSONReport.entry($0)).count }.max() ?? 0
        #expect(pieces.dropLast().allSatisfy { $0.utf8.count < (1 << 16) + 2 * longestEntry + 1024 })
        let text = pieces.joined()
        #expect(text == report.encoded())

        // The "origins" array cut out of the report, two spaces less indented, is
        // the array of all entries encoded as one document.
        let start = try #require(text.range(of: "\n  \"origins\" : [\n"))
        let end = try #require(text.range(of: "\n  ],\n  \"overrides\" : {", range: start.upperBound..<text.endIndex))
        let section = "[\n" + text[start.upperBound..<end.lowerBound] + "\n]"
        let outdented = section.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("  ") ? $0.dropFirst(2) : $0 }.joined(separator: "\n")
        let whole = String(decoding: try Self.encoder.encode(i.verdicts.map(JSONReport.entry)), as: UTF8.self)
        #expect(outdented == whole)
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }
}
