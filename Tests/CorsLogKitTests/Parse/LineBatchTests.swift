import Foundation
import Testing
@testable import CorsLogKit

/// A parse-ahead thread may work out what the collector derives from a line (the raw
/// origin and its hash, the client's and the path's hashes, the methods, the requested
/// headers' hash): aggregating such lines must give exactly the evidence of lines the
/// collector works out itself. The lines also vary what it works out itself (statuses,
/// Access-Control-Allow-Origin answers, credentials) next to those.
@Suite struct LineBatchTests {
    // The lists' lengths are prime to each other and to the six origins, so every pair meets.

    /// Every known method, lower-case and unknown names, and tokens that are no method.
    static let methods = HTTPMethod.allCases.map(\.rawValue) + ["OPTIONS", "OPTIONS", "OPTIONS", "patch", "get", "FOO", "GETS", "G@T", "OPTIONS\\x22", "OPTIONS"]
    /// `Access-Control-Request-Method` values: known, lower-case, unknown, not a token, none.
    static let requestMethods = ["PUT", "DELETE", "-", "put", "FOO", "X Y", "GET"]
    static let requestHeaders = ["content-type", "-", "X-A, x-b ,", "bad header!,x-c", "authorization,content-type,x-a"]
    static let credentials = ["true", "TRUE", "-", "false", "True"]
    static let statuses = ["200", "204", "404", "500", "101", "301", "-", "99", "600", "999", "0"]

    static func lines(referer: Bool) -> [String] {
        var out: [String] = []
        for i in 0..<3000 {
            let origin = ["https://app\(i % 3).example.com", "null", "https://bad.example/x", "-", "https://caf\\xC3\\xA9.example",
                          "https://o\(i % 97).tail.example"][i % 6]
            let ref = origin == "-" || origin == "null" ? "-" : "\(origin)/page/\(i)?q=\(i)"
            let method = methods[i % methods.count]
            let status = statuses[i % statuses.count]
            let line = "10.0.\(i % 7).\(i % 251) - - [0\(1 + i % 5)/Nov/2025:10:\(String(format: "%02d", i % 60)):00 +0000] "
                + "\"\(method) /v1/r\(i % 11)/\(i)?x=\(i) HTTP/1.1\" \(status) 12 \"\(ref)\" \"ua\""
            // Echo, wildcard, another origin, none.
            let allowOrigin = [origin, "*", "https://other.example", "-", origin, "*", "null"][i % 7]
            let cors = [requestMethods[i % requestMethods.count], requestHeaders[i % requestHeaders.count], allowOrigin,
                        credentials[i % credentials.count]].map { "\"\($0)\"" }.joined(separator: " ")
            out.append(referer ? line : line + " \"api.example.com\" \"\(origin)\" " + cors)
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
        Self.expectEveryValue(a, cors: !referer)
        #expect(try Self.json(a) == Self.json(b))
    }

    /// The lines reach every value the parse thread may work out (so the comparison covers them).
    static func expectEveryValue(_ e: Evidence, cors: Bool) {
        let stats = Array(e.origins.values) + [e.null]
        func sum(_ value: (OriginStats) -> Int) -> Int { stats.reduce(0) { $0 + value($1) } }
        for c in 0...5 {
            #expect(sum { $0.statusClasses[c] } > 0, "status class \(c)")
        }
        let methods = stats.reduce(into: Set<HTTPMethod>()) { $0.formUnion($1.methods.keys) }
        #expect(methods.count >= HTTPMethod.allCases.count - 2, "actual methods: \(methods.sorted())")
        #expect(sum(\.otherMethods) > 0 && sum(\.preflights) > 0)
        #expect(sum { $0.preflightStatuses.values.reduce(0, +) } == sum(\.preflights))
        guard cors else { return }
        #expect(sum { $0.requestedMethods.count } > 0 && sum { $0.requestedHeaders.count } > 0 && sum(\.invalidRequestedHeaders) > 0)
        let answers = stats.map(\.allowOriginAnswers)
        #expect(answers.contains { $0.none > 0 } && answers.contains { $0.wildcard > 0 } && answers.contains { $0.echoed > 0 }
                && answers.contains { $0.other > 0 } && answers.contains { $0.echoedWithCredentials > 0 }
                && answers.contains { $0.wildcardWithCredentials > 0 })
        #expect(sum(\.credentialedResponses) > 0 && e.invalid.credentialedResponses > 0 && e.invalid.answers.echoed > 0)
    }
}
