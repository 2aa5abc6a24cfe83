import Foundation
import Testing
@testable import CorsLogKit

/// The real logs in ../shared/corpus/real (outside the package: present in the
/// development checkout, absent elsewhere, so the test is skipped there).
@Suite struct CorpusParseTests {
    static let corpus: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Parse
        .deletingLastPathComponent()  // CorsLogKitTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("../shared/corpus/real").standardizedFileURL

    static var corpusExists: Bool {
        FileManager.default.fileExists(atPath: corpus.appendingPathComponent("expectations.tsv").path)
    }

    // Skipped when the shared corpus folder is not next to the package.
    @Test(.enabled(if: corpusExists)) func expectationsAreMet() throws {
        let tsv = try String(contentsOf: Self.corpus.appendingPathComponent("expectations.tsv"), encoding: .utf8)
        var checked = 0
        for row in tsv.split(separator: "\n") where !row.hasPrefix("#") {
            let cols = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            try #require(cols.count >= 4, "bad row: \(row)")
            let (file, formatText, nonBlank, atLeast) = (cols[0], cols[1], Int(cols[2]), Int(cols[3]))
            if file.hasSuffix(".gz") { continue }
            let format = try LogFormat.preset(formatText) ?? LogFormat.parse(definition: formatText)
            let data = try Data(contentsOf: Self.corpus.appendingPathComponent(file))
            var parser = format.makeParser()
            var lines = 0
            var parsed = 0
            var firstFailure: String? = nil
            for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                let bytes = Array(line)
                guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
                lines += 1
                let failure = bytes.withUnsafeBufferPointer { parser.parse(ByteSlice($0)) { _ in } }
                if let failure {
                    if firstFailure == nil { firstFailure = "line \(lines): \(failure)" }
                } else {
                    parsed += 1
                }
            }
            #expect(lines == nonBlank, "\(file): non-blank lines")
            #expect(parsed >= (atLeast ?? Int.max), "\(file): \(parsed) of \(lines) parsed with \(format.name); first failure: \(firstFailure ?? "none")")
            checked += 1
        }
        #expect(checked >= 9)
    }

    @Test(.enabled(if: corpusExists)) func traefikLiteralMatchesTheCorpus() throws {
        // The JSON test uses line 7 of this file as a literal; make sure it is the real one and parses.
        let text = try String(contentsOf: Self.corpus.appendingPathComponent("crowdsec-traefik_json.log"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        let out = ParseTestSupport.parse(LogFormat.json(), lines[6])
        #expect(out.fields?.method == "OPTIONS")
        #expect(out.fields?.status == 204)
        let parsed = lines.filter { ParseTestSupport.parse(LogFormat.json(), $0).failure == nil }.count
        #expect(parsed == 6)  // all but the plugin's DEBUG line
    }
}
