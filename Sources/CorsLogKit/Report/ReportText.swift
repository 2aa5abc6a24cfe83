/// Small formatting helpers shared by the text and Markdown reports.
enum ReportText {
    /// 12345 → "12,345".
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// 1, "line" → "1 line"; 12345, "line" → "12,345 lines" (`plural` for nouns that do not add an s).
    static func count(_ n: Int, _ noun: String, plural: String? = nil) -> String {
        "\(count(n)) " + (n == 1 ? noun : plural ?? noun + "s")
    }

    /// 0.0153 → "1.5%".
    static func percent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Columns padded to their widest cell; the last column is not padded.
    static func table(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        guard !rows.isEmpty else { return "" }
        let widths = columnWidths(rows.count, row: { rows[$0] })
        return rows.map { tableLine($0, widths: widths, rightAligned: rightAligned) }.joined(separator: "\n")
    }

    /// `table` for rows made on demand, one line at a time to `line`: each row
    /// is made twice (once to measure the columns, once to write it), so that
    /// no table of all the rows is ever held.
    static func table(rows count: Int, rightAligned: Set<Int> = [], row: (Int) -> [String], line: (String) -> Void) {
        let widths = columnWidths(count, row: row)
        for n in 0..<count { line(tableLine(row(n), widths: widths, rightAligned: rightAligned)) }
    }

    /// The widest cell of each column (in characters).
    private static func columnWidths(_ count: Int, row: (Int) -> [String]) -> [Int] {
        var widths: [Int] = []
        for n in 0..<count {
            let cells = row(n)
            if cells.count > widths.count { widths += Array(repeating: 0, count: cells.count - widths.count) }
            for (i, cell) in cells.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return widths
    }

    /// One row of a table, its cells padded to `widths`, without trailing spaces.
    private static func tableLine(_ row: [String], widths: [Int], rightAligned: Set<Int>) -> String {
        row.enumerated().map { i, cell in
            if i == row.count - 1 && !rightAligned.contains(i) { return cell }
            let pad = String(repeating: " ", count: widths[i] - cell.count)
            return rightAligned.contains(i) ? pad + cell : cell + pad
        }.joined(separator: "  ").trimmingTrailingSpaces
    }

    /// Verdicts in reading order: allow, review, deny; then most requests first.
    static func forPeople(_ verdicts: [OriginVerdict]) -> [OriginVerdict] {
        forPeopleOrder(verdicts).map { verdicts[$0] }
    }

    /// The indices of `verdicts` in `forPeople`'s order, without copying a verdict.
    static func forPeopleOrder(_ verdicts: [OriginVerdict]) -> [Int] {
        Array(verdicts.indices).sorted { a, b in
            verdicts[a].decision != verdicts[b].decision ? verdicts[a].decision < verdicts[b].decision
                : verdicts[a].stats.requests != verdicts[b].stats.requests ? verdicts[a].stats.requests > verdicts[b].stats.requests
                : verdicts[a].label < verdicts[b].label
        }
    }

    /// Report text handed to `sink` in pieces of about `chunk` bytes: `body` gives it
    /// line by line (a line may hold several, separated by `\n`), each ended by `\n`.
    static func lines(to sink: (String) -> Void, chunk: Int = chunk, _ body: (_ line: (String) -> Void) -> Void) {
        var buffer = ""
        buffer.reserveCapacity(min(chunk, Self.chunk) + 4096)
        // `sink` is only called while `lines` runs: body's `line` does not outlive it.
        withoutActuallyEscaping(sink) { sink in
            body { text in
                buffer += text
                buffer += "\n"
                if buffer.utf8.count >= chunk {
                    sink(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        if !buffer.isEmpty { sink(buffer) }
    }

    static let chunk = 1 << 16

    /// The reason shown first: the one that decided.
    static func headline(_ v: OriginVerdict) -> String {
        let deciding = v.reasons.filter { $0.code.decision == v.decision || $0.code == .trusted || $0.code == .ignored }
        var text = deciding.map { "\($0.code.rawValue): \($0.detail)" }.joined(separator: "; ")
        if let before = v.overriddenDecision { text += " (evidence said \(before.rawValue))" }
        return text
    }

    /// `missingScheme` → `missing-scheme`: the report's spelling of enum names. A run of
    /// capitals is one word (`badIPv4` → `bad-ipv4`, `controlOrNonASCII` → `control-or-non-ascii`).
    static func kebab(_ name: String) -> String {
        var out = ""
        var previous: Character? = nil
        for ch in name {
            if ch.isUppercase, let p = previous, !p.isUppercase { out.append("-") }
            out += ch.lowercased()
            previous = ch
        }
        return out
    }

    /// The error logs `InputSet` left out of the directories given, or nil when none were.
    /// That the log format changed (`InputSummary.formatChange`): lines of a format without
    /// Origin that fit a preset recording it.
    static func formatChangeLine(_ a: Analysis) -> String? {
        guard let c = a.input.formatChange else { return nil }
        return "The log format changed: \(count(c.lines, "line")) (the first: \(c.file):\(c.line)) fit \(c.format), which records "
            + "Origin; read as \(a.format.name), their origin was taken from Referer. Give --format \(c.format) to use their Origin "
            + "(the lines in the old format are then skipped)."
    }

    /// That newer files recording Origin chose the format over older ones (`NewerFormat`).
    static func newerFormatLine(_ input: InputSummary) -> String? {
        guard let n = input.newerFormat else { return nil }
        let others = n.otherFiles.prefix(3).joined(separator: ", ") + (n.otherFiles.count > 3 ? ", …" : "")
        return "Format \(n.format) from the first lines of \(n.file), which record Origin: those of "
            + "\(count(n.otherFiles.count, "other file")) (\(others)) fit \(n.otherFormat), which does not, and their lines "
            + "in that format are skipped (--format \(n.otherFormat) reads them, from Referer)."
    }

    /// That the detected format left quoted origins after its last field (`InputSummary.originsAfterFormat`).
    static func originsAfterFormatLine(_ a: Analysis) -> String? {
        guard let o = a.input.originsAfterFormat else { return nil }
        return "Origins after the format: \(count(o.lines)) of the \(count(o.sampled, "line")) sampled go on after \(a.format.name)'s "
            + "last field with a quoted origin (what \"$http_origin\" or %{Origin}i logs): the server's log format has fields "
            + "\(a.format.name) does not read, so the origins were taken from Referer. Give the server's own definition "
            + "with --format '…' or --format-file (its nginx.conf or Apache config)."
    }

    /// That the files were read with different presets, each with the one its first lines fit
    /// (`FileFormats`): which files each preset read.
    static func fileFormatsLine(_ input: InputSummary) -> String? {
        var order: [String] = []
        var files: [String: [String]] = [:]
        for f in input.files {
            guard let format = f.format else { continue }
            if files[format] == nil { order.append(format) }
            files[format, default: []].append(f.path)
        }
        guard order.count > 1 else { return nil }
        let each = order.map { format in
            let paths = files[format]!
            return "\(format) for " + paths.prefix(3).joined(separator: ", ") + (paths.count > 3 ? " and \(count(paths.count - 3)) more" : "")
        }
        return "Formats: each file was read with the preset its first lines fit: " + each.joined(separator: "; ")
            + " (give --format to read every file with one)."
    }

    /// That every cross-origin request came from fewer client addresses than `--min-clients`
    /// (`Inference.clientsLookProxied`): the client field is likely a proxy's.
    static func proxiedClientsLine(_ inf: Inference) -> String? {
        guard inf.clientsLookProxied else { return nil }
        return "Clients: the \(count(inf.breakage.crossOriginRequests, "cross-origin request")) came from "
            + "\(count(inf.clientAddresses, "client address")) in all, fewer than --min-clients \(inf.minClients), so the origins "
            + "seen from them are held for few-clients: the log's client field likely holds a proxy's or load balancer's "
            + "address, not the browsers'. " + logTheBrowsersAddresses + ", or give --min-clients 1 to decide by days alone."
    }

    /// That the logs span fewer days than `--min-days` (`Inference.periodShorterThanMinDays`).
    static func shortPeriodLine(_ inf: Inference) -> String? {
        guard inf.periodShorterThanMinDays, let days = inf.periodDays else { return nil }
        return "Period: the logs span \(count(days, "day")), fewer than --min-days \(inf.minDays), so every origin is held "
            + "for few-days however many clients it has. Analyze a longer period (the rotated files too: a directory such as "
            + "/var/log/nginx/ is read with access.log.1, access.log.2.gz …), or give --min-days 1 to decide by clients alone."
    }

    /// Many origins held for few clients or days alone (`Inference.longTail`): perhaps a
    /// public API, which an allowlist would break site by site.
    static func longTailLine(_ inf: Inference) -> String? {
        longTailLine(inf.longTail, crossOriginRequests: inf.breakage.crossOriginRequests, refusedBy: "The allowlist")
    }

    /// The same for `refusedBy` ("The allowlist", "The policy").
    static func longTailLine(_ tail: LongTail?, crossOriginRequests: Int, refusedBy: String) -> String? {
        guard let t = tail else { return nil }
        let share = Double(t.requests) / Double(max(crossOriginRequests, 1))
        let paths = t.topPaths.map { "\($0.path) (\(count($0.requests)))" }.joined(separator: ", ")
        return "Long tail: \(count(t.origins, "origin")) held only for few clients or days, "
            + "\(count(t.requests, "request")) (\(percent(share)) of the cross-origin requests) from "
            + (t.clientsExact ? "" : "about ") + "\(count(t.clients, "client")) together" + (paths.isEmpty ? "" : ", most on \(paths)")
            + ": many sites with a few visitors each are what an API embedded in other sites' pages (a widget, a public "
            + "dataset) looks like — and what a flood of made-up Origin values from many addresses looks like. \(refusedBy) "
            + "refuses every one of them; if the API, or those paths, are meant for any site, keep "
            + "Access-Control-Allow-Origin: * there rather than adopting the allowlist for them."
    }

    /// How to make the log's client field the browser's address behind a proxy.
    static let logTheBrowsersAddresses = "Log the browsers' addresses (nginx: the realip module, `set_real_ip_from` the "
        + "proxies' addresses and `real_ip_header X-Forwarded-For`; Apache: mod_remoteip, `RemoteIPHeader X-Forwarded-For` "
        + "with `RemoteIPTrustedProxy`, and `%a` in place of `%h`)"

    /// What the directories given hold and were not read: error logs, subdirectories, and
    /// entries that are no regular file.
    static func notReadLine(_ input: InputSummary) -> String? {
        func shown(_ left: [String]) -> String {
            left.prefix(5).joined(separator: ", ") + (left.count > 5 ? " and \(count(left.count - 5)) more" : "")
        }
        let directories = input.entriesLeftOut.filter { $0.hasSuffix("/") }
        let others = input.entriesLeftOut.filter { !$0.hasSuffix("/") }
        var parts: [String] = []
        if !input.errorLogsLeftOut.isEmpty {
            parts.append("\(shown(input.errorLogsLeftOut)) (error logs, by their names; name such a file to read it)")
        }
        if !directories.isEmpty {
            let one = directories.count == 1
            parts.append("\(shown(directories)) (\(one ? "a subdirectory" : "subdirectories"): a directory is not read "
                + "recursively; name \(one ? "it" : "them") to read \(one ? "its" : "their") files)")
        }
        if !others.isEmpty {
            parts.append("\(shown(others)) (no regular file: a pipe, socket, device or link to nothing; name such a file to read it)")
        }
        return parts.isEmpty ? nil : "Not read: " + parts.joined(separator: "; ")
    }

    /// The proposal's headers — or, when the log format does not record
    /// `Access-Control-Request-Headers`, that they are unknown: "none" would break every
    /// preflight that asks for one (`content-type` for JSON, `authorization`).
    static func proposalHeaders(_ inf: Inference) -> String {
        let names = inf.proposal.headers.map(\.name)
        guard inf.requestHeadersNotLogged > 0 else { return Self.names(names) }
        return (names.isEmpty ? "UNKNOWN" : names.joined(separator: ", ") + " and perhaps more (UNKNOWN)")
            + ": the log format does not record Access-Control-Request-Headers, so which headers "
            + "\(count(inf.requestHeadersNotLogged)) preflights asked for is not known; log it "
            + "(`corslog log-format nginx` or `apache` prints the directive) and run again, "
            + "or list the headers your pages send in the policy file before rendering it"
    }

    /// The proposal's credentials — or, when the server echoes the Origin and the log format
    /// does not record Access-Control-Allow-Credentials, that "no" may be wrong.
    static func proposalCredentials(_ inf: Inference) -> String {
        guard !inf.proposal.credentials, inf.credentialsNotLogged > 0 else { return inf.proposal.credentials ? "yes" : "no" }
        return "no, but UNKNOWN: the server echoed the Origin to \(count(inf.credentialsNotLogged)) requests of the allowed "
            + "origins and the log format does not record Access-Control-Allow-Credentials; if those answers say true, "
            + "pages that send cookies need credentials (--credentials, or credentials: true in the policy file)"
    }

    /// The allowed origins' requests with a method no proposal can allow, or nil when none.
    static func otherMethodsLine(_ inf: Inference) -> String? {
        guard inf.otherMethodRequests > 0 else { return nil }
        let examples = inf.otherMethodExamples.isEmpty ? "" : " (" + inf.otherMethodExamples.joined(separator: ", ") + ")"
        return "\(count(inf.otherMethodRequests)) requests and preflights of the allowed origins used a method "
            + "corslog cannot allow\(examples): they would fail. Browsers send a method as the page wrote it, "
            + "except DELETE, GET, HEAD, OPTIONS, POST and PUT, so `patch` is not `PATCH`: have the page use the "
            + "upper-case name"
    }

    /// The proposal's exposed response headers: none, as access logs do not show which
    /// response headers pages read (only the safelisted ones need no Access-Control-Expose-Headers).
    static let exposeHeadersText = "none (access logs do not show them: if Access-Control-Expose-Headers lists any today, "
        + "put them in the policy file's expose_headers)"

    static func names(_ list: [String], none: String = "none") -> String {
        list.isEmpty ? none : list.joined(separator: ", ")
    }

    static func period(_ e: Evidence) -> String? {
        guard let f = e.firstSeen, let l = e.lastSeen else { return nil }
        return "\(Timestamp.iso8601(f)) to \(Timestamp.iso8601(l))"
    }

    /// "State: state.json holds 7 days (2025-11-01 to 2025-11-07, window 30 days); this run: 1 file resumed, 2 already read (1.2 MB not read again)".
    static func stateLine(_ a: Analysis) -> String? {
        guard let s = a.incremental else { return nil }
        var text = "State: \(s.statePath) holds \(count(s.days)) day\(s.days == 1 ? "" : "s")"
        if let f = s.firstDay, let l = s.lastDay {
            text += " (\(DayText.text(f)) to \(DayText.text(l)), window \(s.windowDays) days)"
        } else {
            text += " (window \(s.windowDays) days)"
        }
        let fresh = a.input.files.count - s.filesResumed
        text += "; this run: \(count(fresh)) new file\(fresh == 1 ? "" : "s"), \(count(s.filesResumed)) resumed, "
            + "\(count(s.filesAlreadyRead)) already read; \(bytes(s.bytesSkipped)) not read again"
        if s.refererDaysDropped > 0 {
            text += "; the \(count(s.refererDaysDropped, "day")) of evidence inferred from Referer were dropped: these logs record "
                + "Origin, so the window starts again from them"
        }
        return text
    }

    /// "1.2 MB".
    static func bytes(_ n: UInt64) -> String {
        let v = Double(n)
        if v >= 1e9 { return "\((v / 1e8).rounded() / 10) GB" }
        if v >= 1e6 { return "\((v / 1e5).rounded() / 10) MB" }
        if v >= 1e3 { return "\((v / 1e2).rounded() / 10) kB" }
        return "\(n) bytes"
    }

    static func formatLine(_ a: Analysis) -> String {
        var s = "format \(a.format.name)"
        if let d = a.detection { s += " (detected: fits \(d.parsed) of the first \(d.sampled) lines)" }
        let e = a.evidence
        if e.source == .originHeader {
            s += "; origins from the Origin header"
            if e.originsNotLogged { s += " — but " + jsonWithoutOrigin }
        } else if e.originsNotLogged {
            s += "; the format records neither Origin nor Referer, so no cross-origin request can be seen in it"
        } else {
            s += "; the format has no Origin, so origins are inferred from Referer"
            if e.linesOfFormatsWithoutOrigins > 0 {
                s += " (\(count(e.linesOfFormatsWithoutOrigins, "line")) in a format that records neither: "
                    + "their cross-origin requests are not counted)"
            }
        }
        return s
    }

    /// JSON lines none of which has an Origin value (`Evidence.jsonLinesWithoutOrigin`).
    static let jsonWithoutOrigin = "no line has an Origin value, and in JSON lines a header that is not logged reads "
        + "the same as one not sent (Traefik keeps only the request headers it is told to: "
        + "`--accesslog.fields.headers.names.Origin=keep`)"

    /// The traffic line's text when no line could show an origin (`Evidence.originsNotLogged`).
    static func originsNotLoggedTraffic(_ e: Evidence) -> String {
        e.linesOfFormatsWithoutOrigins == 0
            ? "cannot tell: " + jsonWithoutOrigin
            : "cannot tell: the log format records neither Origin nor Referer; "
                + "`corslog log-format nginx` or `corslog log-format apache` prints the directive that adds them"
    }

    /// The proposal's text when no line could show an origin.
    static let originsNotLoggedProposal = "none: the log records no origin, so corslog cannot tell which origins use the API. "
        + "Keep Access-Control-Allow-Origin: * until a log that records Origin has been analysed."

    /// Why `propose`, `check`, `verify` and `--write-policy` stop when no line could show an origin.
    static func originsNotLoggedError(_ a: Analysis) -> String {
        let e = a.evidence
        let why = e.linesOfFormatsWithoutOrigins == 0 ? jsonWithoutOrigin : "format \(a.format.name) records neither Origin nor Referer"
        return "no origin can be seen in \(count(e.linesWithoutOrigin, "line")): \(why); so nothing can be proposed or checked "
            + "from them (an empty allowlist would refuse every page that uses the API). Log the Origin header (for nginx and "
            + "Apache, the directive of `corslog log-format nginx` or `corslog log-format apache`), then analyse the new log."
    }

    static func siteLine(_ i: Inference) -> String {
        switch i.siteSource {
        case .flag: "site \(names(i.sites.map(\.serialized)))"
        case .policy: "site \(names(i.sites.map(\.serialized))) (from the policy file)"
        case .hostField where !i.internalHosts.isEmpty:
            "site \(names(i.sites.map(\.serialized))) (guessed from the logged Host, passing over the internal "
                + "\(names(i.internalHosts.prefix(3).map { $0 })); pass --site to be sure)"
        case .hostField: "site \(names(i.sites.map(\.serialized))) (guessed from the most frequent Host; pass --site to be sure)"
        case .unknown where !i.internalHosts.isEmpty:
            "site unknown: the logged Host is \(names(i.internalHosts.prefix(3).map { $0 }))"
                + ", an internal name (an address, or a private or single-label name: the Host a proxy or load balancer sends) "
                + "that no browser page is served from; pass --site so that same-origin and first-party traffic is recognised"
        case .unknown: "site unknown: pass --site so that same-origin and first-party traffic is recognised"
        }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
