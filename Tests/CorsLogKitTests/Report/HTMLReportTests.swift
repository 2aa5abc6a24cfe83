import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import CorsLogKit

/// `--output html`: one self-contained page whose charts show the same numbers as the
/// JSON report, that escapes everything from the logs and parses as well-formed XML.
@Suite struct HTMLReportTests {
    static let samples = PackagePaths.samples.appendingPathComponent("nginx").path
    static let python = "/usr/bin/python3"
    static let checker = PackagePaths.root.appendingPathComponent("Tests/Python/html_check.py").path

    static func samplesReports() throws -> (html: Node, json: [String: Any]) {
        var input = InputSpec()
        input.paths = [samples]
        var spec = InferenceSpec()
        spec.sites = ["https://api.example.com"]
        let (a, i) = try Pipeline.run(input, spec)
        let json = try JSONSerialization.jsonObject(with: Data(JSONReport(analysis: a, inference: i).encoded().utf8)) as! [String: Any]
        return (try Node.parse(HTMLReport.render(a, i)), json)
    }

    @Test func thePerDayChartHasOneSeriesPerTopOriginWithItsRequests() throws {
        let (html, json) = try Self.samplesReports()
        let origins = (json["origins"] as! [[String: Any]]).filter { ($0["requests"] as! Int) > 0 }
        let byRequests = origins.sorted {
            ($0["requests"] as! Int, $1["origin"] as! String) > ($1["requests"] as! Int, $0["origin"] as! String)
        }
        let top = byRequests.prefix(HTMLReport.topOrigins)
        let chart = try #require(html.first { $0.name == "svg" && $0["id"] == "chart-per-day" })
        let series = chart.all { $0.name == "g" && $0["class"] == "series" }
        let named = series.filter { !$0["data-series"]!.hasPrefix("other-") }
        #expect(Set(named.map { $0["data-series"]! }) == Set(top.map { $0["origin"] as! String }))
        #expect(named.count == top.count, "one series per top origin")
        for s in named {
            let o = try #require(top.first { $0["origin"] as? String == s["data-series"] })
            #expect(s["data-decision"] == o["decision"] as? String, "\(s["data-series"]!)")
            #expect(Int(s["data-total"]!) == o["requests"] as? Int, "\(s["data-series"]!): every sample line has a time")
            let bars = s.all { $0.name == "rect" && $0["data-value"] != nil }.map { Int($0["data-value"]!)! }
            #expect(bars.reduce(0, +) == o["requests"] as? Int)
            #expect(bars.count <= 7, "one bar a day at most over the samples' 7 days")
        }
        // The rest, grouped by decision: here the one review origin with 6 requests.
        let rest = byRequests.dropFirst(HTMLReport.topOrigins)
        let grouped = series.filter { $0["data-series"]!.hasPrefix("other-") }
        #expect(Set(grouped.map { $0["data-series"]! }) == Set(rest.map { "other-" + ($0["decision"] as! String) }))
        #expect(!grouped.isEmpty)
        let groupedTotal = grouped.map { Int($0["data-total"]!)! }.reduce(0, +)
        let restTotal = rest.map { $0["requests"] as! Int }.reduce(0, +)
        #expect(groupedTotal == restTotal)
        // Stacked allow first, deny on top; the legend names every series with its decision.
        let decisions = series.map { $0["data-decision"]! }
        #expect(decisions == decisions.sorted { Decision(rawValue: $0)! < Decision(rawValue: $1)! })
        let legend = try #require(chart.parent?.children.first { $0.name == "ul" && $0["class"] == "legend" })
        #expect(legend.children.count == series.count)
        #expect(legend.text.contains("https://app.example.com") && legend.text.contains("deny"))
    }

    @Test func thePreflightAndBreakageChartsShowTheJSONReportsNumbers() throws {
        let (html, json) = try Self.samplesReports()
        let origins = json["origins"] as! [[String: Any]]
        let preflights = try #require(html.first { $0.name == "svg" && $0["id"] == "chart-preflights" })
        let rows = preflights.all { $0.name == "g" && $0["class"] == "row" }
        #expect(rows.count == origins.filter { ($0["preflights"] as! Int) > 0 }.count)
        for row in rows {
            let o = try #require(origins.first { $0["origin"] as? String == row["data-origin"] })
            #expect(Int(row["data-preflights"]!) == o["preflights"] as? Int)
            let statuses = o["preflight_statuses"] as! [String: Int]
            let bars = row.all { $0.name == "rect" }
            #expect(bars.map { $0["data-class"]! } == ["2xx"], "the samples answer every preflight 204")
            #expect(Int(bars[0]["data-value"]!) == statuses["204"])
        }

        let breakage = json["breakage"] as! [String: Any]
        let chart = try #require(html.first { $0.name == "svg" && $0["id"] == "chart-breakage" })
        let total = try #require(chart.first { $0["class"] == "total" })
        #expect(Int(total["data-blocked"]!) == breakage["blocked_requests"] as? Int)
        #expect(Int(total["data-cross-origin"]!) == breakage["cross_origin_requests"] as? Int)
        let reasons = chart.all { $0.name == "g" && $0["class"] == "reason" }
        var shown: [String: Int] = [:]
        for r in reasons { shown[r["data-reason"]!] = Int(r["data-requests"]!) }
        #expect(shown == breakage["by_reason"] as? [String: Int])
        #expect(reasons.map { Int($0["data-requests"]!)! } == reasons.map { Int($0["data-requests"]!)! }.sorted(by: >),
                "largest first")
        #expect(html.text.contains("It would refuse 310 of 4,225 cross-origin requests (7.3%)."))
    }

    @Test func everyChartIsLabelledAndHasItsNumbersInATable() throws {
        let (html, _) = try Self.samplesReports()
        let charts = html.all { $0.name == "svg" }
        #expect(charts.map { $0["id"]! } == ["chart-per-day", "chart-preflights", "chart-breakage"])
        for svg in charts {
            let id = svg["id"]!
            #expect(svg["role"] == "img")
            #expect(svg["aria-labelledby"] == "\(id)-title \(id)-desc")
            #expect(svg.children.first?.name == "title" && svg.children.first?["id"] == "\(id)-title")
            #expect(svg.children.dropFirst().first?.name == "desc" && !(svg.children.dropFirst().first?.text.isEmpty ?? true))
            let figure = try #require(svg.parent)
            #expect(figure.name == "figure")
            let details = try #require(figure.children.first { $0.name == "details" }, "\(id) has a text fallback")
            #expect(details.first { $0.name == "table" } != nil)
        }
        // The breakage table carries the same numbers as the bars.
        let breakageTable = try #require(charts[2].parent?.first { $0.name == "table" })
        #expect(breakageTable.text.contains("development-origin") && breakageTable.text.contains("252") && breakageTable.text.contains("6.0%"))
        // The per-day table has one row a day, with the day's total.
        let dayTable = try #require(charts[0].parent?.first { $0.name == "table" })
        let days = dayTable.all { $0.name == "tr" }.dropFirst().map { $0.children.first!.text }
        #expect(days == (1...7).map { "2025-11-0\($0)" })
    }

    @Test func thePageLoadsNothing() throws {
        let (html, _) = try Self.samplesReports()
        for node in html.all({ _ in true }) {
            #expect(!["script", "img", "link", "iframe", "object", "embed", "base"].contains(node.name), "<\(node.name)>")
            for (name, value) in node.attributes {
                #expect(!["href", "src", "srcset", "action"].contains(name) && !name.hasPrefix("on"), "\(node.name) \(name)")
                #expect(!value.contains("url(") || value.hasPrefix("url(#"), "\(node.name) \(name)=\(value)")
            }
        }
        let csp = try #require(html.first { $0.name == "meta" && $0["http-equiv"] == "Content-Security-Policy" })
        #expect(csp["content"]?.hasPrefix("default-src 'none';") == true)
    }

    /// The hostile log of HostileInputTests, plus origins and a file name made to break out of HTML.
    static func hostileFiles() throws -> (dir: URL, log: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let log = dir.appendingPathComponent("<script>alert('x')&\"q\" <b>.log")
        var text = HostileInputTests.hostileLog()
        for o in ["https://x.example\"><script>alert(1)</script>", "https://x.example'onmouseover='alert(1)", "<svg onload=alert(1)>"] {
            let escaped = o.utf8.map { $0 == 0x22 ? "\\x22" : String(UnicodeScalar($0)) }.joined()
            text += "192.0.2.9 - - [02/Nov/2025:10:00:00 +0000] \"GET /<b>x</b> HTTP/1.1\" 200 10 \"-\" \"UA\" \"api.example.com\" \"\(escaped)\" \"-\" \"-\" \"*\" \"-\"\n"
        }
        text += "<script>alert(2)</script> this line is not in the format\n"
        try text.write(to: log, atomically: true, encoding: .utf8)
        return (dir, log)
    }

    @Test func hostileInputIsEscapedAndThePageStaysWellFormed() throws {
        let (dir, log) = try Self.hostileFiles()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bin = PackagePaths.executable.path
        let args = ["analyze", "--site", "https://api.example.com", "--format", "nginx-cors", "--output"]
        let r = try runProcess(bin, args + ["html", log.path])
        #expect(r.status == 0, "\(r.err)")
        let again = try runProcess(bin, args + ["html", log.path])
        #expect(again.out == r.out, "same input, same bytes (another process, another hash seed)")
        #expect(r.out.range(of: "<script", options: .caseInsensitive) == nil)
        #expect(r.out.range(of: "<svg onload", options: .caseInsensitive) == nil)
        #expect(!r.out.contains("<b>"))

        let html = try Node.parse(r.out)
        for node in html.all({ _ in true }) {
            for (name, value) in node.attributes {
                #expect(!value.contains("HOSTILE") && !value.contains("script") && !value.contains("alert"), "\(node.name) \(name)=\(value)")
                #expect(!name.hasPrefix("on"), "\(node.name) \(name)")
            }
        }
        // What the logs said reaches the page as text, exactly as the JSON report gives it.
        let json = try JSONSerialization.jsonObject(with: Data(try runProcess(bin, args + ["json", log.path]).out.utf8)) as! [String: Any]
        let codes = Set(html.all { $0.name == "code" }.map(\.text))
        #expect(codes.contains(log.path), "the file name, unescaped by the parser, is the path")
        let examples = (json["invalid_origins"] as! [String: Any])["examples"] as! [String]
        for example in examples.prefix(3) { #expect(codes.contains(example), "\(example)") }
        let skipped = ((json["input"] as! [String: Any])["skipped_examples"] as! [[String: Any]]).map { $0["reason"] as! String }
        #expect(!skipped.isEmpty)
        for reason in skipped { #expect(html.text.contains(reason), "\(reason)") }
        #expect(html.first { $0.name == "title" }?.text == "corslog report: site https://api.example.com")
    }

    @Test(.enabled(if: RealLibraries.available(FileManager.default.isExecutableFile(atPath: HTMLReportTests.python)),
                   "needs Debian's python3 (its html.parser checks the page)"))
    func pythonsHTMLParserFindsNoProblemInTheHostileOrTheSamplesPage() throws {
        let (dir, log) = try Self.hostileFiles()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bin = PackagePaths.executable.path
        for input in [log.path, Self.samples] {
            let r = try runProcess(bin, ["analyze", "--site", "https://api.example.com", "--output", "html", input])
            let page = dir.appendingPathComponent("report.html")
            try r.out.write(to: page, atomically: true, encoding: .utf8)
            let check = try runProcess(Self.python, [Self.checker, page.path])
            #expect(check.status == 0, "\(input): \(check.out)\(check.err)")
        }
    }

    @Test func aLongPeriodIsGroupedIntoAtMost92Bars() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // One request a day for 200 days (2025-01-01 …), from three clients.
        var lines: [String] = []
        for d in 0..<200 {
            let t = Date(timeIntervalSince1970: 1_735_689_600 + Double(d) * 86_400 + 3600)
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "dd/MMM/yyyy:HH:mm:ss"
            lines.append("192.0.2.\(d % 3 + 1) - - [\(f.string(from: t)) +0000] \"GET /v1 HTTP/1.1\" 200 1 \"-\" \"UA\" \"api.example.com\" \"https://app.example.com\" \"-\" \"-\" \"*\" \"-\"")
        }
        let log = dir.appendingPathComponent("access.log")
        try (lines.joined(separator: "\n") + "\n").write(to: log, atomically: true, encoding: .utf8)
        let r = try runProcess(PackagePaths.executable.path, ["analyze", "--site", "https://api.example.com", "--format", "nginx-cors", "--output", "html", log.path])
        #expect(r.status == 0, "\(r.err)")
        let html = try Node.parse(r.out)
        let chart = try #require(html.first { $0.name == "svg" && $0["id"] == "chart-per-day" })
        let bars = chart.all { $0.name == "rect" && $0["data-value"] != nil }
        #expect(bars.count == 67, "200 days in buckets of 3")
        #expect(bars.map { Int($0["data-value"]!)! }.reduce(0, +) == 200)
        #expect(chart.first { $0.name == "title" }?.text == "Cross-origin requests per 3 days, by origin")
        let labels = chart.all { $0.name == "text" && $0["text-anchor"] == "middle" && $0.text.hasPrefix("20") }.map(\.text)
        #expect(labels.first == "2025-01-01" && labels.count <= 9, "\(labels)")
    }

    @Test func anIncrementalRunSaysWhatTheStateHolds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state.json").path
        let r = try runProcess(PackagePaths.executable.path, ["analyze", "--site", "https://api.example.com", "--output", "html",
                                                              "--state", state, Self.samples])
        #expect(r.status == 0, "\(r.err)")
        let facts = try #require(try Node.parse(r.out).first { $0.name == "ul" && $0["class"] == "facts" })
        #expect(facts.children.contains { $0.text.hasPrefix("State: \(state) holds 7 days (2025-11-01 to 2025-11-07, window 30 days)") },
                "\(facts.text)")
    }

    @Test func escapeCoversQuotesAngleBracketsAmpersandsAndControls() {
        #expect(HTMLReport.escape("<a href=\"x\" title='y'>&amp;</a>") == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;")
        #expect(HTMLReport.escape("a\u{0}b\u{1B}c\u{7F}d\u{FFFE}") == "a\\x00b\\x1Bc\\x7Fd\\xFFFE")
        #expect(HTMLReport.escape("bücher\n\tok") == "bücher\n\tok")
        let page = HTMLReport.page(title: "corslog check", preformatted: "x </pre><script>alert(1)</script>")
        #expect(!page.contains("<script"))
        #expect((try? Node.parse(page))?.first { $0.name == "pre" }?.text == "x </pre><script>alert(1)</script>")
    }
}

/// A parsed page: the report must be well-formed XML as written (void elements closed
/// with `/>`, only the five XML entities), so Foundation's XML parser reads it.
final class Node {
    let name: String
    let attributes: [String: String]
    weak var parent: Node?
    /// Elements and text, in document order.
    var parts: [Part] = []
    enum Part { case element(Node), text(String) }

    init(name: String, attributes: [String: String], parent: Node?) {
        self.name = name
        self.attributes = attributes
        self.parent = parent
    }

    subscript(_ attribute: String) -> String? { attributes[attribute] }

    /// The child elements.
    var children: [Node] { parts.compactMap { if case .element(let n) = $0 { n } else { nil } } }

    /// All text inside, in document order.
    var text: String {
        parts.map { switch $0 { case .element(let n): n.text; case .text(let t): t } }.joined()
    }

    func all(_ match: (Node) -> Bool) -> [Node] {
        var out: [Node] = []
        for c in children {
            if match(c) { out.append(c) }
            out += c.all(match)
        }
        return out
    }

    func first(_ match: (Node) -> Bool) -> Node? { all(match).first }

    struct ParseError: Error, CustomStringConvertible { var description: String }

    static func parse(_ html: String) throws -> Node {
        let builder = Builder()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = builder
        guard parser.parse() else {
            throw ParseError(description: "not well-formed at line \(parser.lineNumber), column \(parser.columnNumber): "
                + "\(parser.parserError.map { "\($0)" } ?? "?")")
        }
        return builder.root
    }

    final class Builder: NSObject, XMLParserDelegate {
        let root = Node(name: "#document", attributes: [:], parent: nil)
        lazy var current = root

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let node = Node(name: name, attributes: attributes, parent: current)
            current.parts.append(.element(node))
            current = node
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            current = current.parent ?? root
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            current.parts.append(.text(string))
        }
    }
}
