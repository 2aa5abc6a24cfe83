import Foundation
import Testing
@testable import CorsLogKit

/// The audit of lines with the site https://api.example.com, read with a format that
/// records the response's ACAO/ACAC (or not: `answerField`).
private func audit(_ lines: [Line], answerField: AnswerField = .logged, syntax: LogFormat.Syntax = .nginx) -> PolicyAudit {
    let (e, i) = evidenceAndInference(lines, answerField: answerField)
    return PolicyAudit.audit(e, i, syntax: syntax)
}

private func evidenceAndInference(_ lines: [Line], answerField: AnswerField = .logged) -> (Evidence, Inference) {
    var c = EvidenceCollector.forOriginLogs(allowOriginField: answerField)
    c.add(lines)
    var options = InferenceOptions()
    options.sites = [origin("https://api.example.com")]
    let e = c.finish()
    return (e, Inferrer.infer(e, options: options, psl: PublicSuffixList.bundled))
}

private func finding(_ a: PolicyAudit, _ code: PolicyAudit.Code) -> PolicyAudit.Finding? {
    a.findings.first { $0.code == code }
}

/// `count` requests with Origin `o` answered `acao` (the Origin itself for "echo").
private func answered(_ o: String, _ acao: String, acac: String = "", count: Int, clients: Int = 1) -> [Line] {
    (0..<count).map { i in
        Line(client: "192.0.2.\(i % clients + 1)", origin: o, acao: acao == "echo" ? o : acao, acac: acac,
             host: "api.example.com", day: i % 3)
    }
}

/// Ordinary first-party traffic an allowlist would echo.
private let app = traffic("https://app.example.com", clients: 5, days: 3, count: 30, acao: "https://app.example.com")

@Suite struct PolicyAuditTests {
    @Test func theWildcardIsReportedAsWhatTheAllowlistReplaces() throws {
        let a = audit(traffic("https://app.example.com", clients: 5, days: 3, count: 30)
                      + answered("https://rare.partner.example", "*", count: 4))
        #expect(a.available)
        #expect(a.findings.map(\.code) == [.wildcard])
        let f = try #require(finding(a, .wildcard))
        #expect(f.severity == .info)
        #expect(f.requests == 34 && f.origins == 2)
        #expect(f.example == "https://app.example.com", "the origin with the most * answers")
        #expect(a.summary.wildcard == PolicyAudit.Tally(requests: 34, origins: 2))
        #expect(a.summaryText == "* for 34 requests from 2 origins")
    }

    @Test func anEchoedInvalidValueIsBlindReflection() throws {
        let a = audit(app + answered("https://evil.test\"x", "echo", count: 2))
        let f = try #require(finding(a, .reflectsAnyOrigin))
        #expect(f.severity == .high)
        #expect(f.requests == 2 && f.origins == 0, "invalid values count in requests only")
        #expect(f.example == "https://evil.test\"x")
        #expect(a.summary.invalidEchoed == 2)
        #expect(finding(a, .credentialsWithReflection) == nil, "no credentials")
    }

    @Test func echoingEveryOriginAndRefusingNoneIsBlindReflection() throws {
        let a = audit(app + answered("https://random-1.example", "echo", count: 3)
                      + answered("https://app.example.com.evil.test", "echo", count: 2))
        let f = try #require(finding(a, .reflectsAnyOrigin))
        #expect(f.requests == 5 && f.origins == 2)
        #expect(f.example == "https://app.example.com.evil.test", "a denied origin is the telling example")
        #expect(f.detail.contains("1 few-clients") && f.detail.contains("1 lookalike"), "\(f.detail)")
        // Under blind reflection the lookalike is not a pattern mistake.
        #expect(finding(a, .lookalikeAllowed) == nil)
    }

    @Test func anExplicitListThatEchoesOnlyAllowedOriginsHasNoFinding() {
        let a = audit(app + answered("https://random-1.example", "", count: 3)
                      + answered("https://evil.test\"x", "", count: 1))
        #expect(a.available)
        #expect(a.findings.isEmpty, "\(a.findings)")
        #expect(a.summaryText == "the request's Origin echoed for 30 requests from 1 origin; no Access-Control-Allow-Origin for 4 requests from 1 origin")
    }

    @Test func aListThatLetsALookalikeAndAnHttpOriginThroughIsAPatternMistake() throws {
        let a = audit(app + answered("https://random-1.example", "", count: 3)
                      + answered("https://evilexample.com", "echo", count: 2)
                      + answered("http://app.example.com", "echo", count: 4, clients: 4)
                      + answered("http://localhost:3000", "echo", count: 5))
        #expect(finding(a, .reflectsAnyOrigin) == nil, "the server refused random-1.example: it checks a list")
        let look = try #require(finding(a, .lookalikeAllowed))
        #expect(look.severity == .high && look.requests == 2 && look.origins == 1 && look.example == "https://evilexample.com")
        let insecure = try #require(finding(a, .insecureOriginTrusted))
        #expect(insecure.severity == .medium && insecure.requests == 4 && insecure.example == "http://app.example.com")
        let wider = try #require(finding(a, .echoesUnproposedOrigins), "the development origin is on the server's list")
        #expect(wider.severity == .info && wider.requests == 5 && wider.example == "http://localhost:3000")
        #expect(a.findings.map(\.code) == [.lookalikeAllowed, .insecureOriginTrusted, .echoesUnproposedOrigins],
                "most severe first")
    }

    @Test func credentialsWithReflectionCountsOnlyTheResponsesThatCarriedBoth() throws {
        // Blind: every origin it does not allow, invalid values and null included.
        let blind = audit(app + answered("https://random-1.example", "echo", acac: "true", count: 3)
                          + answered("https://random-2.example", "echo", count: 2)
                          + answered("null", "echo", acac: "true", count: 1)
                          + answered("https://evil.test\"x", "echo", acac: "true", count: 1))
        let f = try #require(finding(blind, .credentialsWithReflection))
        #expect(f.severity == .critical)
        #expect(f.requests == 5 && f.origins == 2, "random-1 (3), null (1), the invalid value (1)")
        #expect(f.example == "https://evil.test\"x")
        #expect(blind.findings.first?.code == .credentialsWithReflection)
        // A list: only the origins corslog denies (the lookalike), not the reviewed development origin.
        let list = audit(app + answered("https://random-1.example", "", count: 3)
                         + answered("https://app.example.com.evil.test", "echo", acac: "true", count: 2)
                         + answered("http://localhost:3000", "echo", acac: "true", count: 5))
        let g = try #require(finding(list, .credentialsWithReflection))
        #expect(g.requests == 2 && g.origins == 1 && g.example == "https://app.example.com.evil.test")
        #expect(list.summary.credentialed == PolicyAudit.Tally(requests: 7, origins: 2))
    }

    @Test func nullAnsweredNullIsAllowed() throws {
        let a = audit(app + answered("null", "null", count: 3))
        let f = try #require(finding(a, .nullAllowed))
        #expect(f.severity == .high && f.requests == 3 && f.origins == 1 && f.example == "null")
        #expect(!f.detail.contains("credentials"))
        #expect(audit(app + answered("null", "", count: 3)).findings.isEmpty)
    }

    @Test func theWildcardWithCredentialsIsABrokenConfiguration() throws {
        let a = audit(traffic("https://app.example.com", clients: 5, days: 3, count: 30, acac: "true"))
        let f = try #require(finding(a, .wildcardWithCredentials))
        #expect(f.severity == .medium && f.requests == 30 && f.origins == 1)
        #expect(a.findings.map(\.code) == [.wildcardWithCredentials, .wildcard])
        #expect(finding(audit(traffic("https://app.example.com", clients: 5, days: 3, count: 30)), .wildcardWithCredentials) == nil)
    }

    @Test func aLogWithoutTheResponseFieldsCannotTell() {
        let lines = traffic("https://app.example.com", clients: 5, days: 3, count: 30, acao: "")
        let a = audit(lines, answerField: .absent)
        #expect(!a.available)
        #expect(a.findings.isEmpty)
        #expect(a.unavailable?.contains("`corslog log-format nginx` or `corslog log-format apache`") == true)
        #expect(TextReport.policyInForce(a) == ["Policy in force: cannot tell: " + a.unavailable!])
        // The same lines from a format that has the fields: the server sent no CORS header.
        let logged = audit(lines)
        #expect(logged.available && logged.findings.isEmpty)
        #expect(logged.summaryText == "no Access-Control-Allow-Origin for 30 requests from 1 origin")
        // JSON lines: a missing key reads as empty, so nothing shows the field is logged.
        let json = audit(lines, answerField: .whenPresent, syntax: .json)
        #expect(!json.available)
        #expect(json.unavailable?.contains("sent_http_access_control_allow_origin") == true)
    }

    @Test func hostileValuesReachTheReportEscaped() throws {
        let hostile = "https://a.example\u{01}y\u{1b}[2J|`<b>\u{e9}"
        let (e, i) = evidenceAndInference(app + answered(hostile, "echo", acac: "true", count: 2))
        let a = PolicyAudit.audit(e, i, syntax: .nginx)
        let f = try #require(finding(a, .reflectsAnyOrigin))
        let example = try #require(f.example)
        #expect(example.contains("a.example\\x01y") && example.contains("[2J|`<b>"), "\(example)")
        #expect(example.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7f })
        let text = TextReport.policyInForce(a).joined(separator: "\n")
        #expect(text.unicodeScalars.allSatisfy { ($0.value >= 0x20 && $0.value < 0x7f) || $0 == "\n" })
        let analysis = Analysis(format: FormatInfo(name: "nginx-cors", syntax: .nginx, definition: ""), detection: nil,
                                input: InputSummary(), evidence: e)
        let md = MarkdownReport.render(analysis, i)
        let row = try #require(md.split(separator: "\n").first { $0.contains("`reflects-any-origin`") })
        #expect(row.contains("[2J\\|'<b>"), "the | and the backtick in the value are escaped: \(row)")
        #expect(!md.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test func theAuditSurvivesAStateFileRoundTrip() throws {
        let (e, i) = evidenceAndInference(app + answered("https://evil.test\"x", "echo", acac: "true", count: 2)
                                          + answered("https://app.example.com", "*", acac: "true", count: 1))
        let data = try JSONEncoder().encode(e)
        let back = try JSONDecoder().decode(Evidence.self, from: data)
        #expect(back.answeredRequests == e.answeredRequests && back.answeredRequests == 33)
        #expect(back.invalid == e.invalid)
        #expect(PolicyAudit.audit(back, i, syntax: .nginx) == PolicyAudit.audit(e, i, syntax: .nginx))
        // Merged evidence adds up.
        var twice = e
        twice.merge(e, capacity: 20_000)
        #expect(twice.invalid.answers.echoedWithCredentials == 4)
        #expect(twice.answeredRequests == 66)
    }
}
