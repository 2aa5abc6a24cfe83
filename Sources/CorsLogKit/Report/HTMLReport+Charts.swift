/// The HTML report's charts: inline SVG (no script), each in a `<figure>` with a
/// legend, `<title>`/`<desc>` for screen readers and its numbers in a table.
/// Coordinates are computed in integers or rounded to tenths, so the bytes are stable.
extension HTMLReport {
    /// Origins drawn one by one in the per-day chart; the rest are grouped by decision.
    static let topOrigins = 8
    /// Rows of the preflight chart; the rest are grouped in one row.
    static let topPreflightRows = 15
    /// At most this many bars: longer periods are grouped into buckets of several days.
    static let maxBars = 92

    /// One stacked series of the per-day chart.
    struct DaySeries {
        var id: String
        var label: String
        var decision: Decision
        var color: String
        var counts: [Int]
        var total: Int { counts.reduce(0, +) }
    }

    /// Colours by decision, alternating dark and light so that neighbours differ.
    static let palette: [Decision: [String]] = [
        .allow: ["#0969da", "#1a7f37", "#54aeff", "#4ac26b", "#0550ae", "#116329", "#218bff", "#2da44e"],
        .review: ["#bf8700", "#eac54f", "#9a6700", "#d4a72c"],
        .deny: ["#cf222e", "#ff8182", "#a40e26", "#fa4549"],
    ]
    static let otherColor: [Decision: String] = [.allow: "#8fb8de", .review: "#e3c98a", .deny: "#e8a3a8"]

    // MARK: - 1. Requests per origin per day

    static func dailyChart(_ verdicts: [OriginVerdict], invalidRequests: Int) -> String {
        // Indices, not copies: at the origin cap a copy of the verdicts is 6 MB.
        let seen = verdicts.indices.filter { verdicts[$0].stats.requests > 0 && !verdicts[$0].stats.dailyRequests.isEmpty }
        var first = Int32.max, last = Int32.min
        for i in seen { for d in verdicts[i].stats.dailyRequests.keys { first = min(first, d); last = max(last, d) } }
        guard !seen.isEmpty, first <= last else {
            return "<p>No per-day counts: the logs have no times, or no cross-origin request was seen.</p>"
        }
        let span = Int(last) - Int(first) + 1
        let bucketDays = (span + maxBars - 1) / maxBars
        let buckets = (span + bucketDays - 1) / bucketDays
        func counts(_ list: some Sequence<Int>) -> [Int] {
            var c = Array(repeating: 0, count: buckets)
            for i in list { for (d, n) in verdicts[i].stats.dailyRequests { c[(Int(d) - Int(first)) / bucketDays] += n } }
            return c
        }
        // The top origins by requests, then stacked in reading order (allow at the bottom, deny on top).
        let byRequests = seen.sorted {
            let (a, b) = (verdicts[$0], verdicts[$1])
            return a.stats.requests != b.stats.requests ? a.stats.requests > b.stats.requests : a.label < b.label
        }
        let topVerdicts = ReportText.forPeople(byRequests.prefix(topOrigins).map { verdicts[$0] })
        let rest = byRequests.dropFirst(topOrigins)
        var series: [DaySeries] = []
        for d in Decision.allCases {
            let mine = topVerdicts.filter { $0.decision == d }
            for (i, v) in mine.enumerated() {
                let colours = palette[d]!
                var c = Array(repeating: 0, count: buckets)
                for (day, n) in v.stats.dailyRequests { c[(Int(day) - Int(first)) / bucketDays] += n }
                series.append(DaySeries(id: v.label, label: v.label, decision: d, color: colours[i % colours.count], counts: c))
            }
            let others = rest.filter { verdicts[$0].decision == d }
            if !others.isEmpty {
                series.append(DaySeries(id: "other-\(d.rawValue)", label: "\(ReportText.count(others.count)) other \(d.rawValue) origin\(others.count == 1 ? "" : "s")",
                                        decision: d, color: otherColor[d]!, counts: counts(others)))
            }
        }
        let totals = (0..<buckets).map { b in series.reduce(0) { $0 + $1.counts[b] } }
        let peak = max(totals.max() ?? 0, 1)
        let ticks = niceTicks(peak)
        let yMax = ticks.last!
        let unit = bucketDays == 1 ? "day" : "\(bucketDays) days"
        func dayText(_ b: Int) -> String { DayText.text(first + Int32(b * bucketDays)) }

        // Geometry.
        let width = 960, left = 70, right = 16, top = 14, plotH = 280, bottom = 48
        let plotW = width - left - right, height = top + plotH + bottom
        func y(_ v: Int) -> Double { Double(top) + Double(plotH) * (1 - Double(v) / Double(yMax)) }
        let slot = Double(plotW) / Double(buckets)
        let barW = max(1, slot * (buckets > 30 ? 0.9 : 0.7))

        let title = "Cross-origin requests per \(unit), by origin"
        let desc = "Stacked bars, one per \(unit) from \(dayText(0)) to \(DayText.text(last)); "
            + series.map { "\($0.label) (\($0.decision.rawValue)) \(ReportText.count($0.total))" }.joined(separator: ", ")
        var svg = svgOpen(id: "chart-per-day", width: width, height: height, title: title, desc: desc)
        svg.append(hatchPattern("hatch-per-day"))
        for t in ticks {
            svg.append("<line class=\"grid\" x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(num(y(t)))\" y2=\"\(num(y(t)))\" />")
            svg.append("<text x=\"\(left - 6)\" y=\"\(num(y(t) + 4))\" text-anchor=\"end\">\(ReportText.count(t))</text>")
        }
        svg.append("<line class=\"axis\" x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(top + plotH)\" y2=\"\(top + plotH)\" />")
        svg.append("<line class=\"axis\" x1=\"\(left)\" x2=\"\(left)\" y1=\"\(top)\" y2=\"\(top + plotH)\" />")
        // Date labels: at most about 8, never overlapping.
        let every = max(1, (buckets + 7) / 8)
        for b in stride(from: 0, to: buckets, by: every) {
            let x = Double(left) + slot * (Double(b) + 0.5)
            svg.append("<text x=\"\(num(x))\" y=\"\(top + plotH + 16)\" text-anchor=\"middle\">\(dayText(b))</text>")
        }
        svg.append("<text class=\"muted\" x=\"\(left + plotW / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">UTC \(unit == "day" ? "day" : "period of \(unit), by its first day")</text>")
        svg.append("<text class=\"muted\" transform=\"translate(16 \(top + plotH / 2)) rotate(-90)\" text-anchor=\"middle\">requests per \(unit)</text>")
        var base = Array(repeating: 0, count: buckets)
        for s in series {
            svg.append("<g class=\"series\" data-series=\"\(escape(s.id))\" data-decision=\"\(s.decision.rawValue)\" data-total=\"\(s.total)\" fill=\"\(s.color)\">")
            for b in 0..<buckets where s.counts[b] > 0 {
                let x = Double(left) + slot * Double(b) + (slot - barW) / 2
                let y0 = y(base[b] + s.counts[b]), y1 = y(base[b])
                let rect = "x=\"\(num(x))\" y=\"\(num(y0))\" width=\"\(num(barW))\" height=\"\(num(max(0.5, y1 - y0)))\""
                svg.append("<rect \(rect) data-value=\"\(s.counts[b])\" stroke=\"#fff\" stroke-width=\"0.5\"><title>\(escape(s.label)) (\(s.decision.rawValue)), \(dayText(b)): \(ReportText.count(s.counts[b])) requests</title></rect>")
                if s.decision == .deny { svg.append("<rect \(rect) fill=\"url(#hatch-per-day)\" pointer-events=\"none\" />") }
                base[b] += s.counts[b]
            }
            svg.append("</g>")
        }
        svg.append("</svg>")

        var legend = ["<ul class=\"legend\" aria-label=\"Legend\">"]
        for s in series {
            legend.append("<li><span class=\"swatch\(s.decision == .deny ? " hatched" : "")\" style=\"background-color: \(s.color)\"></span>"
                + "\(badge(s.decision)) <span>\(s.id.hasPrefix("other-") ? escape(s.label) : code(s.label))</span></li>")
        }
        legend.append("</ul>")

        let drawn = min(topOrigins, seen.count)
        var caption = "Requests per \(unit) (UTC) of " + (drawn == 1 ? "the origin" : "the \(ReportText.count(drawn)) origins with the most requests")
            + ", stacked allow (blues and greens), review (ambers), deny (reds, hatched)"
        if !rest.isEmpty { caption += "; the other \(ReportText.count(rest.count)) origin\(rest.count == 1 ? "" : "s") grouped by decision" }
        if invalidRequests > 0 { caption += ". The \(ReportText.count(invalidRequests)) requests with an invalid origin have no per-day counts and are not drawn" }
        let numbers = table(
            caption: "Requests per \(unit)",
            head: ["Day"] + series.map(\.label) + ["All drawn"], numeric: Set(1...(series.count + 1)),
            rows: (0..<buckets).map { b in
                [escape(dayText(b))] + series.map { escape(ReportText.count($0.counts[b])) } + [escape(ReportText.count(totals[b]))]
            })
        return figure(caption: caption + ".", svg: svg, legend: legend, numbers: numbers)
    }

    // MARK: - 2. Preflight outcomes

    static let statusClasses: [(key: String, label: String, color: String)] = [
        ("2xx", "2xx", "#1a7f37"), ("3xx", "3xx", "#0969da"), ("4xx", "4xx", "#bf8700"),
        ("5xx", "5xx", "#cf222e"), ("none", "no status", "#8c959f"), ("other", "other (1xx, …)", "#8250df"),
    ]

    /// A preflight status (negative: none logged) → its class key.
    static func statusClass(_ status: Int) -> String {
        switch status {
        case ..<0: "none"
        case 200..<300: "2xx"
        case 300..<400: "3xx"
        case 400..<500: "4xx"
        case 500..<600: "5xx"
        default: "other"
        }
    }

    static func preflightChart(_ verdicts: [OriginVerdict]) -> String {
        // Indices, not copies (see `dailyChart`).
        let withPreflights = verdicts.indices.filter { verdicts[$0].stats.preflights > 0 && !verdicts[$0].stats.preflightStatuses.isEmpty }
        guard !withPreflights.isEmpty else { return "<p>No preflights were seen.</p>" }
        let byCount = withPreflights.sorted {
            let (a, b) = (verdicts[$0], verdicts[$1])
            return a.stats.preflights != b.stats.preflights ? a.stats.preflights > b.stats.preflights : a.label < b.label
        }
        struct Row { var id: String; var label: String; var decision: Decision?; var classes: [String: Int]
            var total: Int { classes.values.reduce(0, +) } }
        func classes(_ indices: some Sequence<Int>) -> [String: Int] {
            var c: [String: Int] = [:]
            for i in indices { for (s, n) in verdicts[i].stats.preflightStatuses { c[statusClass(s), default: 0] += n } }
            return c
        }
        let shown = Array(byCount.prefix(topPreflightRows))
        var rows = ReportText.forPeopleOrder(shown.map { verdicts[$0] }).map { k in
            let i = shown[k]
            return Row(id: verdicts[i].label, label: verdicts[i].label, decision: verdicts[i].decision, classes: classes(CollectionOfOne(i)))
        }
        let rest = byCount.dropFirst(topPreflightRows)
        if !rest.isEmpty {
            rows.append(Row(id: "other", label: "\(ReportText.count(rest.count)) other origins", decision: nil, classes: classes(rest)))
        }
        let used = statusClasses.filter { c in rows.contains { $0.classes[c.key, default: 0] > 0 } || ["2xx", "3xx", "4xx", "5xx", "none"].contains(c.key) }

        let width = 960, labelW = 360, decisionW = 62, countW = 150, rowH = 26, top = 8, barH = 16
        let barX = labelW + 8, barW = width - barX - countW
        let height = top + rows.count * rowH + 8
        let title = "Preflight outcomes per origin"
        let desc = rows.map { r in
            "\(r.label): \(ReportText.count(r.total)) preflights, "
                + used.compactMap { c in r.classes[c.key].map { "\(c.label) \(ReportText.count($0))" } }.joined(separator: ", ")
        }.joined(separator: "; ")
        var svg = svgOpen(id: "chart-preflights", width: width, height: height, title: title, desc: desc)
        for (i, r) in rows.enumerated() {
            let y = top + i * rowH
            svg.append("<g class=\"row\" data-origin=\"\(escape(r.id))\" data-preflights=\"\(r.total)\">")
            if let d = r.decision {
                svg.append("<text class=\"d-\(d.rawValue)\" x=\"0\" y=\"\(y + 12)\">\(d.rawValue)</text>")
            }
            svg.append("<text x=\(q(labelW)) y=\"\(y + 12)\" text-anchor=\"end\">\(escape(clip(r.label, labelW - decisionW)))<title>\(escape(r.label))</title></text>")
            var x = 0.0
            for c in used {
                guard let n = r.classes[c.key], n > 0 else { continue }
                let w = Double(barW) * Double(n) / Double(r.total)
                svg.append("<rect x=\"\(num(Double(barX) + x))\" y=\"\(y)\" width=\"\(num(w))\" height=\"\(barH)\" fill=\"\(c.color)\" data-class=\"\(c.key)\" data-value=\"\(n)\">"
                    + "<title>\(escape(r.label)): \(c.label) \(ReportText.count(n)) of \(ReportText.count(r.total)) (\(ReportText.percent(Double(n) / Double(r.total))))</title></rect>")
                x += w
            }
            let failing = r.total - r.classes["2xx", default: 0]
            let note = failing == 0 ? "all 2xx" : "\(ReportText.percent(Double(failing) / Double(r.total))) not 2xx"
            svg.append("<text x=\"\(barX + barW + 8)\" y=\"\(y + 12)\">\(ReportText.count(r.total)) · \(note)</text>")
            svg.append("</g>")
        }
        svg.append("</svg>")
        var legend = ["<ul class=\"legend\" aria-label=\"Legend\">"]
        for c in used { legend.append("<li><span class=\"swatch\" style=\"background-color: \(c.color)\"></span><span>\(escape(c.label))</span></li>") }
        legend.append("</ul>")
        let numbers = table(
            caption: "Preflights by response status class",
            cssClass: "origins", head: ["Decision", "Origin", "Preflights"] + used.map(\.label), numeric: Set(2...(used.count + 2)),
            rows: rows.map { r in
                [r.decision.map(badge) ?? "", r.decision == nil ? escape(r.label) : code(r.label), escape(ReportText.count(r.total))]
                    + used.map { escape(ReportText.count(r.classes[$0.key, default: 0])) }
            })
        var caption = "Share of each origin's preflights (OPTIONS with Access-Control-Request-Method) by the status the server answered; "
            + "the count and the share that was not 2xx on the right"
        if !rest.isEmpty { caption += "; the \(ReportText.count(topPreflightRows)) origins with the most preflights, the others in one row" }
        return figure(caption: caption + ".", svg: svg, legend: legend, numbers: numbers)
    }

    // MARK: - 3. What the proposal would break

    static func breakageChart(_ b: Breakage) -> String {
        guard b.blockedRequests > 0 else {
            return "<p>It would refuse none of the \(ReportText.count(b.crossOriginRequests)) cross-origin requests.</p>"
        }
        let reasons = b.byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
        let sentence = "It would refuse \(ReportText.count(b.blockedRequests)) of \(ReportText.count(b.crossOriginRequests)) "
            + "cross-origin requests (\(ReportText.percent(b.share)))."
        let width = 960, labelW = 200, countW = 250, rowH = 26, barH = 16, top = 8
        let barX = labelW + 8, barW = width - barX - countW
        let height = top + (reasons.count + 1) * rowH + 14
        let title = "Cross-origin requests the proposal would refuse, by reason"
        let desc = sentence + " " + reasons.map { "\($0.key.rawValue) \(ReportText.count($0.value))" }.joined(separator: ", ")
        var svg = svgOpen(id: "chart-breakage", width: width, height: height, title: title, desc: desc)
        svg.append(hatchPattern("hatch-breakage"))
        // First row: all cross-origin requests, kept and refused.
        let refusedW = Double(barW) * b.share
        svg.append("<g class=\"total\" data-blocked=\"\(b.blockedRequests)\" data-cross-origin=\"\(b.crossOriginRequests)\">")
        svg.append("<text x=\(q(labelW)) y=\"\(top + 12)\" text-anchor=\"end\" font-weight=\"600\">all cross-origin</text>")
        svg.append("<rect x=\"\(barX)\" y=\"\(top)\" width=\"\(num(Double(barW) - refusedW))\" height=\"\(barH)\" fill=\"#1a7f37\">"
            + "<title>still answered: \(ReportText.count(b.crossOriginRequests - b.blockedRequests))</title></rect>")
        svg.append("<rect x=\"\(num(Double(barX) + Double(barW) - refusedW))\" y=\"\(top)\" width=\"\(num(refusedW))\" height=\"\(barH)\" fill=\"#cf222e\">"
            + "<title>refused: \(ReportText.count(b.blockedRequests))</title></rect>")
        svg.append("<text x=\"\(barX + barW + 8)\" y=\"\(top + 12)\">\(ReportText.count(b.blockedRequests)) of \(ReportText.count(b.crossOriginRequests)) refused (\(ReportText.percent(b.share)))</text>")
        svg.append("</g>")
        let sepY = top + rowH - 4
        svg.append("<line class=\"grid\" x1=\"0\" x2=\"\(width)\" y1=\"\(sepY)\" y2=\"\(sepY)\" />")
        // Then one bar per reason, scaled to the largest.
        let peak = reasons.first!.value
        for (i, r) in reasons.enumerated() {
            let y = top + (i + 1) * rowH + 6
            let w = max(1, Double(barW) * Double(r.value) / Double(peak))
            let share = Double(r.value) / Double(max(b.crossOriginRequests, 1))
            let colour = decisionColor(r.key.decision)
            svg.append("<g class=\"reason\" data-reason=\"\(escape(r.key.rawValue))\" data-requests=\"\(r.value)\">")
            svg.append("<text x=\(q(labelW)) y=\"\(y + 12)\" text-anchor=\"end\">\(escape(r.key.rawValue))</text>")
            svg.append("<rect x=\"\(barX)\" y=\"\(y)\" width=\"\(num(w))\" height=\"\(barH)\" fill=\"\(colour)\">"
                + "<title>\(escape(r.key.rawValue)) (\(r.key.decision.rawValue)): \(ReportText.count(r.value)) requests, \(ReportText.percent(share)) of cross-origin requests</title></rect>")
            if r.key.decision == .deny {
                svg.append("<rect x=\"\(barX)\" y=\"\(y)\" width=\"\(num(w))\" height=\"\(barH)\" fill=\"url(#hatch-breakage)\" pointer-events=\"none\" />")
            }
            svg.append("<text x=\"\(num(Double(barX) + w + 8))\" y=\"\(y + 12)\">\(ReportText.count(r.value)) · \(ReportText.percent(share)) of cross-origin</text>")
            svg.append("</g>")
        }
        svg.append("</svg>")
        let legend = ["<ul class=\"legend\" aria-label=\"Legend\">",
                      "<li><span class=\"swatch\" style=\"background-color: #1a7f37\"></span><span>still answered</span></li>",
                      "<li><span class=\"swatch\" style=\"background-color: #cf222e\"></span><span>refused</span></li>",
                      "<li><span class=\"swatch\" style=\"background-color: \(decisionColor(.review))\"></span><span>reason of a review decision</span></li>",
                      "<li><span class=\"swatch hatched\" style=\"background-color: \(decisionColor(.deny))\"></span><span>reason of a deny decision</span></li>",
                      "</ul>"]
        let numbers = table(
            caption: "Refused cross-origin requests by reason",
            head: ["Reason", "Decision", "Requests", "Share of cross-origin requests"], numeric: [2, 3],
            rows: reasons.map { [code($0.key.rawValue), badge($0.key.decision), escape(ReportText.count($0.value)),
                                 escape(ReportText.percent(Double($0.value) / Double(max(b.crossOriginRequests, 1))))] }
                + [["all", "", escape(ReportText.count(b.blockedRequests)), escape(ReportText.percent(b.share))]])
        return "<p>\(escape(sentence))</p>\n" + figure(
            caption: "The requests of origins the proposal does not allow, by the reason of their decision; bars scaled to the largest.",
            svg: svg, legend: legend, numbers: numbers)
    }

    // MARK: - SVG helpers

    static func svgOpen(id: String, width: Int, height: Int, title: String, desc: String) -> [String] {
        ["<svg class=\"chart\" id=\"\(id)\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" "
            + "aria-labelledby=\"\(id)-title \(id)-desc\">",
         "<title id=\"\(id)-title\">\(escape(title))</title>",
         "<desc id=\"\(id)-desc\">\(escape(desc))</desc>"]
    }

    /// White diagonal stripes laid over deny colours (told apart without colour vision).
    static func hatchPattern(_ id: String) -> String {
        "<defs><pattern id=\"\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"2\" height=\"6\" fill=\"#fff\" fill-opacity=\"0.55\" /></pattern></defs>"
    }

    static func figure(caption: String, svg: [String], legend: [String], numbers: String) -> String {
        (["<figure>", "<figcaption>\(escape(caption))</figcaption>"] + svg + legend
            + ["<details>", "<summary>The numbers</summary>", numbers, "</details>", "</figure>"]).joined(separator: "\n")
    }

    static func decisionColor(_ d: Decision) -> String {
        switch d {
        case .allow: "#1a7f37"
        case .review: "#9a6700"
        case .deny: "#cf222e"
        }
    }

    /// A quoted integer attribute value.
    static func q(_ v: Int) -> String { "\"\(v)\"" }

    /// A coordinate with at most one decimal: `12.5`, `12`, `-0.5`.
    static func num(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let m = tenths.magnitude
        return m % 10 == 0 ? "\(sign)\(m / 10)" : "\(sign)\(m / 10).\(m % 10)"
    }

    /// Axis ticks from 0 to a round number at least `peak`: steps of 1, 2 or 5 × 10ⁿ, at most about 6.
    static func niceTicks(_ peak: Int) -> [Int] {
        var step = 1
        while true {
            if peak <= step * 5 { break }
            if peak <= step * 2 * 5 { step *= 2; break }
            if peak <= step * 5 * 5 { step *= 5; break }
            step *= 10
        }
        let top = (peak + step - 1) / step * step
        return Array(stride(from: 0, through: top, by: step))
    }

    /// Text shortened to fit about `width` pixels of 12px type (the whole text is in the `<title>`).
    static func clip(_ s: String, _ width: Int) -> String {
        let chars = width / 7
        return s.count <= chars ? s : String(s.prefix(chars - 1)) + "…"
    }
}
