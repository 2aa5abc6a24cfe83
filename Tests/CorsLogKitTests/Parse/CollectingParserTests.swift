import Foundation
import Testing
@testable import CorsLogKit

/// `LogFormat.makeCollectingParser`: the values no aggregation reads are located, not taken —
/// every line fits or fails exactly as with `makeParser()`, with the same other values.
@Suite struct CollectingParserTests {
    typealias T = ParseTestSupport

    private func lines() throws -> [[UInt8]] {
        let text = try String(contentsOf: PackagePaths.samples.appendingPathComponent("nginx/access.log"), encoding: .utf8)
        var out = text.split(separator: "\n").prefix(400).map { Array($0.utf8) }
        // A quote escaped in the skipped User-Agent and Referer (the field still ends at the real
        // quote), a line cut inside the User-Agent, trailing text, an empty line.
        out.append(Array(#"192.0.2.1 - - [05/Nov/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "https://a.example/\x22x" "UA \x22q\x22 \\" "api.example.com" "https://app.example.com" "-" "-" "*" "-""#.utf8))
        out.append(Array(#"192.0.2.1 - - [05/Nov/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "Mozilla/5.0 (cut"#.utf8))
        out.append(Array(#"192.0.2.1 - - [05/Nov/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "UA" "api.example.com" "https://app.example.com" "-" "-" "*" "-" extra"#.utf8))
        out.append([])
        return out
    }

    @Test(arguments: ["nginx-cors", "apache-cors", "combined"])
    func sameFitSameValuesWithoutTheUnreadOnes(_ preset: String) throws {
        let format = T.preset(preset)
        var full = format.makeParser(), collecting = format.makeCollectingParser()
        let refererRead = !format.fields.contains(.origin)
        var parsed = 0
        for line in try lines() {
            let a = T.parse(&full, line), b = T.parse(&collecting, line)
            #expect(a.failure?.description == b.failure?.description, "\(String(decoding: line, as: UTF8.self))")
            #expect(a.trailing == b.trailing)
            guard var expected = a.fields, let got = b.fields else {
                #expect(a.fields == nil && b.fields == nil)
                continue
            }
            parsed += 1
            #expect(got.userAgent.isEmpty, "the User-Agent is not taken")
            expected.userAgent = ""
            expected.userAgentBytes = []
            if !refererRead {
                #expect(got.referer.isEmpty, "nor the Referer when the format has Origin")
                expected.referer = ""
                expected.refererBytes = []
            }
            #expect(got == expected)
        }
        #expect(parsed > 100)
    }
}
