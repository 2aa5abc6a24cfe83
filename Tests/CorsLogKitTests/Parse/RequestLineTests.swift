import Testing
@testable import CorsLogKit

/// `RequestLine` splits `method SP request-target SP HTTP-version` (RFC 9112 §3) the way
/// servers' logged request lines need: its fast paths (the last eight bytes compared as one
/// word, `tchar` as a bit table) give what the plain grammar gives.
@Suite struct RequestLineTests {
    /// RFC 9110 §5.6.2's `tchar`, written out.
    private static func grammarTChar(_ c: UInt8) -> Bool {
        let s = Unicode.Scalar(c)
        return (c < 128 && (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)))
            || "!#$%&'*+-.^_`|~".unicodeScalars.contains(s)
    }

    @Test func tcharTableIsTheGrammar() {
        for c in 0...255 {
            #expect(RequestLine.isTChar(UInt8(c)) == Self.grammarTChar(UInt8(c)), "byte \(c)")
        }
    }

    /// The split without fast paths: the method up to the first space (a token), the target
    /// up to the last space when "HTTP/" (any case) follows it, else up to the next space.
    private static func reference(_ line: [UInt8]) -> (String, String) {
        guard let sp = line.firstIndex(of: 32), sp > 0, line[..<sp].allSatisfy(grammarTChar) else { return ("", "") }
        let start = sp + 1
        var end = start
        if let last = line.lastIndex(of: 32), last >= start, line.count - (last + 1) >= 5,
           String(decoding: line[(last + 1)..<(last + 6)], as: UTF8.self).lowercased() == "http/" {
            end = last
        } else {
            while end < line.count && line[end] != 32 { end += 1 }
        }
        return (String(decoding: line[..<sp], as: UTF8.self), String(decoding: line[start..<max(end, start)], as: UTF8.self))
    }

    private static func split(_ line: [UInt8]) -> (String, String) {
        line.withUnsafeBufferPointer { b in
            let (m, t) = RequestLine.split(b)
            return (String(decoding: b[m], as: UTF8.self), String(decoding: b[t], as: UTF8.self))
        }
    }

    @Test(arguments: [
        "GET /v1/orders HTTP/1.1", "OPTIONS /a b HTTP/1.0", "GET / HTTP/2.0", "GET HTTP/1.1", "GET  HTTP/1.1",
        "GET /x  HTTP/1.1", "GET /xHTTP/1.1", "GET /x http/1.1", "GET /x HTTP/1.1 ", "GET /x", "GET", "-", "hello",
        "G(T /x HTTP/1.1", "GET /x HTTP/3", "GET /x HTTP/1.1x", " GET /x HTTP/1.1", "GET /a HTTP/1.1 HTTP/1.1",
        "PROPFIND /dav/ HTTP/1.1", "\u{16}\u{03}\u{01} HTTP/1.1",
    ])
    func splitsAsTheGrammarSays(_ line: String) {
        let bytes = Array(line.utf8)
        #expect(Self.split(bytes) == Self.reference(bytes), "\(line)")
    }

    @Test func randomLinesSplitAsTheGrammarSays() {
        var rng = SplitMix(seed: 0x5EED)
        let pieces = ["GET", "POST", " ", " ", "/", "a", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "http/1.1", "HTTP/", "x", "(", "?q=1"]
        for _ in 0..<20_000 {
            var line = ""
            for _ in 0..<Int(rng.next() % 7) { line += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let bytes = Array(line.utf8)
            #expect(Self.split(bytes) == Self.reference(bytes), "\(line)")
        }
    }
}

/// A small deterministic generator (SplitMix64) for the random cases.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
