import Foundation
import Testing
@testable import CorsLogKit

/// Inputs the fuzz targets (`fuzz/run`) crashed on, each kept as a test.
@Suite struct FuzzRegressionParseTests {
    typealias T = ParseTestSupport

    /// format-definition: `%T` and `%R` inside `%{…}t` expanded through the full
    /// pattern check, which wants a date, so `%{%d/%b/%Y:%T %z}t` (a common
    /// Apache time format) crashed on a force-unwrapped nil.
    @Test func strftimeTAndRInAnApacheTimeFormatCompileAndRead() throws {
        let format = try LogFormat.parse(definition: #"%h [%{%d/%b/%Y:%T %z}t] "%r" %>s"#)
        let f = try #require(T.parse(format, #"192.0.2.1 [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200"#).fields)
        #expect(f.time == 971_211_336)
        let short = try LogFormat.parse(definition: #"%h [%{%F %R}t] "%r" %>s"#)
        #expect(T.parse(short, #"192.0.2.1 [2000-10-10 13:55] "GET / HTTP/1.1" 200"#).fields?.time == 971_186_100)  // no %z: UTC
        let us = try LogFormat.parse(definition: #"%h [%{%D %T}t] "%r" %>s"#)
        #expect(T.parse(us, #"192.0.2.1 [10/10/00 13:55:36] "GET / HTTP/1.1" 200"#).fields?.time == 971_186_136)
        // %T alone has no date: the field is kept but skipped, as for any other time without a date.
        let timeOnly = try LogFormat.parse(definition: #"%h [%{%T}t] "%r" %>s"#)
        #expect(!timeOnly.fields.contains(.time))
    }

    /// The input the fuzzer found (fuzz/crashes/format-definition-crash-84337b63…).
    @Test func theFuzzersLogFormatDirectiveWithTDoesNotCrash() throws {
        let input = Data(base64Encoded: "TG9nRm9y/w1tYXQgIv///////////////////////////////////////////////////////yV2OipiLyVZOiVIOiVNKTolUyAlen10IFxSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSTG9nRm8gIiV2OiVwICVoICVsICV1ICV7JWQvJWIvJVlIOiVNKTolUyAlbCAldSAleyVkLyViLyYlWTolSDolTSk6JVMgJXp9dCBcIiVyXCIgJT5zICViIFwiJXtSUlJST2QvJWIvJVk6JUg6JU0pOiVTICVSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUmYqYi8lWXp9dCBcIjolclwiICVIOiVNKTolJTxzbn1pXCIiIHZTICV6fXQgXCIlcmlnaX1paG9cc3QiIiB2aG9zdA==")!
        let text = String(decoding: input, as: UTF8.self)
        _ = try? LogFormat.parse(definition: text)
        _ = try? LogFormat.parse(configText: text, file: "fuzz.conf", name: nil)
        let minimal = #"LogFormat "%{%Y%m%d%T}t %h""#
        #expect((try? LogFormat.parse(definition: minimal))?.fields.contains(.time) == true)
    }
}
