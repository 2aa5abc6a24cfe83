import Testing
@testable import CorsLogKit

@Suite struct JSONLinesParseTests {
    typealias T = ParseTestSupport

    @Test func traefikRealPreflight() throws {
        // crowdsec-traefik_json.log line 7: a real CORS preflight (Traefik did not log the request headers).
        let line = #"{"ClientAddr":"172.71.122.85:11029","ClientHost":"192.168.1.100,10.0.0.50","ClientPort":"11029","ClientUsername":"-","DownstreamContentSize":0,"DownstreamStatus":204,"Duration":2337877,"OriginContentSize":0,"OriginDuration":823492,"OriginStatus":0,"Overhead":1514385,"RequestAddr":"example.com","RequestContentSize":0,"RequestCount":2818,"RequestHost":"example.com","RequestMethod":"OPTIONS","RequestPath":"/_matrix/client/v3/sync","RequestPort":"-","RequestProtocol":"HTTP/2.0","RequestScheme":"https","RetryAttempts":0,"RouterName":"matrix-synapse-public-client-api@docker","ServiceAddr":"172.16.16.25:8008","ServiceName":"matrix-synapse-client-api@docker","ServiceURL":"http://172.16.16.25:8008","StartLocal":"2025-11-28T09:21:55.645779561Z","StartUTC":"2025-11-28T09:21:55.645779561Z","TLSCipher":"TLS_AES_128_GCM_SHA256","TLSVersion":"1.3","entryPointName":"web-secure","level":"info","msg":"","time":"2025-11-28T09:21:55Z"}"#
        let out = T.parse(LogFormat.json(), line)
        #expect(out.failure == nil)
        let f = try #require(out.fields)
        #expect(f.method == "OPTIONS")
        #expect(f.uri == "/_matrix/client/v3/sync")
        #expect(f.status == 204)  // DownstreamStatus; OriginStatus 0 is not it
        #expect(f.clientAddress == "192.168.1.100,10.0.0.50")  // ClientHost before ClientAddr
        #expect(f.host == "example.com")
        #expect(f.time == 1_764_321_715)
        #expect(f.origin == "")
    }

    @Test func traefikHeadersWhenLogged() throws {
        let line = #"{"ClientHost":"203.0.113.5","DownstreamStatus":204,"RequestHost":"api.example","RequestMethod":"OPTIONS","RequestPath":"/v1/x","StartUTC":"2021-12-08T14:02:43.5Z","request_Origin":"https://app.example","request_Access-Control-Request-Method":"PATCH","request_Access-Control-Request-Headers":"authorization","request_User-Agent":"Mozilla/5.0","downstream_Access-Control-Allow-Origin":"https://app.example","downstream_Access-Control-Allow-Credentials":"true"}"#
        let f = try #require(T.parse(LogFormat.json(), line).fields)
        #expect(f.origin == "https://app.example")
        #expect(f.requestMethodHeader == "PATCH")
        #expect(f.requestHeadersHeader == "authorization")
        #expect(f.userAgent == "Mozilla/5.0")
        #expect(f.allowOrigin == "https://app.example")
        #expect(f.allowCredentials == "true")
        #expect(f.time == 1_638_972_163)
    }

    @Test func caddyNestedHeaderArrays() throws {
        let line = #"{"level":"info","ts":1646861401.5241024,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"10.0.0.9","remote_port":"41342","client_ip":"203.0.113.77","proto":"HTTP/2.0","method":"OPTIONS","host":"api.example","uri":"/v1/items?x=1","headers":{"User-Agent":["Mozilla/5.0 (X11; Linux x86_64)"],"Accept":["*/*"],"Origin":["https://app.example","https://second.example"],"Access-Control-Request-Method":["PUT"],"Access-Control-Request-Headers":["content-type,x-token"]},"tls":{"resumed":false,"version":772,"cipher_suite":4865,"proto":"h2","server_name":"api.example"}},"bytes_read":0,"user_id":"","duration":0.000929675,"size":0,"status":204,"resp_headers":{"Server":["Caddy"],"Access-Control-Allow-Origin":["https://app.example"],"Access-Control-Allow-Credentials":["true"],"Vary":["Origin"]}}"#
        let f = try #require(T.parse(LogFormat.json(), line).fields)
        #expect(f.method == "OPTIONS")
        #expect(f.uri == "/v1/items?x=1")
        #expect(f.host == "api.example")
        #expect(f.clientAddress == "203.0.113.77")  // client_ip before remote_ip
        #expect(f.origin == "https://app.example")  // the first string of the array
        #expect(f.requestMethodHeader == "PUT")
        #expect(f.requestHeadersHeader == "content-type,x-token")
        #expect(f.userAgent == "Mozilla/5.0 (X11; Linux x86_64)")
        #expect(f.allowOrigin == "https://app.example")
        #expect(f.allowCredentials == "true")
        #expect(f.status == 204)
        #expect(f.time == 1_646_861_401)
    }

    @Test func nginxEscapeJSONLines() throws {
        // What `log_format x escape=json '{"time_local":"$time_local",…}'` writes, read as JSON lines.
        let line = #"{"time_local":"10/Oct/2000:13:55:36 -0700","remote_addr":"198.51.100.2","request":"GET /a%20b HTTP/1.1","status":"200","http_origin":"https://o.example","http_user_agent":"UA \"x\" \u001b[31m","sent_http_access_control_allow_origin":"*","http_host":"h.example"}"#
        let f = try #require(T.parse(LogFormat.json(), line).fields)
        #expect(f.time == 971_211_336)
        #expect(f.method == "GET")
        #expect(f.uri == "/a%20b")
        #expect(f.status == 200)
        #expect(f.userAgentBytes == Array("UA \"x\" \u{1B}[31m".utf8))
        #expect(f.allowOrigin == "*")
        #expect(f.host == "h.example")
    }

    @Test func customKeysComeFirstAndIgnoreCase() throws {
        let format = LogFormat.json(keys: [.origin: ["req.hdr.origin"], .status: ["Code"]])
        #expect(format.definition.contains("req.hdr.origin"))
        let line = #"{"origin":"https://generic.example","REQ":{"Hdr":{"ORIGIN":"https://custom.example"}},"code":418,"status":200,"method":"get"}"#
        let f = try #require(T.parse(format, line).fields)
        #expect(f.origin == "https://custom.example")
        #expect(f.status == 418)
        #expect(f.method == "get")
        // Without the custom keys the generic ones are used.
        let g = try #require(T.parse(LogFormat.json(), line).fields)
        #expect(g.origin == "https://generic.example")
        #expect(g.status == 200)
    }

    @Test func flatDottedKeysAndEscapedKeys() throws {
        let line = #"{"request.method":"PUT","request.uri":"/flat","st\u0061tus":201}"#
        let f = try #require(T.parse(LogFormat.json(), line).fields)
        #expect(f.method == "PUT")
        #expect(f.uri == "/flat")
        #expect(f.status == 201)
    }

    @Test func unicodeEscapes() throws {
        let line = #"{"http_origin":"https://xn--caf-dma.example","http_user_agent":"\u00e9\u20ac\ud83d\ude00\ud800x"}"#
        let f = try #require(T.parse(LogFormat.json(), line).fields)
        #expect(f.userAgent == "é€😀\u{FFFD}x")
    }

    @Test func linesThatAreNotJSONObjects() {
        let json = LogFormat.json()
        // crowdsec-traefik_json.log line 6: a plugin's debug line in the access log.
        #expect(T.parse(json, "DEBUG: CrowdsecBouncerTraefikPlugin: 2025/09/05 13:53:40 handleStreamCache:updated").failure?.description
            == "line is not a JSON object")
        #expect(T.parse(json, "[1,2]").failure?.kind == .notJSONObject)
        #expect(T.parse(json, #"{"status":200"#).failure?.kind == .badJSON)
        #expect(T.parse(json, #"{"status":200} trailing"#).failure?.kind == .textAfterJSON)
        #expect(T.parse(json, #"{"status":tru}"#).failure?.kind == .badJSON)
        #expect(T.parse(json, #"{"a":"unterminated}"#).failure?.kind == .badJSON)
        let deep = String(repeating: #"{"a":"#, count: 100) + "1" + String(repeating: "}", count: 100)
        #expect(T.parse(json, deep).failure?.kind == .jsonTooDeep)
        #expect(T.parse(json, #"{"time":"yesterday","status":200}"#).failure?.kind == .badTime)
        // Whitespace, nested arrays, null values and other value types are fine.
        let ok = T.parse(json, " { \"x\" : [ [1, {\"y\": null}], true, false, -1.5e3 ] , \"status\" : 301 , \"origin\": null }\r")
        #expect(ok.failure == nil)
        #expect(ok.fields?.status == 301)
        #expect(ok.fields?.origin == "")
    }

    @Test func epochUnits() throws {
        let json = LogFormat.json()
        #expect(T.parse(json, #"{"ts":1646861401}"#).fields?.time == 1_646_861_401)
        #expect(T.parse(json, #"{"timestamp":1646861401524}"#).fields?.time == 1_646_861_401)
        #expect(T.parse(json, #"{"ts":1.6468614015241024e9}"#).fields?.time == 1_646_861_401)
        #expect(T.parse(json, #"{"@timestamp":"2022-03-09T21:30:01.524Z"}"#).fields?.time == 1_646_861_401)
    }
}
