import Foundation

/// The JSON report: stable field names (documented in the README), keys
/// sorted, arrays in a fixed order, so two reports diff cleanly.
///
/// The origins' entries are built and encoded one at a time while the report
/// is written (`write(to:)`), so a report of the whole `--max-origins` costs
/// one entry's tree at a time, not a tree and a buffer of the whole document.
package struct JSONReport: Encodable, Sendable {
    package struct Site: Codable, Sendable {
        var origins: [String]
        var source: String
        /// Without --site: the logged Host values passed over as internal names (absent when none).
        var internalHosts: [String]? = nil
    }
    package struct Format: Codable, Sendable {
        var name: String
        var syntax: String
        var definition: String
        var detected: Bool
        var originSource: String
    }
    package struct File: Codable, Sendable {
        var path: String
        var lines: Int
        var parsed: Int
        var skipped: Int
        var blank: Int
        var overlong: Int
        var compressed: Bool
        var error: String?
        /// The preset the file was read with, when the run's files were read with different ones.
        var format: String?
    }
    package struct FormatChange: Codable, Sendable {
        var format: String
        var lines: Int
        var file: String
        var line: Int
    }
    package struct OriginsAfterFormat: Codable, Sendable {
        var lines: Int
        var sampled: Int
    }
    package struct Skipped: Codable, Sendable {
        var file: String
        var line: Int
        var reason: String
    }
    package struct Input: Codable, Sendable {
        var files: [File]
        var lines: Int
        var parsed: Int
        var skipped: Int
        var blank: Int
        var skippedExamples: [Skipped]
        /// The inflate backend that decoded gzip input (`zlib`, `isa-l`); absent when none was gzip.
        var inflate: String?
        /// The error logs in the directories given, left out (sorted); absent when there were none.
        var errorLogsNotRead: [String]?
        /// The directories' subdirectories (ending in `/`) and entries that are no regular file,
        /// not read (sorted); absent when there were none.
        var entriesNotRead: [String]?
        /// Lines of a format without Origin that fit a preset recording it: the log format
        /// changed (`InputSummary.formatChange`); absent when none.
        var formatChange: FormatChange?
        /// Newer files recording Origin chose the format over older ones (`NewerFormat`); absent otherwise.
        var newerFormat: NewerFormat?
        /// Sampled lines the detected format left with a quoted origin after its last field
        /// (`InputSummary.originsAfterFormat`); absent otherwise.
        var originsAfterFormat: OriginsAfterFormat?
        var firstSeen: String?
        var lastSeen: String?
        /// Only for an incremental run (`--state`).
        var state: StateEntry?
    }
    /// What an incremental run's evidence covers.
    package struct StateEntry: Codable, Sendable {
        var path: String
        var windowDays: Int
        var firstDay: String?
        var lastDay: String?
        var days: Int
        var filesResumed: Int
        var filesAlreadyRead: Int
        var bytesNotReadAgain: UInt64
        /// Days inferred from Referer this run dropped (its logs record Origin); absent when none.
        var refererDaysDropped: Int?

        init(_ s: IncrementalInfo) {
            path = s.statePath
            windowDays = s.windowDays
            firstDay = s.firstDay.map(DayText.text)
            lastDay = s.lastDay.map(DayText.text)
            days = s.days
            filesResumed = s.filesResumed
            filesAlreadyRead = s.filesAlreadyRead
            bytesNotReadAgain = s.bytesSkipped
            refererDaysDropped = s.refererDaysDropped > 0 ? s.refererDaysDropped : nil
        }
    }
    package struct Traffic: Codable, Sendable {
        var linesWithoutOrigin: Int
        var sameOriginRequests: Int
        var crossOriginRequests: Int
        var nullOriginRequests: Int
        var invalidOriginRequests: Int
        /// Lines read with a format that records neither Origin nor Referer: their
        /// cross-origin requests are not counted (0 when every format records one).
        var linesWithoutOriginField: Int
        /// Distinct client addresses of every cross-origin request, all origins together.
        var clientAddresses: Int
        /// At least 100 cross-origin requests came from fewer addresses than --min-clients in
        /// all, and origins are held for few-clients: the client field likely holds a proxy's address.
        var clientsLookProxied: Bool
        /// Origins held only for few clients or days, many of them, from many clients together
        /// (`LongTail`); absent otherwise.
        var longTail: LongTailEntry?
        /// Calendar days from the first line to the last (absent without times), and whether
        /// they are fewer than --min-days while an origin is held for few-days.
        var periodDays: Int?
        var periodShorterThanMinDays: Bool
    }
    package struct LongTailEntry: Codable, Sendable {
        var origins: Int
        var requests: Int
        var clients: Int
        var topPaths: [PathCount]

        init(_ t: LongTail) {
            origins = t.origins
            requests = t.requests
            clients = t.clients
            topPaths = t.topPaths.map { PathCount(path: $0.path, requests: $0.requests) }
        }
    }
    package struct PathCount: Codable, Sendable {
        var path: String
        var requests: Int
    }
    package struct Invalid: Codable, Sendable {
        var requests: Int
        var byReason: [String: Int]
        var examples: [String]
    }
    package struct Cap: Codable, Sendable {
        var capacity: Int
        var reached: Bool
        var prunes: Int
        var evictedOrigins: Int
        var evictedRequests: Int
        var distinctOrigins: Int
    }
    package struct ReasonEntry: Codable, Sendable {
        var code: String
        var detail: String
    }
    package struct PathEntry: Codable, Sendable {
        var path: String
        var requests: Int
    }
    package struct Answers: Codable, Sendable {
        var none: Int
        var wildcard: Int
        var echoed: Int
        var other: Int
    }
    package struct OriginEntry: Codable, Sendable {
        var origin: String
        var decision: String
        var reasons: [ReasonEntry]
        var overriddenDecision: String?
        var firstParty: Bool?
        var inferredFromReferer: Bool
        var requests: Int
        var sameOriginRequests: Int
        var preflights: Int
        var preflightStatuses: [String: Int]
        var clients: Int
        var days: Int
        var firstSeen: String?
        var lastSeen: String?
        var methods: [String: Int]
        var requestedMethods: [String: Int]
        var otherMethods: Int
        var headers: [String: Int]
        var invalidHeaders: Int
        var statusClasses: [String: Int]
        var topPaths: [PathEntry]
        var allowOriginAnswers: Answers
        var credentialedResponses: Int
    }
    package struct ProposalEntry: Codable, Sendable {
        var origins: [String]
        var methods: [String]
        var headers: [String]
        /// Preflights whose Access-Control-Request-Headers the log format does not record
        /// while the allowed origins preflighted: `headers` is then incomplete (0: complete).
        var headersNotLogged: Int
        /// Requests and preflights of the allowed origins with a method no proposal can allow
        /// (a lower-case `patch`), and examples of those methods.
        var otherMethods: Int
        var otherMethodExamples: [String]
        /// Echoed answers to allowed origins logged without Access-Control-Allow-Credentials
        /// while `credentials` is false: it may be wrong (0: known).
        var credentialsNotLogged: Int
        /// No line could show an origin (the format records neither Origin nor Referer):
        /// the empty lists mean "unknown", not "none".
        var originsNotLogged: Bool
        var maxAge: Int
        var credentials: Bool
        var heldMethods: [HeldName]
        var heldHeaders: [HeldName]
    }
    package struct BreakageEntry: Codable, Sendable {
        var crossOriginRequests: Int
        var blockedRequests: Int
        var blockedShare: Double
        var byReason: [String: Int]
    }
    package struct AuditTally: Codable, Sendable {
        var requests: Int
        var origins: Int
        init(_ t: PolicyAudit.Tally) { requests = t.requests; origins = t.origins }
    }
    package struct AuditSummary: Codable, Sendable {
        var text: String
        var answeredRequests: Int
        var crossOriginRequests: Int
        var wildcard: AuditTally
        var echoed: AuditTally
        var other: AuditTally
        var none: AuditTally
        var credentialed: AuditTally
        var invalidEchoed: Int
    }
    package struct AuditFinding: Codable, Sendable {
        var code: String
        var severity: String
        var requests: Int
        var origins: Int
        var example: String?
        var detail: String
    }
    package struct Audit: Codable, Sendable {
        var available: Bool
        var unavailable: String?
        var summary: AuditSummary
        var findings: [AuditFinding]

        init(_ a: PolicyAudit) {
            available = a.available
            unavailable = a.unavailable
            let s = a.summary
            summary = AuditSummary(text: a.available ? a.summaryText : "", answeredRequests: s.answeredRequests,
                                   crossOriginRequests: s.crossOriginRequests, wildcard: AuditTally(s.wildcard),
                                   echoed: AuditTally(s.echoed), other: AuditTally(s.other), none: AuditTally(s.none),
                                   credentialed: AuditTally(s.credentialed), invalidEchoed: s.invalidEchoed)
            findings = a.findings.map {
                AuditFinding(code: $0.code.rawValue, severity: $0.severity.rawValue, requests: $0.requests,
                             origins: $0.origins, example: $0.example, detail: $0.detail)
            }
        }
    }
    package struct Overrides: Codable, Sendable {
        var trusted: [String]
        var ignored: [String]
    }

    var corslogVersion: String
    var site: Site
    var format: Format
    var input: Input
    var traffic: Traffic
    var invalidOrigins: Invalid
    var originCap: Cap
    /// Always empty: the entries are encoded from `verdicts` one by one in its place.
    private var origins: [OriginEntry] = []
    private let verdicts: [OriginVerdict]
    var proposal: ProposalEntry
    var breakage: BreakageEntry
    var overrides: Overrides
    var audit: Audit

    private enum CodingKeys: String, CodingKey {
        case corslogVersion, site, format, input, traffic, invalidOrigins, originCap, origins, proposal, breakage,
             overrides, audit
    }

    package init(analysis: Analysis, inference: Inference) {
        let e = analysis.evidence
        corslogVersion = CorsLogVersion.current
        site = Site(origins: inference.sites.map(\.serialized), source: inference.siteSource.rawValue,
                    internalHosts: inference.internalHosts.isEmpty ? nil : inference.internalHosts)
        format = Format(name: analysis.format.name, syntax: analysis.format.syntax.rawValue,
                        definition: analysis.format.definition, detected: analysis.detection != nil,
                        originSource: e.source.rawValue)
        let inp = analysis.input
        input = Input(
            files: inp.files.map {
                File(path: $0.path, lines: $0.lines, parsed: $0.parsed, skipped: $0.skipped, blank: $0.blank,
                     overlong: $0.overlong, compressed: $0.compressed, error: $0.error?.description, format: $0.format)
            },
            lines: inp.lines, parsed: inp.parsed, skipped: inp.skipped, blank: inp.blank,
            skippedExamples: inp.skippedExamples.map { Skipped(file: $0.file, line: $0.line, reason: $0.reason) },
            inflate: inp.inflate?.rawValue,
            errorLogsNotRead: inp.errorLogsLeftOut.isEmpty ? nil : inp.errorLogsLeftOut,
            entriesNotRead: inp.entriesLeftOut.isEmpty ? nil : inp.entriesLeftOut,
            formatChange: inp.formatChange.map { FormatChange(format: $0.format, lines: $0.lines, file: $0.file, line: $0.line) },
            newerFormat: inp.newerFormat,
            originsAfterFormat: inp.originsAfterFormat.map { OriginsAfterFormat(lines: $0.lines, sampled: $0.sampled) },
            firstSeen: e.firstSeen.map(Timestamp.iso8601), lastSeen: e.lastSeen.map(Timestamp.iso8601),
            state: analysis.incremental.map(StateEntry.init))
        traffic = Traffic(linesWithoutOrigin: e.linesWithoutOrigin, sameOriginRequests: e.sameOriginRequests,
                          crossOriginRequests: e.crossOriginRequests, nullOriginRequests: e.null.requests,
                          invalidOriginRequests: e.invalid.requests, linesWithoutOriginField: e.linesOfFormatsWithoutOrigins,
                          clientAddresses: inference.clientAddresses, clientsLookProxied: inference.clientsLookProxied,
                          longTail: inference.longTail.map(LongTailEntry.init),
                          periodDays: inference.periodDays, periodShorterThanMinDays: inference.periodShorterThanMinDays)
        invalidOrigins = Invalid(
            requests: e.invalid.requests,
            byReason: Dictionary(uniqueKeysWithValues: e.invalid.byReason.map { (ReportText.kebab($0.key.rawValue), $0.value) }),
            examples: e.invalid.examples)
        originCap = Cap(capacity: e.originCap.capacity, reached: e.originCap.reached, prunes: e.originCap.prunes,
                        evictedOrigins: e.originCap.evictedOrigins, evictedRequests: e.originCap.evictedRequests,
                        distinctOrigins: e.originCap.distinctOrigins.count)
        verdicts = inference.verdicts
        let p = inference.proposal
        proposal = ProposalEntry(origins: p.origins.map(\.serialized), methods: p.methods.map(\.rawValue),
                                 headers: p.headers.map(\.name), headersNotLogged: inference.requestHeadersNotLogged,
                                 otherMethods: inference.otherMethodRequests, otherMethodExamples: inference.otherMethodExamples,
                                 credentialsNotLogged: inference.credentialsNotLogged, originsNotLogged: inference.originsNotLogged,
                                 maxAge: p.maxAge, credentials: p.credentials,
                                 heldMethods: inference.heldMethods, heldHeaders: inference.heldHeaders)
        let b = inference.breakage
        breakage = BreakageEntry(crossOriginRequests: b.crossOriginRequests, blockedRequests: b.blockedRequests,
                                 blockedShare: (b.share * 10_000).rounded() / 10_000,
                                 byReason: Dictionary(uniqueKeysWithValues: b.byReason.map { ($0.key.rawValue, $0.value) }))
        overrides = Overrides(trusted: inference.trusted.map(\.serialized), ignored: inference.ignored.map(\.serialized))
        audit = Audit(PolicyAudit.audit(e, inference, syntax: analysis.format.syntax))
    }

    /// One origin's entry in `origins`.
    static func entry(_ v: OriginVerdict) -> OriginEntry {
        let s = v.stats
        return OriginEntry(
            origin: v.label, decision: v.decision.rawValue,
            reasons: v.reasons.map { ReasonEntry(code: $0.code.rawValue, detail: $0.detail) },
            overriddenDecision: v.overriddenDecision?.rawValue, firstParty: v.firstParty,
            inferredFromReferer: v.inferredFromReferer, requests: s.requests,
            sameOriginRequests: s.sameOriginRequests, preflights: s.preflights,
            preflightStatuses: Dictionary(uniqueKeysWithValues: s.preflightStatuses.map {
                ($0.key < 0 ? "-" : String($0.key), $0.value)
            }),
            clients: s.clients.count, days: s.dayCount,
            firstSeen: s.firstSeen.map(Timestamp.iso8601), lastSeen: s.lastSeen.map(Timestamp.iso8601),
            methods: Dictionary(uniqueKeysWithValues: s.methods.map { ($0.key.rawValue, $0.value) }),
            requestedMethods: Dictionary(uniqueKeysWithValues: s.requestedMethods.map { ($0.key.rawValue, $0.value) }),
            otherMethods: s.otherMethods,
            headers: Dictionary(uniqueKeysWithValues: s.requestedHeaders.map { ($0.key.name, $0.value) }),
            invalidHeaders: s.invalidRequestedHeaders,
            statusClasses: Self.statusClasses(s.statusClasses),
            topPaths: s.topPathList.map { PathEntry(path: $0.path, requests: $0.requests) },
            allowOriginAnswers: Answers(none: s.allowOriginAnswers.none, wildcard: s.allowOriginAnswers.wildcard,
                                        echoed: s.allowOriginAnswers.echoed, other: s.allowOriginAnswers.other),
            credentialedResponses: s.credentialedResponses)
    }

    static func statusClasses(_ counts: [Int]) -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, c) in counts.enumerated() where c > 0 { out[i == 0 ? "none" : "\(i)xx"] = c }
        return out
    }

    /// The report as pretty-printed JSON with sorted keys and snake_case names.
    package func encoded() -> String {
        var text = ""
        write { text += $0 }
        return text
    }

    /// Writes `encoded()` to `sink` in pieces of about 64 KB: the document
    /// without its origins, with each origin's entry encoded on its own and put
    /// in place, indented as the whole document's encoder would.
    package func write(to sink: (String) -> Void) {
        let encoder = Self.encoder()
        // Encoding plain structs of strings and numbers cannot fail.
        let skeleton = Array(try! encoder.encode(self))
        let emptyOrigins = Array("\n  \"origins\" : [\n\n  ]".utf8)
        guard !verdicts.isEmpty, let at = Self.firstRange(of: emptyOrigins, in: skeleton) else {
            sink(String(decoding: skeleton, as: UTF8.self) + "\n")
            return
        }
        var out: [UInt8] = []
        out.reserveCapacity(Self.chunk + 8192)
        func flush(_ force: Bool) {
            guard force || out.count >= Self.chunk else { return }
            sink(String(decoding: out, as: UTF8.self))
            out.removeAll(keepingCapacity: true)
        }
        out += skeleton[..<(at + emptyOrigins.count - 4)]  // up to and with "[\n"
        for (n, v) in verdicts.enumerated() {
            if n > 0 { out += Array(",\n".utf8) }
            // The entry sits at depth 2 of the document: 4 more spaces on each of
            // its lines but the empty ones (those of an empty array).
            var lineStart = true
            for b in try! encoder.encode(Self.entry(v)) {
                if lineStart && b != UInt8(ascii: "\n") { out += Self.indent }
                out.append(b)
                lineStart = b == UInt8(ascii: "\n")
            }
            flush(false)
        }
        out += skeleton[(at + emptyOrigins.count - 4)...]  // "\n  ]" and the rest
        out.append(UInt8(ascii: "\n"))
        flush(true)
    }

    private static let chunk = 1 << 16
    private static let indent = Array("    ".utf8)

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        outer: for i in 0...(haystack.count - needle.count) {
            for j in needle.indices where haystack[i + j] != needle[j] { continue outer }
            return i
        }
        return nil
    }
}
