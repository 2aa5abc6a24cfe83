import Foundation
import Testing
@testable import CorsLogKit

/// A parse-ahead thread may work out what the collector derives from a line (the raw
/// origin and its hash, the client's and the path's hashes): aggregating such lines must
/// give exactly the evidence of lines the collector works out itself.
@Suite struct LineBatchTests {
    static func lines(referer: Bool) -> [String] {
        var out: [String] = []
        for i in 0..<3000 {
            let origin = ["https://app\(i % 3).example.com", "null", "https://bad.example/x", "-", "https://caf\\xC3\\xA9.example",
                          "https://o\(i % 97).tail.example"][i % 6]
            let ref = origin == "-" || origin == "null" ? "-" : "\(origin)/page/\(i)?q=\(i)"
            let method = ["GET", "OPTIONS", "PUT"][i % 3]
            let line = "10.0.\(i % 7).\(i % 251) - - [0\(1 + i % 5)/Nov/2025:10:\(String(format: "%02d", i % 60)):00 +0000] "
                + "\"\(method) /v1/r\(i % 11)/\(i)?x=\(i) HTTP/1.1\" 200 12 \"\(ref)\" \"ua\""
            out.append(referer ? line : line + " \"api.example.com\" \"\(origin)\" \"\(method == "OPTIONS" ? "PUT" : "-")\" \"x-a,x-b\" \"\(origin)\" \"-\"")
            if i % 100 == 3 { out.append("  ") }
            if i % 333 == 5 { out.append("not a log line") }
        }
        return out
    }

    static func collector(_ format: LogFormat) -> EvidenceCollector {
        EvidenceCollector(source: format.fields.contains(.origin) ? .originHeader : .referer, sites: [origin("https://api.example.com")],
                          capacity: 40, hasRequestMethodField: format.fields.contains(.requestMethodHeader),
                          hasHostField: format.fields.contains(.host), allowOriginField: AnswerField(format))
    }

    static func json(_ e: Evidence) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(e), as: UTF8.self)
    }

    @Test(arguments: [false, true])
    func precomputedLinesGiveTheSameEvidence(referer: Bool) throws {
        let format = try #require(LogFormat.preset(referer ? "combined" : "nginx-cors"))
        let source: OriginSource = referer ? .referer : .originHeader
        let lines = Self.lines(referer: referer)

        var batch = LineBatch(reserving: 1 << 16)
        for (n, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBufferPointer { batch.append(ByteSlice($0), number: n + 1) }
        }
        var parser = format.makeParser()
        batch.parse(with: &parser, source: source)
        var ahead = Self.collector(format)
        var precomputed = 0, parsed = 0, blank = 0, failed = 0
        batch.forEachLine { line in
            switch line {
            case .parsed(let f):
                parsed += 1
                if f.precomputed != nil { precomputed += 1 }
                ahead.add(f)
            case .blank: blank += 1
            case .failed: failed += 1
            }
        }

        var one = Self.collector(format)
        var plain = format.makeParser()
        var oneParsed = 0
        for line in lines {
            let bytes = Array(line.utf8)
            _ = bytes.withUnsafeBufferPointer { buffer in
                LineBatch.isBlank(ByteSlice(buffer)) ? nil : plain.parse(ByteSlice(buffer)) { f in oneParsed += 1; one.add(f) }
            }
        }
        #expect(parsed == oneParsed)
        #expect(blank == 30 && failed == 9)
        #expect(precomputed > parsed / 2, "the lines with an origin came precomputed: \(precomputed) of \(parsed)")
        let a = ahead.finish(), b = one.finish()
        #expect(a.origins.count >= 3 && a.invalid.requests > 0 && a.originCap.prunes > 0, "several origins, invalid ones, the cap reached: \(a.origins.count), \(a.invalid.requests), \(a.originCap.prunes)")
        #expect(try Self.json(a) == Self.json(b))
    }
}
