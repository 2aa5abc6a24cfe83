import Testing
@testable import CorsLogKit

@Suite struct FormatDetectorParseTests {
    static func lines(_ text: String) -> [[UInt8]] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
    }

    @Test func nginxCORSOverCombined() throws {
        let text = """
        203.0.113.7 - - [20/Nov/2026:10:00:00 +0000] "OPTIONS /api HTTP/2.0" 204 0 "-" "Mozilla/5.0" "api.example" "https://app.example" "POST" "content-type" "https://app.example" "-"
        203.0.113.7 - - [20/Nov/2026:10:00:01 +0000] "POST /api HTTP/2.0" 200 12 "https://app.example/" "Mozilla/5.0" "api.example" "https://app.example" "-" "-" "https://app.example" "-"
        """
        let d = try #require(FormatDetector.detect(Self.lines(text)))
        #expect(d.format.name == "nginx-cors")
        #expect(d.parsed == 2)
        #expect(d.sampled == 2)
    }

    /// Lines cut short (a server killed mid-write, a full disk) still fit a shorter preset with
    /// their head, with text left over: they must not choose it over the preset every whole
    /// line fits (one such line among 200 made an nginx-cors log `common`: no origin seen).
    @Test(arguments: [1, 5, 40])
    func linesCutShortDoNotChooseAShorterPreset(cut: Int) throws {
        var lines: [String] = []
        for i in 0..<200 {
            let line = "203.0.113.\(i % 250) - - [20/Nov/2026:10:00:00 +0000] \"GET /v1/\(i) HTTP/1.1\" 200 12 \"-\" "
                + "\"Mozilla/5.0 (X11; Linux x86_64)\" \"api.example\" \"-\" \"-\" \"-\" \"*\" \"-\""
            // Cut inside the User-Agent: still `common` with text left, not nginx-cors nor combined.
            lines.append(i % (200 / cut) == 3 ? String(line.prefix(92)) : line)
        }
        #expect(lines.filter { $0.count == 92 }.count == cut)
        let d = try #require(FormatDetector.detect(lines.map { Array($0.utf8) }))
        #expect(d.format.name == "nginx-cors")
        #expect(d.parsed == 200 - cut)
        // Cut after the User-Agent: whole `combined` lines, still fewer than nginx-cors's.
        let afterAgent = lines.enumerated().map { i, l in i % 7 == 0 ? String(l.prefix(l.count - 30)) : l }
        #expect(try #require(FormatDetector.detect(afterAgent.map { Array($0.utf8) })).format.name == "nginx-cors")
    }

    /// Common and combined lines mixed (crowdsec-hub-clf-lines.log): combined, whose lines keep
    /// their Referer, wins when more lines fit it whole; `common` only when most lines are CLF.
    @Test func mixedCommonAndCombinedLines() throws {
        let clf = "198.51.100.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5"
        let combined = clf + " \"https://app.example/\" \"curl/8\""
        func detect(_ clfLines: Int, _ combinedLines: Int) -> String? {
            FormatDetector.detect(Array(repeating: Array(clf.utf8), count: clfLines)
                                  + Array(repeating: Array(combined.utf8), count: combinedLines))?.format.name
        }
        #expect(detect(10, 90) == "combined")
        #expect(detect(90, 10) == "common")
    }

    /// `combined` plus a `"$http_origin"` of the server's own making: no preset reads it, and the
    /// detected `combined` leaves the origin after its last field; the detection counts it.
    @Test func originsAfterTheFormatAreCounted() throws {
        let combined = "198.51.100.1 - - [20/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\""
        let lines = [combined + " \"https://app.example.com\"", combined + " \"-\"", combined + " \"https://shop.partner.example:8443\"",
                     combined + " \"https://bad.example/path\"", combined + " \"198.51.100.7\"", combined]
        let d = try #require(FormatDetector.detect(lines.map { Array($0.utf8) }))
        #expect(d.format.name == "combined")
        #expect(d.originsAfterFormat == 2, "two origins; a path, an address, a dash are none")
        // The nginx "main" format's X-Forwarded-For after combined holds addresses, no origin.
        let main = (0..<20).map { Array((combined + " \"203.0.113.\($0)\"").utf8) }
        #expect(try #require(FormatDetector.detect(main)).originsAfterFormat == 0)
        #expect(FormatDetector.quotedOrigin(in: Array(#"x "http://a.example" y"#.utf8), from: 0))
        #expect(!FormatDetector.quotedOrigin(in: Array(#"x "http://a.example"#.utf8), from: 0), "no closing quote")
    }

    @Test func combinedForCombined() throws {
        // gromnitsky-sigwait-access.log lines 1–2, plus a blank line that is not sampled.
        let text = """
        52.18.122.238 - - [06/Mar/2020:00:02:00 -0500] "GET /~alex/doc/bunz%2Cmercedes__school-will-never-end/ HTTP/1.1" 200 17133 "-" "Apache-HttpClient/4.3.6 (java 1.5)"
        54.174.110.177 - - [06/Mar/2020:00:03:10 -0500] "GET /~alex/doc/bunz%2Cmercedes__school-will-never-end/ HTTP/1.1" 200 17133 "-" "Ruby"

        """
        let d = try #require(FormatDetector.detect(Self.lines(text)))
        #expect(d.format.name == "combined")
        #expect(d.parsed == 2)
        #expect(d.sampled == 2)
    }

    @Test func commonForCommon() throws {
        // beats-apache-darwin-2.4.23.log.
        let text = """
        ::1 - - [26/Dec/2016:16:16:28 +0200] "GET / HTTP/1.1" 200 45
        ::1 - - [26/Dec/2016:16:16:29 +0200] "GET /favicon.ico HTTP/1.1" 404 209
        ::1 - - [26/Dec/2016:16:16:48 +0200] "-" 408 -
        """
        let d = try #require(FormatDetector.detect(Self.lines(text)))
        #expect(d.format.name == "common")
        #expect(d.parsed == 3)
    }

    @Test func vhostCombined() throws {
        let text = """
        www.example.org:443 192.0.2.1 - - [25/Oct/2021:11:05:52 +0200] "GET / HTTP/1.1" 200 6963 "-" "curl/8"
        www.example.org:80 192.0.2.2 - - [25/Oct/2021:11:05:53 +0200] "GET /x HTTP/1.1" 404 10 "-" "curl/8"
        """
        #expect(FormatDetector.detect(Self.lines(text))?.format.name == "vhost_combined")
    }

    @Test func jsonForJSON() throws {
        let text = """
        {"ClientHost":"172.17.0.1","DownstreamStatus":200,"RequestMethod":"GET","RequestPath":"/","time":"2021-12-08T14:02:43Z"}
        DEBUG: CrowdsecBouncerTraefikPlugin: 2025/09/05 13:53:40 handleStreamCache:updated
        {"ClientHost":"172.17.0.1","DownstreamStatus":404,"RequestMethod":"GET","RequestPath":"/x","time":"2021-12-08T14:02:44Z"}
        """
        let d = try #require(FormatDetector.detect(Self.lines(text)))
        #expect(d.format.name == "json")
        #expect(d.parsed == 2)
        #expect(d.sampled == 3)
    }

    @Test func nilForGarbage() {
        #expect(FormatDetector.detect(Self.lines("hello\nworld\n[Thu Oct 13 12:24:49.880562 2022] [auth_basic:error] [pid 10] AH01618")) == nil)
        #expect(FormatDetector.detect([]) == nil)
        #expect(FormatDetector.detect([[], [0x0D]]) == nil)
    }
}

@Suite struct FormatDetectorApacheParseTests {
    @Test func anApacheEscapedQuoteTellsApacheCorsFromNginxCors() {
        let apache = #"192.0.2.1 - - [01/Nov/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "UA \"x\"" "h" "https://a.example" "-" "-" "*" "-""#
        let plain = #"192.0.2.1 - - [01/Nov/2025:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "UA" "h" "https://a.example" "-" "-" "*" "-""#
        #expect(FormatDetector.detect([Array(plain.utf8), Array(apache.utf8)])?.format.name == "apache-cors")
        #expect(FormatDetector.detect([Array(plain.utf8)])?.format.name == "nginx-cors")
    }
}
