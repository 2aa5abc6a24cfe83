@testable import CorsLogKit

/// A copy of what a parser found, so tests can look at it after the closure.
struct ParsedSnapshot: Equatable {
    var clientAddress: String
    var method: String
    var uri: String
    var origin: String
    var referer: String
    var userAgent: String
    var requestMethodHeader: String
    var requestHeadersHeader: String
    var allowOrigin: String
    var allowCredentials: String
    var host: String
    var status: Int
    var time: Int64?
    var originBytes: [UInt8]
    var userAgentBytes: [UInt8]
    var methodBytes: [UInt8]
    var refererBytes: [UInt8]

    init(_ f: borrowing ParsedFields) {
        clientAddress = f.clientAddress.string
        method = f.method.string
        uri = f.uri.string
        origin = f.origin.string
        referer = f.referer.string
        userAgent = f.userAgent.string
        requestMethodHeader = f.requestMethodHeader.string
        requestHeadersHeader = f.requestHeadersHeader.string
        allowOrigin = f.allowOrigin.string
        allowCredentials = f.allowCredentials.string
        host = f.host.string
        status = f.status
        time = f.time
        originBytes = f.origin.bytes
        userAgentBytes = f.userAgent.bytes
        methodBytes = f.method.bytes
        refererBytes = f.referer.bytes
    }
}

struct ParseOutcome {
    var fields: ParsedSnapshot?
    var failure: ParseFailure?
    var trailing: Bool
    var calls: Int
}

enum ParseTestSupport {
    static func parse(_ format: LogFormat, _ line: String) -> ParseOutcome {
        parse(format, Array(line.utf8))
    }

    static func parse(_ format: LogFormat, _ bytes: [UInt8]) -> ParseOutcome {
        var parser = format.makeParser()
        return parse(&parser, bytes)
    }

    static func parse(_ parser: inout LineParser, _ bytes: [UInt8]) -> ParseOutcome {
        var snapshot: ParsedSnapshot? = nil
        var calls = 0
        let failure = bytes.withUnsafeBufferPointer { buffer in
            parser.parse(ByteSlice(buffer)) { fields in
                calls += 1
                snapshot = ParsedSnapshot(fields)
            }
        }
        return ParseOutcome(fields: snapshot, failure: failure, trailing: parser.lastLineHadTrailingText, calls: calls)
    }

    /// 0-based byte offset of the first `needle` in `haystack`.
    static func offset(of needle: String, in haystack: String) -> Int {
        let h = Array(haystack.utf8), n = Array(needle.utf8)
        for i in 0...(h.count - n.count) where Array(h[i..<(i + n.count)]) == n { return i }
        preconditionFailure("\(needle) not in \(haystack)")
    }

    static func preset(_ name: String) -> LogFormat {
        guard let f = LogFormat.preset(name) else { preconditionFailure("no preset \(name)") }
        return f
    }
}
