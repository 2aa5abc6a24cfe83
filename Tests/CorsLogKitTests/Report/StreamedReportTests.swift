import Foundation
import Testing
@testable import CorsLogKit

/// The text, Markdown and HTML reports are written as they are made, in pieces of
/// about 64 KB, the table of origins row by row: the text must be what the
/// whole-table rendering made of the same verdicts.
@Suite struct StreamedReportTests {
    /// The verdicts in reading order, sorted here with the report's rule on copies.
    static func ordered(_ i: Inference) -> [OriginVerdict] {
        i.verdicts.sorted {
            $0.decision != $1.decision ? $0.decision < $1.decision
                : $0.stats.requests != $1.stats.requests ? $0.stats.requests > $1.stats.requests : $0.label < $1.label
        }
    }

    /// Pieces of 2 KB: the flood test's report is smaller than 64 KB.
    static let chunk = 2048

    static func pieces(_ write: ((String) -> Void) -> Void) -> [String] {
        var pieces: [String] = []
        write { pieces.append($0) }
        return pieces
    }

    @Test func theTextReportComesInPiecesAndItsOriginsTableIsTheWholeTable() throws {
        // The flood test's log: 1,000 tracked origins, a report of several 64 KB pieces.
        let (a, i, _) = try OriginFloodTests.analyse(OriginFloodTests.flooded())
        let pieces = Self.pieces { TextReport.write(a, i, chunk: Self.chunk, to: $0) }
        #expect(pieces.count > 10, "a report this size comes in several pieces")
        #expect(pieces.dropLast().allSatisfy { $0.utf8.count >= Self.chunk && $0.utf8.count < Self.chunk + 1024 })
        #expect(pieces.allSatisfy { $0.hasSuffix("\n") }, "pieces end at line ends")
        #expect(pieces[0].hasPrefix("corslog "), "the head of the report is handed on before the table is written")
        let text = pieces.joined()
        #expect(text == TextReport.render(a, i))

        // The origins table as it was made before: every row, then one table of them.
        var rows: [[String]] = [["DECISION", "ORIGIN", "REQUESTS", "PREFLIGHTS", "CLIENTS", "DAYS", "WHY"]]
        for v in Self.ordered(i) {
            rows.append([v.decision.rawValue, v.label + (v.inferredFromReferer ? " (referer)" : ""),
                         ReportText.count(v.stats.requests), ReportText.count(v.stats.preflights),
                         ReportText.count(v.stats.clients.count), ReportText.count(v.stats.days.count), ReportText.headline(v)])
        }
        let e = a.evidence
        #expect(e.invalid.requests > 0, "the flood has invalid origins: the table's last row")
        let reasons = e.invalid.byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
            .map { "\(ReportText.kebab($0.key.rawValue)) \($0.value)" }
        rows.append(["deny", "(invalid origins)", ReportText.count(e.invalid.requests), "", "", "",
                     "invalid: " + reasons.joined(separator: ", ") + "; e.g. " + e.invalid.examples.prefix(3).joined(separator: "  ")])
        let table = ReportText.table(rows, rightAligned: [2, 3, 4, 5])
        #expect(rows.count > 200)
        // The flood's one-request origins from 250 addresses make a long tail, said before the proposal.
        let tail = try #require(ReportText.longTailLine(i))
        #expect(text.contains("\n\n" + table + "\n\n" + tail + "\n\nProposal (replaces Access-Control-Allow-Origin: *):\n"))
    }

    @Test func theMarkdownReportComesInPiecesWithEveryOriginRowInOrder() throws {
        let (a, i, _) = try OriginFloodTests.analyse(OriginFloodTests.flooded())
        let pieces = Self.pieces { MarkdownReport.write(a, i, chunk: Self.chunk, to: $0) }
        #expect(pieces.count > 10, "a report this size comes in several pieces")
        #expect(pieces.dropLast().allSatisfy { $0.utf8.count >= Self.chunk && $0.utf8.count < Self.chunk + 1024 })
        let text = pieces.joined()
        #expect(text == MarkdownReport.render(a, i))
        let rows = Self.ordered(i).map { v in
            "| \(v.decision.rawValue) | `\(v.label)`\(v.inferredFromReferer ? " (referer)" : "") | "
                + "\(ReportText.count(v.stats.requests)) | \(ReportText.count(v.stats.preflights)) | "
                + "\(ReportText.count(v.stats.clients.count)) | \(ReportText.count(v.stats.days.count)) | "
                + "\(MarkdownReport.cell(ReportText.headline(v))) |"
        }
        let header = "| Decision | Origin | Requests | Preflights | Clients | Days | Why |\n|---|---|--:|--:|--:|--:|---|\n"
        let tail = try #require(ReportText.longTailLine(i))
        #expect(text.contains(header + rows.joined(separator: "\n") + "\n\n**\(MarkdownReport.cell(tail))**\n\n## Proposal\n"))
    }

    /// The HTML page too: the same bytes as the whole page, in pieces, the origins' table
    /// row by row — what the whole-table rendering made of the same rows.
    @Test func theHTMLReportComesInPiecesWithEveryOriginRowInOrder() throws {
        let (a, i, _) = try OriginFloodTests.analyse(OriginFloodTests.flooded())
        let pieces = Self.pieces { HTMLReport.write(a, i, chunk: Self.chunk, to: $0) }
        #expect(pieces.count > 10, "a report this size comes in several pieces")
        #expect(pieces.dropLast().allSatisfy { $0.utf8.count >= Self.chunk })
        // Only the pieces holding one of the three charts (each one SVG element) run long.
        #expect(pieces.filter { $0.utf8.count >= Self.chunk + 4096 }.count <= 3)
        #expect(pieces[0].hasPrefix("<!DOCTYPE html>"))
        let page = pieces.joined()
        #expect(page == HTMLReport.render(a, i))
        #expect(page.hasSuffix("</body>\n</html>\n"))
        let rows = Self.ordered(i).map { v -> [String] in
            [HTMLReport.badge(v.decision), HTMLReport.code(v.label) + (v.inferredFromReferer ? " (referer)" : ""),
             HTMLReport.escape(ReportText.count(v.stats.requests)), HTMLReport.escape(ReportText.count(v.stats.preflights)),
             HTMLReport.escape(ReportText.count(v.stats.clients.count)), HTMLReport.escape(ReportText.count(v.stats.days.count)),
             HTMLReport.escape(ReportText.headline(v))]
        }
        #expect(rows.count > 200)
        let whole = HTMLReport.table(caption: "Every origin the logs show: allow, review, deny; then most requests first", cssClass: "origins",
                                     head: ["Decision", "Origin", "Requests", "Preflights", "Clients", "Days", "Why"],
                                     numeric: [2, 3, 4, 5], rows: rows)
        // The streamed table is the whole table plus the invalid origins' row before its end.
        let withoutEnd = String(whole.dropLast("\n</tbody>\n</table>".count))
        #expect(page.contains(withoutEnd + "\n<tr>"))
    }

    @Test func aTableMadeRowByRowIsTheTableOfAllItsRows() {
        // Ragged rows, wide characters and empty cells: widths are in characters, the last cell unpadded.
        let rows: [[String]] = [
            ["a", "bb", "ccc"], ["dddd", "é", ""], ["x"], ["", "", "", "four"], ["ünïcödé", "1,234", "z  "],
        ]
        for aligned: Set<Int> in [[], [1], [1, 2], [3]] {
            var lines: [String] = []
            ReportText.table(rows: rows.count, rightAligned: aligned, row: { rows[$0] }, line: { lines.append($0) })
            #expect(lines.joined(separator: "\n") == ReportText.table(rows, rightAligned: aligned), "\(aligned)")
        }
    }

    @Test func verdictsSwappedIntoPlaceAreTheSortedVerdicts() throws {
        let (_, i, _) = try OriginFloodTests.analyse(OriginFloodTests.flooded())
        let labels = i.verdicts.map(\.label)
        #expect(labels == labels.sorted() && Set(labels).count == labels.count)
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            var shuffled = i.verdicts.shuffled(using: &rng)
            Inferrer.sortByLabel(&shuffled)
            #expect(shuffled.map(\.label) == labels)
        }
    }
}
