import Testing
@testable import CorsLogKit

@Suite struct NginxFormatParseTests {
    typealias T = ParseTestSupport

    static let corsDefault = #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_origin""#

    @Test func defaultEscapingUndoesHexEscapes() throws {
        let format = try LogFormat.parse(definition: Self.corsDefault)
        #expect(format.name == "nginx log_format")
        #expect(format.syntax == .nginx)
        #expect(format.definition == Self.corsDefault)
        // nginx writes `"` as \x22 and `\` as \x5C; a hostile Origin carries a newline as \x0A.
        let line = #"192.0.2.1 - - [20/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 3 "-" "UA \x22q\x22 C:\x5Cdir" "https://evil.example\x0AX-Injected: 1""#
        let f = try #require(T.parse(format, line).fields)
        #expect(f.userAgent == #"UA "q" C:\dir"#)
        #expect(f.originBytes == Array("https://evil.example\nX-Injected: 1".utf8))
        #expect(f.method == "GET")
    }

    @Test func garbageRequestLinesStillParse() throws {
        // crowdsec-nginx-http-malformed.log: a TLS ClientHello sent to a plain port, "HELP", "batman".
        let combined = T.preset("combined")
        let tls = T.parse(combined, #"1.2.3.4 - - [29/Jul/2023:10:26:07 -0700] "\x16\x03\x01\x00t\x01\x00\x00p\x03\x01YF}\xF6\x7F3" 400 157 "-" "-""#)
        #expect(tls.failure == nil)
        #expect(tls.fields?.method == "")
        #expect(tls.fields?.uri == "")
        #expect(tls.fields?.status == 400)
        for request in ["HELP", "batman", "-", ""] {
            let out = T.parse(combined, #"1.2.3.4 - - [29/Jul/2023:10:26:07 -0700] "\#(request)" 400 157 "-" "-""#)
            #expect(out.failure == nil, "\(request)")
            #expect(out.fields?.method == "", "\(request)")
            #expect(out.fields?.uri == "", "\(request)")
        }
        // HTTP/0.9 has no version; a method that is not a token is dropped.
        let old = try #require(T.parse(combined, #"1.2.3.4 - - [29/Jul/2023:10:26:07 -0700] "GET /index.html" 200 10 "-" "-""#).fields)
        #expect(old.method == "GET")
        #expect(old.uri == "/index.html")
        let bad = try #require(T.parse(combined, #"1.2.3.4 - - [29/Jul/2023:10:26:07 -0700] "GE(T /x HTTP/1.1" 400 10 "-" "-""#).fields)
        #expect(bad.method == "")
        #expect(bad.uri == "")
    }

    @Test func forwardedForListsInRemoteAddr() throws {
        // beats-nginx-test.log: the whole " - " literal ends remote_addr, not the first space.
        let combined = T.preset("combined")
        let f = try #require(T.parse(combined, #"10.0.0.2, 10.0.0.1, 127.0.0.1 - - [07/Dec/2016:11:05:07 +0100] "GET /ocelot HTTP/1.1" 200 571 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0""#).fields)
        #expect(f.clientAddress == "10.0.0.2, 10.0.0.1, 127.0.0.1")
        #expect(f.uri == "/ocelot")
        let v6 = try #require(T.parse(combined, #"2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121 - - [30/Dec/2016:06:47:09 +0000] "GET /test.html HTTP/1.1" 404 8571 "-" "Mozilla/5.0 (compatible; Facebot 1.0; https://developers.facebook.com/docs/sharing/webmasters/crawler)""#).fields)
        #expect(v6.clientAddress == "2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121")
        #expect(v6.status == 404)
    }

    @Test func trailingFields() throws {
        let combined = T.preset("combined")
        // lnav-shop_access_log.log line 2: combined + "$http_x_forwarded_for".
        let line = #"31.56.96.51 - - [22/Jan/2019:03:56:16 +0330] "GET /image/60844/productModel/200x200 HTTP/1.1" 200 5667 "https://www.zanbil.ir/m/filter/b113" "Mozilla/5.0 (Linux; Android 6.0; ALE-L21 Build/HuaweiALE-L21) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/66.0.3359.158 Mobile Safari/537.36" "-""#
        let out = T.parse(combined, line)
        #expect(out.failure == nil)
        #expect(out.trailing)
        #expect(out.fields?.userAgent.hasSuffix("Mobile Safari/537.36") == true)
        // Text glued to the end without a space is not a trailing field.
        let glued = T.parse(combined, #"1.2.3.4 - - [22/Jan/2019:03:56:16 +0330] "GET / HTTP/1.1" 200 5 "-" "curl"x"#)
        #expect(glued.failure?.kind == .textAfterEnd)
        #expect(glued.calls == 0)
        // The flag resets on the next line.
        var parser = combined.makeParser()
        _ = T.parse(&parser, Array(line.utf8))
        #expect(parser.lastLineHadTrailingText)
        _ = T.parse(&parser, Array(#"1.2.3.4 - - [22/Jan/2019:03:56:16 +0330] "GET / HTTP/1.1" 200 5 "-" "curl""#.utf8))
        #expect(!parser.lastLineHadTrailingText)
    }

    @Test func strayCarriageReturnDoesNotBreakTheLastField() throws {
        let out = T.parse(T.preset("combined"), "1.2.3.4 - - [22/Jan/2019:03:56:16 +0330] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\"\r")
        #expect(out.failure == nil)
        #expect(out.fields?.userAgent == "curl/8")
        #expect(!out.trailing)
        let common = T.parse(T.preset("common"), "1.2.3.4 - - [22/Jan/2019:03:56:16 +0330] \"GET / HTTP/1.1\" 200 5\r")
        #expect(common.failure == nil)
        #expect(!common.trailing)
    }

    @Test func escapeJSONFormat() throws {
        let directive = #"""
        log_format cors escape=json '{"time":"$time_iso8601","addr":"$remote_addr",'
                                    '"req":"$request","status":$status,'
                                    '"origin":"$http_origin","ua":"$http_user_agent"}';
        """#
        let format = try LogFormat.parse(definition: directive)
        #expect(format.name == "nginx log_format cors")
        #expect(format.definition == #"{"time":"$time_iso8601","addr":"$remote_addr","req":"$request","status":$status,"origin":"$http_origin","ua":"$http_user_agent"}"#)
        #expect(format.escaping == .json)
        // nginx escape=json: \" \\ \n and \u00HH; the escaped quote does not end the field.
        let line = #"{"time":"2026-11-20T10:00:00+00:00","addr":"203.0.113.9","req":"OPTIONS /cart HTTP/1.1","status":204,"origin":"https://a.example\u000aX: 1","ua":"Tool \"x\", \\path\/ \u00e9"}"#
        let out = T.parse(format, line)
        #expect(out.failure == nil)
        let f = try #require(out.fields)
        #expect(f.method == "OPTIONS")
        #expect(f.status == 204)
        #expect(f.originBytes == Array("https://a.example\nX: 1".utf8))
        #expect(f.userAgent == #"Tool "x", \path/ é"#)
        #expect(f.time == 1_795_168_800)
        // A value holding `\"}` (JSON in a header) does not end at it.
        let nested = #"{"time":"2026-11-20T10:00:00+00:00","addr":"203.0.113.9","req":"GET / HTTP/1.1","status":200,"origin":"-","ua":"{\"k\":\"v\"}"}"#
        let n = T.parse(format, nested)
        #expect(n.failure == nil)
        #expect(n.fields?.userAgent == #"{"k":"v"}"#)
        #expect(n.fields?.origin == "")
    }

    @Test func escapeNoneKeepsBackslashes() throws {
        let format = try LogFormat.parse(definition: #"log_format raw escape=none '$remote_addr "$http_user_agent"';"#)
        let f = try #require(T.parse(format, #"1.2.3.4 "a\x22b""#).fields)
        #expect(f.userAgent == #"a\x22b"#)
    }

    @Test func variablesInBracesAndAppendedArgs() throws {
        let format = try LogFormat.parse(definition: #"${remote_addr} [$time_local] $request_method $uri$is_args$args ${status} $http_host"#)
        #expect(format.fields.isSuperset(of: [.clientAddress, .method, .uri, .status, .host]))
        #expect(!format.fields.contains(.request))
        let f = try #require(T.parse(format, #"192.0.2.1 [10/Oct/2000:13:55:36 -0700] PUT /a/b?x=1&y=2 201 api.example"#).fields)
        #expect(f.method == "PUT")
        #expect(f.uri == "/a/b?x=1&y=2")
        #expect(f.status == 201)
        #expect(f.host == "api.example")
        // Copied from a double-quoted nginx.conf string, \" stands for a quote.
        let copied = try LogFormat.parse(definition: #"$remote_addr \"$request\" $status"#)
        #expect(copied.definition == #"$remote_addr "$request" $status"#)
        #expect(T.parse(copied, #"192.0.2.1 "GET /x HTTP/1.1" 200"#).fields?.uri == "/x")
    }

    @Test func explicitMethodWinsOverRequestAndForwardedForIsNotTheClient() throws {
        let format = try LogFormat.parse(definition: #"$http_x_forwarded_for|$remote_addr|$request_method|"$request""#)
        let f = try #require(T.parse(format, #"10.9.9.9, 10.8.8.8|192.0.2.7|POST|"GET /x HTTP/1.1""#).fields)
        #expect(f.clientAddress == "192.0.2.7")
        #expect(f.method == "POST")
        #expect(f.uri == "/x")
    }

    @Test func failuresSayWhatWasExpected() throws {
        let combined = T.preset("combined")
        // elastic-apache_logs.log.gz line 8899: the user agent was cut off (no closing quote).
        let truncated = #"46.118.127.106 - - [20/May/2015:12:05:17 +0000] "GET /scripts/grok-py-test/configlib.py HTTP/1.1" 200 235 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html"#
        let out = T.parse(combined, truncated)
        let failure = try #require(out.failure)
        #expect(out.calls == 0)
        #expect(failure.kind == .missingLiteral)
        // The user agent's value starts right after its opening quote; bytes are counted from 1.
        let uaStart = T.offset(of: "\"Mozilla", in: truncated) + 1
        #expect(failure.description == #"expected '"' after $http_user_agent at byte \#(uaStart + 1)"#)

        let missing = T.parse(combined, #"1.2.3.4 - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "-" "-""#)
        #expect(missing.failure != nil)
        let notALog = T.parse(combined, "hello world")
        #expect(notALog.failure?.description == "expected ' - ' after $remote_addr at byte 1")
        #expect(T.parse(combined, "").failure?.kind == .emptyLine)
    }

    @Test func brokenTimeFailsTheLine() throws {
        // heka-zeus-lb.log (CRLF endings), a Zeus layout: vhost in the ident position.
        let zeus = try LogFormat.parse(definition: #"$remote_addr $host $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent""#)
        let good = T.parse(zeus, "10.1.1.20 plinko-525.byzantium.mozilla.com user19 [15/Mar/2013:12:20:27 -0700] \"GET /1.1/user19/info/collections HTTP/1.1\" 200 430 \"-\" \"Firefox/20.0.1 FxSync/1.22.0.201304.desktop\" \"-\" \"ssl: SSL_RSA_WITH_RC4_128_SHA, version=TLSv1, bits=128\" node_s:0.016534 req_s:0.016534 retries:0 req_b:465 \"c_l:-\"\r")
        #expect(good.failure == nil)
        #expect(good.fields?.host == "plinko-525.byzantium.mozilla.com")
        #expect(good.fields?.time == 1_363_375_227)
        #expect(good.trailing)
        // Line 37: the anonymiser broke the time zone.
        let broken = T.parse(zeus, "10.1.1.21 user20 user20 [15/Mar/2013:12:20:27 user200700] \"  \" user20 0 \"user20\" \"user20\" \"user20\" \"ssl: user20\" node_s:user20 req_s:5.855513 retries:0 req_b:0 \"c_l:user20\"\r")
        let failure = try #require(broken.failure)
        #expect(failure.kind == .badTime)
        let timeStart = T.offset(of: "15/Mar", in: "10.1.1.21 user20 user20 [15/Mar/2013")
        #expect(failure.description == "$time_local at byte \(timeStart + 1) is not a time (expected 10/Oct/2000:13:55:36 -0700)")
    }
}
