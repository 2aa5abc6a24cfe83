import Foundation
import Testing
@testable import CorsLogKit

private func serialized(_ value: String) -> String? {
    if case .origin(let origin) = Origin.parse(value) { return origin.serialized }
    return nil
}

private func origin(_ value: String) -> Origin? {
    if case .origin(let origin) = Origin.parse(value) { return origin }
    return nil
}

private func rejection(_ value: String) -> OriginRejection? {
    if case .invalid(let why) = Origin.parse(value) { return why }
    return nil
}

private func referer(_ value: String) -> OriginValue {
    Origin.fromReferer(value)
}

private let tooLongValue = "https://" + String(repeating: "a", count: 63) + "." + String(repeating: "b", count: 63) + "."
    + String(repeating: "c", count: 63) + "." + String(repeating: "d", count: 57)
private let longLabelValue = "https://" + String(repeating: "a", count: 64) + ".example"

/// A realistic hostile or broken value for every rejection class.
private let rejected: [(String, OriginRejection)] = [
    ("", .empty),
    ("-", .empty),
    (tooLongValue, .tooLong),
    ("https://a.example\u{0}", .controlOrNonASCII),
    ("https://a.example\u{7F}", .controlOrNonASCII),
    ("https://bücher.example", .controlOrNonASCII),
    ("https://ex ample.com", .whitespace),
    ("https://a.example\t", .whitespace),
    ("https://a.example\r\nSet-Cookie: x=1", .whitespace),
    ("https://a.example https://b.example", .whitespace),
    (" null", .whitespace),
    ("\"https://a.example\"", .quote),
    ("'https://a.example'", .quote),
    ("https://a.example`.evil.test", .backtick),
    ("https://a.example$", .dollarOrBackslash),
    ("https://a.example\\.evil.test", .dollarOrBackslash),
    ("https://a.example%60.evil.test", .percentEncoded),
    ("http://[fe80::1%25eth0]", .percentEncoded),
    ("https://*.example.com", .wildcard),
    ("*", .wildcard),
    ("NULL", .nullWrongCase),
    ("Null", .nullWrongCase),
    ("a.example", .missingScheme),
    ("localhost:3000", .missingScheme),
    ("//a.example", .missingScheme),
    ("https:/a.example", .missingScheme),
    ("https:a.example", .missingScheme),
    ("about:blank", .missingScheme),
    ("1https://a.example", .badScheme),
    ("ht_tp://a.example", .badScheme),
    ("://a.example", .badScheme),
    ("file://localhost", .opaqueScheme),
    ("https://user@a.example", .userinfo),
    ("https://user:pass@a.example", .userinfo),
    ("https://a.example@evil.test", .userinfo),
    ("https://a.example/", .hasPath),
    ("https://a.example/app", .hasPath),
    ("https://a.example:8443/", .hasPath),
    ("https://a.example/@evil.test", .hasPath),
    ("https://a.example?x=1", .hasQueryOrFragment),
    ("https://a.example#top", .hasQueryOrFragment),
    ("https://", .missingHost),
    ("https://:443", .missingHost),
    ("https://a.example,https://b.example", .multipleValues),
    ("https://a.example, https://b.example", .multipleValues),
    ("https://a~b.example", .badHost),
    ("https://a!.example", .badHost),
    ("http://[::1]x", .badHost),
    ("https://a_b.example", .underscore),
    ("https://app_.example.com", .underscore),
    ("https://-a.example", .hyphenAtLabelEdge),
    ("https://a-.example", .hyphenAtLabelEdge),
    ("https://a..example", .emptyLabel),
    ("https://.a.example", .emptyLabel),
    ("https://a.example.", .trailingDot),
    (longLabelValue, .labelTooLong),
    ("http://01.2.3.4", .badIPv4),
    ("http://1.2.3", .badIPv4),
    ("http://1.2.3.4.5", .badIPv4),
    ("http://1.2.3.256", .badIPv4),
    ("http://0x7f.0.0.1", .badIPv4),
    ("http://2130706433", .badIPv4),
    ("http://1.2.3.4.", .badIPv4),
    ("https://a.example.123", .badIPv4),
    ("http://[::1", .badIPv6),
    ("http://[]", .badIPv6),
    ("http://[1:2:3:4:5:6:7:8:9]", .badIPv6),
    ("http://[1:2:3:4:5:6:7]", .badIPv6),
    ("http://[::1::2]", .badIPv6),
    ("http://[12345::1]", .badIPv6),
    ("http://[::1:]", .badIPv6),
    ("http://[::ffff:1.2.3]", .badIPv6),
    ("http://[::ffff:01.2.3.4]", .badIPv6),
    ("http://[g::1]", .badIPv6),
    ("http://::1", .badIPv6),
    ("http://2001:db8::1", .badIPv6),
    ("https://a.example:", .badPort),
    ("https://a.example:0", .badPort),
    ("https://a.example:65536", .badPort),
    ("https://a.example:123456", .badPort),
    ("https://a.example:+443", .badPort),
    ("https://a.example:-1", .badPort),
    ("https://a.example:0443", .badPort),
    ("https://a.example:80:80", .badPort),
    ("https://a.example:http", .badPort),
    ("http://[::1]:", .badPort),
]

@Suite struct OriginTests {
    // MARK: Normalisation

    @Test(arguments: [
        ("HTTPS://App.Example.COM:443", "https://app.example.com"),
        ("https://app.example.com", "https://app.example.com"),
        ("http://a.example:80", "http://a.example"),
        ("ws://a.example:80", "ws://a.example"),
        ("wss://a.example:443", "wss://a.example"),
        ("https://a.example:80", "https://a.example:80"),
        ("http://a.example:443", "http://a.example:443"),
        ("wss://a.example:80", "wss://a.example:80"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("https://a.example:65535", "https://a.example:65535"),
        ("https://a.example:1", "https://a.example:1"),
        ("Chrome-Extension://abcdefghijklmnopabcdefghijklmnop", "chrome-extension://abcdefghijklmnopabcdefghijklmnop"),
        ("capacitor://localhost", "capacitor://localhost"),
        // No default-port folding for schemes other than http/https/ws/wss.
        ("chrome-extension://abc:443", "chrome-extension://abc:443"),
        ("https://xn--bcher-kva.example", "https://xn--bcher-kva.example"),
        ("https://a--b.example", "https://a--b.example"),
        ("https://1password.com", "https://1password.com"),
        ("http://1.2.3.4", "http://1.2.3.4"),
        ("http://0.0.0.0:8000", "http://0.0.0.0:8000"),
        ("http://255.255.255.255", "http://255.255.255.255"),
    ])
    func normalises(input: String, expected: String) {
        #expect(serialized(input) == expected)
    }

    @Test func exposesComponents() throws {
        let o = try #require(origin("HTTPS://App.Example.COM:443"))
        #expect(o.scheme == "https")
        #expect(o.host == "app.example.com")
        #expect(o.port == nil)
        #expect(o.isSecure)
        #expect(o.isWebScheme)
        #expect(o.hostKind == .domain)
        #expect(o.description == "https://app.example.com")

        let dev = try #require(origin("http://localhost:3000"))
        #expect(dev.port == 3000)
        #expect(!dev.isSecure)
        #expect(dev.isWebScheme)

        let ws = try #require(origin("wss://a.example"))
        #expect(ws.isSecure)
        #expect(!ws.isWebScheme)

        #expect(origin("http://1.2.3.4")?.hostKind == .ipv4)
        #expect(origin("http://[::1]:8080")?.hostKind == .ipv6)
        #expect(origin("chrome-extension://abc")?.isWebScheme == false)
    }

    @Test func spellingsOfOneOriginAreEqual() {
        #expect(origin("HTTPS://A.Example:443") as Origin? == origin("https://a.example"))
        #expect(Set([origin("https://a.example:443")!, origin("https://a.example")!]).count == 1)
        #expect(origin("https://a.example") != origin("http://a.example"))
        #expect(origin("https://a.example") != origin("https://a.example:8443"))
    }

    // MARK: IP literals

    @Test(arguments: [
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("http://[0:0::1]", "http://[::1]"),
        ("http://[0:0:0:0:0:0:0:1]", "http://[::1]"),
        ("http://[::]", "http://[::]"),
        ("https://[2001:DB8:0:0:0:0:0:1]", "https://[2001:db8::1]"),
        ("https://[2001:0db8::0001]:443", "https://[2001:db8::1]"),
        // RFC 5952 §4.2.3: the first of equally long zero runs is compressed.
        ("http://[2001:db8:0:0:1:0:0:1]", "http://[2001:db8::1:0:0:1]"),
        // §4.2.2: a single zero piece is not compressed.
        ("http://[2001:db8:0:1:1:1:1:1]", "http://[2001:db8:0:1:1:1:1:1]"),
        // §4.2.1: the longest run wins.
        ("http://[1:0:0:2:0:0:0:3]", "http://[1:0:0:2::3]"),
        ("http://[1::]", "http://[1::]"),
        // Browsers (WHATWG) never write a dotted quad back.
        ("http://[::ffff:192.0.2.1]", "http://[::ffff:c000:201]"),
        ("http://[FE80::1]:3000", "http://[fe80::1]:3000"),
    ])
    func canonicalisesIPv6(input: String, expected: String) {
        #expect(serialized(input) == expected)
    }

    // MARK: Rejections

    @Test(arguments: rejected)
    func rejects(input: String, expected: OriginRejection) {
        #expect(rejection(input) == expected, "\(String(reflecting: input))")
    }

    @Test func longestAcceptedValueIs255Bytes() {
        let host = String(repeating: "a", count: 63) + "." + String(repeating: "b", count: 63) + "."
            + String(repeating: "c", count: 63) + "." + String(repeating: "d", count: 55)
        let value = "https://" + host
        #expect(value.utf8.count == 255)
        #expect(serialized(value) == value)
        #expect(rejection(value + "d") == .tooLong)
    }

    @Test func nullIsExactlyLowercase() {
        #expect(Origin.parse("null") == .null)
        #expect(Origin.parse("NULL") == .invalid(.nullWrongCase))
        #expect(Origin.parse("null ") == .invalid(.whitespace))
    }

    @Test func everyRejectionHasItsOwnExplanation() {
        let explanations = OriginRejection.allCases.map(\.explanation)
        #expect(Set(explanations).count == OriginRejection.allCases.count)
        #expect(OriginRejection.hasPath.explanation == "has a path (browsers never send one)")
    }

    @Test func parsesAByteSliceInsideALargerBuffer() {
        let line = Array("https://a.example/page".utf8)
        line.withUnsafeBufferPointer { buffer in
            let whole = ByteSlice(buffer)
            #expect(Origin.parse(whole.slice(0, 17)) == Origin.parse("https://a.example"))
            #expect(Origin.parse(whole.slice(0, 18)) == .invalid(.hasPath))
            #expect(Origin.parse(whole.slice(0, 16)) == Origin.parse("https://a.exampl"))
            #expect(Origin.parse(ByteSlice.empty) == .invalid(.empty))
        }
    }

    // MARK: Referer

    @Test(arguments: [
        ("https://app.example.com/page?q=1", "https://app.example.com"),
        ("https://app.example.com/", "https://app.example.com"),
        ("https://app.example.com", "https://app.example.com"),
        ("HTTPS://App.Example.com:443/x", "https://app.example.com"),
        ("https://app.example.com:8443/x#y", "https://app.example.com:8443"),
        ("https://app.example.com?q=1", "https://app.example.com"),
        ("https://app.example.com#frag", "https://app.example.com"),
        ("http://[::1]:3000/", "http://[::1]:3000"),
        ("capacitor://localhost/", "capacitor://localhost"),
        // Paths and queries may hold bytes an origin may not; they are dropped.
        ("https://app.example.com/a@b/$x?q=`'\\%20", "https://app.example.com"),
    ])
    func refererYieldsItsOrigin(input: String, expected: String) throws {
        guard case .origin(let o) = referer(input) else {
            Issue.record("\(input) gave \(referer(input))")
            return
        }
        #expect(o.serialized == expected)
    }

    @Test(arguments: [
        ("", OriginRejection.empty),
        ("-", .empty),
        ("null", .missingScheme),
        ("/relative/page", .missingScheme),
        ("page.html", .missingScheme),
        ("/a://c", .missingScheme),
        ("//app.example.com/x", .missingScheme),
        ("about:client", .missingScheme),
        ("data:text/html,hi", .missingScheme),
        ("android-app://com.example.app/", .appReferrer),
        ("https://user:pw@app.example.com/", .userinfo),
        ("https://app.example.com@evil.test/", .userinfo),
        ("https://app.example.com\\@evil.test/", .dollarOrBackslash),
        ("https://app.example.com/a b", .whitespace),
        ("https://app.example.com/caf\u{E9}", .controlOrNonASCII),
        ("https://app.example.com./", .trailingDot),
        ("https://a_b.example/", .underscore),
        ("https://app.example.com:0/", .badPort),
        ("file:///etc/passwd", .opaqueScheme),
    ])
    func refererRejects(input: String, expected: OriginRejection) {
        #expect(referer(input) == .invalid(expected), "\(String(reflecting: input))")
    }

    // MARK: Codable, ordering

    @Test func codableRoundTripUsesTheSerialisedForm() throws {
        let origins = [origin("https://b.example")!, origin("http://[::1]:3000")!, origin("HTTPS://A.example:443")!]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = try encoder.encode(origins)
        #expect(String(decoding: data, as: UTF8.self) == #"["https://b.example","http://[::1]:3000","https://a.example"]"#)
        #expect(try JSONDecoder().decode([Origin].self, from: data) == origins)
    }

    @Test func decodingNormalisesAndRejects() throws {
        let decoded = try JSONDecoder().decode([Origin].self, from: Data(#"["HTTPS://App.Example.com:443"]"#.utf8))
        #expect(decoded.first?.serialized == "https://app.example.com")
        for bad in [#"["https://a.example/"]"#, #"["null"]"#, #"["https://a.example%60.evil"]"#, #"[""]"#, "[42]"] {
            #expect(throws: DecodingError.self, "\(bad)") {
                try JSONDecoder().decode([Origin].self, from: Data(bad.utf8))
            }
        }
    }

    @Test func decodingErrorNamesTheValueAndReason() {
        do {
            _ = try JSONDecoder().decode([Origin].self, from: Data(#"["https://user@a.example"]"#.utf8))
            Issue.record("decoded a value with user info")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("\"https://user@a.example\""))
            #expect(context.debugDescription.contains(OriginRejection.userinfo.explanation))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func sortsBySerialisedForm() {
        let sorted = ["https://b.example", "http://z.example", "https://a.example:8443", "https://a.example"]
            .compactMap(origin).sorted().map(\.serialized)
        #expect(sorted == ["http://z.example", "https://a.example", "https://a.example:8443", "https://b.example"])
    }
}

@Suite struct OriginPropertyTests {
    /// Random values built from the bytes that matter to the grammar: the
    /// parser must never trap, and what it accepts must re-parse to itself.
    @Test func acceptedValuesAreCanonicalAndStable() {
        let pieces = ["http", "https", "HTTPS", "ws", "x-y+z.", "://", ":", "//", "/", "[", "]", "::", "1", "0", "255",
                      "256", "65535", "65536", ".", "..", "-", "_", "a", "Example", "com", "xn--", "@", "?", "#", "%",
                      "`", "$", "\\", "\"", " ", "\t", "\u{0}", "é", "ffff", "fe80", "null", ",", "*"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var accepted = 0
        for _ in 0..<20_000 {
            var value = next(3) == 0 ? "" : ["http://", "https://", "HTTP://"][next(3)]
            for _ in 0..<(1 + next(8)) { value += pieces[next(pieces.count)] }
            for result in [Origin.parse(value), Origin.fromReferer(value)] {
                guard case .origin(let o) = result else { continue }
                accepted += 1
                #expect(Origin.parse(o.serialized) == .origin(o), "\(String(reflecting: value))")
                #expect(o.serialized.utf8.allSatisfy { b in
                    b > 0x20 && b < 0x7F && Origin.forbiddenByteReason(b) == nil && b != UInt8(ascii: "@")
                        && b != UInt8(ascii: "?") && b != UInt8(ascii: "#")
                }, "\(String(reflecting: value))")
                #expect(o.serialized == o.serialized.lowercased())
            }
        }
        #expect(accepted > 100)
    }
}
