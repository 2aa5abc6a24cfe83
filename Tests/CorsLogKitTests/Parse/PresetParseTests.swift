import Testing
@testable import CorsLogKit

@Suite struct PresetParseTests {
    typealias T = ParseTestSupport

    @Test func presetNamesAllResolve() {
        #expect(LogFormat.presetNames == ["combined", "common", "vhost_combined", "nginx-cors", "apache-cors", "json"])
        for name in LogFormat.presetNames {
            #expect(LogFormat.preset(name)?.name == name)
        }
        #expect(LogFormat.preset("nope") == nil)
        #expect(T.preset("combined").syntax == .nginx)
        #expect(T.preset("vhost_combined").syntax == .apache)
        #expect(T.preset("json").syntax == .json)
    }

    @Test func combinedReadsARealLine() throws {
        // gromnitsky-sigwait-access.log, line 1.
        let line = #"52.18.122.238 - - [06/Mar/2020:00:02:00 -0500] "GET /~alex/doc/bunz%2Cmercedes__school-will-never-end/ HTTP/1.1" 200 17133 "-" "Apache-HttpClient/4.3.6 (java 1.5)""#
        let out = T.parse(T.preset("combined"), line)
        #expect(out.failure == nil)
        #expect(out.calls == 1)
        let f = try #require(out.fields)
        #expect(f.clientAddress == "52.18.122.238")
        #expect(f.method == "GET")
        #expect(f.uri == "/~alex/doc/bunz%2Cmercedes__school-will-never-end/")
        #expect(f.status == 200)
        #expect(f.referer == "")
        #expect(f.userAgent == "Apache-HttpClient/4.3.6 (java 1.5)")
        #expect(f.time == 1_583_470_920)  // date -u -d "2020-03-06 00:02:00 -0500" +%s
        #expect(f.origin == "")
        #expect(!out.trailing)
        #expect(T.preset("combined").fields == [.clientAddress, .time, .request, .method, .uri, .status, .referer, .userAgent])
    }

    @Test func commonReadsTheMacOSDefaultLog() throws {
        // beats-apache-darwin-2.4.23.log, lines 1 and 3.
        let common = T.preset("common")
        let f = try #require(T.parse(common, #"::1 - - [26/Dec/2016:16:16:28 +0200] "GET / HTTP/1.1" 200 45"#).fields)
        #expect(f.clientAddress == "::1")
        #expect(f.uri == "/")
        #expect(f.time == 1_482_761_788)
        let dash = T.parse(common, #"::1 - - [26/Dec/2016:16:16:48 +0200] "-" 408 -"#)
        #expect(dash.failure == nil)
        #expect(dash.fields?.method == "")
        #expect(dash.fields?.uri == "")
        #expect(dash.fields?.status == 408)
        // A combined line read as common: the extra fields are trailing text.
        let extra = T.parse(common, #"1.2.3.4 - - [26/Dec/2016:16:16:48 +0200] "GET /a HTTP/1.1" 200 5 "-" "curl/8""#)
        #expect(extra.failure == nil)
        #expect(extra.trailing)
    }

    @Test func vhostCombinedReadsHostAndPort() throws {
        // crowdsec-apache2-logs-mixed.log, line 9.
        let line = #"website.com:443 1.2.3.4 - - [25/Oct/2021:11:05:52 +0200] "GET /web/.well-known HTTP/1.1" 403 6963 "abc.com" "User-agent-string""#
        let f = try #require(T.parse(T.preset("vhost_combined"), line).fields)
        #expect(f.host == "website.com")
        #expect(f.clientAddress == "1.2.3.4")
        #expect(f.status == 403)
        #expect(f.referer == "abc.com")
        #expect(f.userAgent == "User-agent-string")
        #expect(T.preset("vhost_combined").fields.contains(.host))
    }

    @Test func nginxCORSReadsThePreflightHeaders() throws {
        let line = #"203.0.113.7 - - [20/Nov/2026:10:00:00 +0000] "OPTIONS /api/cart?x=1 HTTP/2.0" 204 0 "https://shop.example/" "Mozilla/5.0 (X11; Linux x86_64)" "api.shop.example" "https://shop.example" "PUT" "content-type,x-csrf-token" "https://shop.example" "true""#
        let out = T.parse(T.preset("nginx-cors"), line)
        let f = try #require(out.fields)
        #expect(f.method == "OPTIONS")
        #expect(f.uri == "/api/cart?x=1")
        #expect(f.status == 204)
        #expect(f.host == "api.shop.example")
        #expect(f.origin == "https://shop.example")
        #expect(f.requestMethodHeader == "PUT")
        #expect(f.requestHeadersHeader == "content-type,x-csrf-token")
        #expect(f.allowOrigin == "https://shop.example")
        #expect(f.allowCredentials == "true")
        #expect(f.time == 1_795_168_800)
        #expect(!out.trailing)
        #expect(T.preset("nginx-cors").fields == Set(LogField.allCases))

        // A simple GET without CORS headers: every "-" is empty.
        let plain = try #require(T.parse(T.preset("nginx-cors"), #"203.0.113.7 - - [20/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/8.5" "shop.example" "-" "-" "-" "-" "-""#).fields)
        #expect(plain.origin == "")
        #expect(plain.allowOrigin == "")
        #expect(plain.host == "shop.example")
    }

    @Test func apacheCORSReadsApacheEscapes() throws {
        let line = #"198.51.100.4 - alice [20/Nov/2026:10:00:00 +0000] "POST /rpc HTTP/1.1" 200 17 "-" "Bot \"quoted\" C:\\dir\ttab" "api.example" "https://app.example" "-" "-" "https://app.example" "-""#
        let out = T.parse(T.preset("apache-cors"), line)
        let f = try #require(out.fields)
        #expect(f.method == "POST")
        #expect(f.userAgent == "Bot \"quoted\" C:\\dir\ttab")
        #expect(f.origin == "https://app.example")
        #expect(f.allowOrigin == "https://app.example")
        #expect(f.allowCredentials == "")
        #expect(f.host == "api.example")
        #expect(T.preset("apache-cors").fields == Set(LogField.allCases))
    }

    @Test func jsonPresetReadsNginxStyleKeys() throws {
        let line = #"{"time_iso8601":"2026-11-20T10:00:00+00:00","remote_addr":"203.0.113.9","request":"OPTIONS /api HTTP/1.1","status":"204","http_origin":"https://a.example"}"#
        let f = try #require(T.parse(T.preset("json"), line).fields)
        #expect(f.method == "OPTIONS")
        #expect(f.uri == "/api")
        #expect(f.status == 204)
        #expect(f.origin == "https://a.example")
        #expect(f.time == 1_795_168_800)
    }

    @Test func timeShapes() throws {
        // ISO 8601 with fraction and zone, msec with fraction.
        let iso = try LogFormat.parse(definition: #"$time_iso8601 $msec "$request""#)
        let f = try #require(T.parse(iso, #"2000-10-10T13:55:36.250-07:00 971211336.999 "GET / HTTP/1.1""#).fields)
        #expect(f.time == 971_211_336)
        let z = try #require(T.parse(iso, #"2000-10-10T20:55:36Z 1.5 "GET / HTTP/1.1""#).fields)
        #expect(z.time == 971_211_336)
        // The Apache documentation's example time.
        let clf = try #require(T.parse(T.preset("common"), #"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#).fields)
        #expect(clf.time == 971_211_336)
        // A leap day.
        let leap = try #require(T.parse(T.preset("common"), #"127.0.0.1 - - [29/Feb/2024:00:00:00 +0000] "GET / HTTP/1.0" 200 1"#).fields)
        #expect(leap.time == 1_709_164_800)  // date -u -d 2024-02-29 +%s
        #expect(T.parse(T.preset("common"), #"127.0.0.1 - - [30/Feb/2024:00:00:00 +0000] "GET / HTTP/1.0" 200 1"#).failure?.kind == .badTime)
    }

    @Test func statusRules() throws {
        let common = T.preset("common")
        let dash = try #require(T.parse(common, #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" - -"#).fields)
        #expect(dash.status == -1)
        let word = try #require(T.parse(common, #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" user20 0"#).fields)
        #expect(word.status == -1)
        let four = try #require(T.parse(common, #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 2000 0"#).fields)
        #expect(four.status == -1)
    }
}

/// A parser remembers the last time field it read (`TimeCache`): lines that repeat it, or
/// differ from it in any byte, must still get their own time — never the one before.
@Suite struct TimeCacheParseTests {
    @Test func everyLineGetsItsOwnTimeThroughTheCache() throws {
        let format = ParseTestSupport.preset("combined")
        var parser = format.makeParser()
        let times = ["01/Nov/2025:00:00:00 +0000", "01/Nov/2025:00:00:00 +0000", "01/Nov/2025:00:00:01 +0000",
                     "02/Nov/2025:00:00:01 +0000", "02/Nov/2025:00:00:01 +0100", "02/Dec/2025:00:00:01 +0100",
                     "02/Dec/2025:10:00:01 +0100", "02/Dec/2026:10:00:01 +0100", "02/Dec/2026:10:00:01 +0100"]
        for time in times {
            let line = "192.0.2.1 - - [\(time)] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\""
            let cached = ParseTestSupport.parse(&parser, Array(line.utf8))
            let fresh = ParseTestSupport.parse(format, line)
            #expect(cached.fields?.time != nil)
            #expect(cached.fields?.time == fresh.fields?.time, "\(time)")
        }
        // A bad time after a good one of the same length is still a failure.
        let bad = ParseTestSupport.parse(&parser, Array("192.0.2.1 - - [02/Dex/2026:10:00:01 +0100] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"".utf8))
        #expect(bad.failure?.kind == .badTime)
    }
}
