import Testing
@testable import CorsLogKit

@Suite struct LogFormatAdviceParseTests {
    @Test func nginxAdvicePrintsThePresetAndParsesBack() throws {
        let text = try #require(LogFormatAdvice.directive(for: "nginx"))
        let preset = try #require(LogFormat.preset("nginx-cors"))
        #expect(text.contains("log_format cors '\(preset.definition)';"))
        #expect(text.contains("http {"))
        #expect(text.contains("server {"))
        #expect(text.contains("access_log"))
        #expect(text.contains("nginx-cors"))
        // The advice is itself a config corslog can read the format from.
        let fromAdvice = try LogFormat.parse(configText: text, file: "advice", name: nil)
        #expect(fromAdvice.definition == preset.definition)
    }

    @Test func apacheAdvicePrintsThePresetAndParsesBack() throws {
        let text = try #require(LogFormatAdvice.directive(for: "apache"))
        let preset = try #require(LogFormat.preset("apache-cors"))
        #expect(text.contains("LogFormat \"\(preset.definition)\" cors"))
        #expect(text.contains("CustomLog"))
        #expect(text.contains("VirtualHost"))
        #expect(text.contains("mod_log_config"))
        #expect(text.contains("apache-cors"))
        let fromAdvice = try LogFormat.parse(configText: text, file: "advice", name: "cors")
        let line = #"198.51.100.4 - - [20/Nov/2026:10:00:00 +0000] "OPTIONS /rpc HTTP/1.1" 204 0 "-" "UA" "api.example" "https://app.example" "POST" "x-a" "https://app.example" "true""#
        let a = ParseTestSupport.parse(fromAdvice, line).fields
        #expect(a != nil)
        #expect(a == ParseTestSupport.parse(preset, line).fields)
        #expect(a?.requestHeadersHeader == "x-a")
    }

    @Test func apacheAdviceCanBePastedAsItIsAndAsksForAlways() throws {
        let text = try #require(LogFormatAdvice.directive(for: "apache"))
        // Apache reads it as config (the real-server test Includes it): only comments,
        // blank lines and the two directives, none continued onto the next line.
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.drop { $0 == " " }
            #expect(t.isEmpty || t.hasPrefix("#") || t.hasPrefix("LogFormat ") || t.hasPrefix("CustomLog "), "\(line)")
            #expect(!t.hasSuffix("\\"), "\(line)")
        }
        // "Header set" alone leaves the CORS headers off Apache's own error responses.
        #expect(text.contains("\"Header always set\""))
    }

    @Test func unknownServer() {
        #expect(LogFormatAdvice.directive(for: "iis") == nil)
    }
}
