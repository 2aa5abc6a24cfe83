/// Which logged requests a browser would send with credentials (cookies, HTTP auth).
/// The log does not say; what the server answered is the best hint.
package enum CredentialsAssumption: String, Sendable, CaseIterable {
    /// With credentials when the logged answer carried `Access-Control-Allow-Credentials:
    /// true` next to an echoed (not `*`) `Access-Control-Allow-Origin`: only then could a
    /// credentialed request have worked before. Otherwise without.
    case logged
    /// Every request with credentials (`credentials: 'include'`, `withCredentials`).
    case always
    /// No request with credentials.
    case never
}

/// How `verify` replays the logs.
package struct VerifyOptions: Sendable {
    /// The site's own origins: their requests are same-origin (no CORS check). Empty: the
    /// logged Host decides.
    package var sites: [Origin] = []
    package var credentials: CredentialsAssumption = .logged
    /// Rows (origin, kind, method, path) kept; beyond, requests still count in the totals.
    package var maxEntries = 10_000
    /// Distinct Origin values and verdicts remembered for the lines that repeat them
    /// (`VerdictCache`; 0: every line replayed from scratch, as the tests compare).
    package var cachedVerdicts = 4096

    package init() {}
}

/// A logged request as the replay sees it.
package struct ReplayedRequest: Sendable, Equatable {
    package var origin: Origin
    /// The method as logged (for a preflight: OPTIONS).
    package var method: String
    package var target: String
    /// A preflight's `Access-Control-Request-Method` and `-Headers` (nil: none logged).
    package var requestMethod: String?
    package var requestHeaders: String?
    package var credentials: FetchCORSCheck.CredentialsMode

    package init(origin: Origin, method: String, target: String, requestMethod: String? = nil,
                 requestHeaders: String? = nil, credentials: FetchCORSCheck.CredentialsMode = .sameOrigin) {
        self.origin = origin
        self.method = method
        self.target = target
        self.requestMethod = requestMethod
        self.requestHeaders = requestHeaders
        self.credentials = credentials
    }

    /// OPTIONS with a non-empty Access-Control-Request-Method: the browser's preflight.
    package var isPreflight: Bool { method == "OPTIONS" && !(requestMethod ?? "").isEmpty }
}

/// What a request is in the table: the browser's own preflight, or a request the page made.
package enum ReplayKind: String, Sendable, Comparable {
    case request, preflight
    package static func < (a: ReplayKind, b: ReplayKind) -> Bool { a.rawValue > b.rawValue }  // request first
}

/// One failure reason with its subject (a method, header name, status), as a report shows it.
package struct VerifyReason: Sendable, Hashable, Comparable {
    package var code: String
    package var detail: String

    package init(_ failure: FetchCORSCheck.Failure) {
        code = failure.code
        detail = failure.detail
    }

    package init(code: String, detail: String) {
        self.code = code
        self.detail = detail
    }

    package var text: String { detail.isEmpty ? code : "\(code) \(detail)" }
    package static func < (a: VerifyReason, b: VerifyReason) -> Bool { a.code != b.code ? a.code < b.code : a.detail < b.detail }
}

/// The replay's verdicts for one (origin, kind, method, path).
package struct VerifyEntry: Sendable, Equatable {
    package var origin: Origin
    package var kind: ReplayKind
    /// The method the page used (a preflight's Access-Control-Request-Method), escaped.
    package var method: String
    /// The path, identifiers folded to `{id}`, escaped.
    package var path: String
    package var requests = 0
    package var failing = 0
    /// Requests replayed with credentials.
    package var credentialed = 0
    package var reasons: [VerifyReason: Int] = [:]
    static let maxReasons = 8
}

/// The result of replaying the logs against a policy.
package struct VerifyResult: Sendable, Equatable {
    /// Sorted by origin, kind (requests first), method, path.
    package var entries: [VerifyEntry]
    /// Cross-origin requests with a valid Origin, replayed.
    package var replayed = 0
    package var failing = 0
    package var credentialed = 0
    /// Failing requests by reason code (Origin null included).
    package var byReason: [String: Int] = [:]
    package var sameOrigin = 0
    package var withoutOrigin = 0
    /// `Origin: null`: never allowed by a policy, so each would fail; not in `entries`.
    package var nullOrigin = 0
    /// An Origin that is not a serialised origin: browsers never send one; not replayed.
    package var invalidOrigin = 0
    package var capacity: Int
    /// Requests (and of them failing) counted in the totals but not itemised: the table was full.
    package var droppedRequests = 0
    package var droppedFailing = 0
    package var credentialsAssumption: CredentialsAssumption

    /// Requests a browser would now refuse: replayed ones and those with Origin null.
    package var wouldFail: Int { failing + nullOrigin }
    package var passing: Int { replayed - failing }
}

/// Replays logged cross-origin requests through the Fetch standard's CORS check against
/// what a server with the policy answers (`PolicyResponder`), streaming, in bounded memory.
package final class Verifier {
    package let responder: PolicyResponder
    package let options: VerifyOptions
    private var index: [EntryKey: Int] = [:]
    private var entries: [VerifyEntry] = []
    private var result: VerifyResult
    private var cache: VerdictCache
    /// The policy's path prefixes as bytes, in `Policy.rule(for:)` order.
    private let pathPrefixes: [[UInt8]]

    private struct EntryKey: Hashable {
        var origin: Origin
        var kind: ReplayKind
        var method: String
        var path: String
    }

    package init(policy: Policy, options: VerifyOptions = VerifyOptions()) {
        self.responder = PolicyResponder(policy: policy)
        self.options = options
        self.result = VerifyResult(entries: [], capacity: options.maxEntries, credentialsAssumption: options.credentials)
        self.cache = VerdictCache(entries: options.cachedVerdicts)
        self.pathPrefixes = policy.paths.map { Array($0.prefix.value.utf8) }
    }

    /// The index of the rule `Policy.rule(for:)` picks for `target`'s path (its path rules
    /// in order, then the defaults at `paths.count`). On bytes while the path is ASCII,
    /// where a byte prefix is a `String.hasPrefix` (a line holds no CR LF, the one ASCII
    /// pair that is one Character); otherwise through the same `String` compare.
    private func ruleIndex(_ target: ByteSlice) -> Int {
        let path = TopValues.pathPart(target)
        var ascii = true
        for i in 0..<path.count where path[i] >= 0x80 { ascii = false; break }
        if ascii {
            for (i, p) in pathPrefixes.enumerated() where p.count <= path.count {
                var same = true
                for j in p.indices where path[j] != p[j] { same = false; break }
                if same { return i }
            }
            return pathPrefixes.count
        }
        let text = path.string
        return responder.policy.paths.firstIndex { text.hasPrefix($0.prefix.value) } ?? pathPrefixes.count
    }

    /// The verdict for one request: nil when a browser would let the page read the answer,
    /// else the network error it reports.
    ///
    /// A preflight is replayed as the browser's preflight for its actual request (method:
    /// the Access-Control-Request-Method; CORS-unsafe header names: the
    /// Access-Control-Request-Headers). A request is replayed as the page's request: with
    /// the preflight a browser makes first when its method is not safelisted (its headers
    /// are not in the log, so none are assumed: what they needed shows in the logged
    /// preflights), then the CORS check of the answer.
    package func verdict(_ r: ReplayedRequest) -> FetchCORSCheck.Failure? {
        let origin = r.origin.serialized
        if r.isPreflight {
            var names: [String] = []
            if let acrh = r.requestHeaders {
                for part in acrh.split(separator: ",") {
                    let name = part.trimmingHTTPWhitespace
                    if !name.isEmpty { names.append(name) }
                }
            }
            let actual = FetchCORSCheck.Request(origin: origin, method: r.requestMethod ?? "", credentials: r.credentials,
                                                knownUnsafeNames: names)
            let answer = responder.respond(.init(method: "OPTIONS", target: r.target, origin: origin,
                                                 requestMethod: r.requestMethod, requestHeaders: r.requestHeaders))
            if case .failure(let f) = FetchCORSCheck.preflightCheck(actual, answer) { return f }
            return nil
        }
        let actual = FetchCORSCheck.Request(origin: origin, method: r.method, credentials: r.credentials)
        if FetchCORSCheck.needsPreflight(actual) {
            let answer = responder.respond(.init(method: "OPTIONS", target: r.target, origin: origin, requestMethod: r.method))
            if case .failure(let f) = FetchCORSCheck.preflightCheck(actual, answer) { return f }
        }
        return FetchCORSCheck.corsCheck(actual, responder.respond(.init(method: r.method, target: r.target, origin: origin)))
    }

    /// Replays one parsed log line.
    package func add(_ f: borrowing ParsedFields) {
        if f.origin.isEmpty {
            result.withoutOrigin += 1
            return
        }
        // The closures below capture copies of the slices (a borrowed `f` cannot be captured).
        let rawOrigin = f.origin, method = f.method, uri = f.uri
        let requestMethod = f.requestMethodHeader, requestHeaders = f.requestHeadersHeader
        let origin: Origin
        let sites = options.sites
        switch cache.origin(rawOrigin, parse: {
            switch Origin.parse(rawOrigin) {
            case .null: .null
            case .invalid: .invalid
            case .origin(let o): .origin(o, isSite: sites.contains(o))
            }
        }) {
        case .null:
            result.nullOrigin += 1
            result.byReason["null-origin", default: 0] += 1
            return
        case .invalid:
            result.invalidOrigin += 1
            return
        case .origin(let o, let isSite):
            let host = f.host
            if sites.isEmpty ? cache.isSameOrigin(origin: rawOrigin, host: host, decide: { isSameOrigin(o, host: host) }) : isSite {
                result.sameOrigin += 1
                return
            }
            origin = o
        }
        let credentials: FetchCORSCheck.CredentialsMode
        switch options.credentials {
        case .always: credentials = .include
        case .never: credentials = .sameOrigin
        case .logged:
            let acac = f.allowCredentials.equals("true"), acao = f.allowOrigin
            let echoed = !acao.isEmpty && !acao.equals("*")
            credentials = acac && echoed ? .include : .sameOrigin
        }
        // `ReplayedRequest.isPreflight`, on the bytes (only "OPTIONS" decodes to "OPTIONS").
        let isPreflight = method.equals("OPTIONS") && !requestMethod.isEmpty
        let failure = cache.verdict(
            preflight: isPreflight, credentials: credentials == .include ? 1 : 0, rule: ruleIndex(uri),
            origin: rawOrigin, method: method, requestMethod: requestMethod, requestHeaders: requestHeaders
        ) {
            verdict(ReplayedRequest(
                origin: origin, method: method.string, target: uri.string,
                requestMethod: requestMethod.isEmpty ? nil : requestMethod.string,
                requestHeaders: requestHeaders.isEmpty ? nil : requestHeaders.string,
                credentials: credentials))
        }
        result.replayed += 1
        if credentials == .include { result.credentialed += 1 }
        if let failure {
            result.failing += 1
            result.byReason[failure.code, default: 0] += 1
        }

        let kind: ReplayKind = isPreflight ? .preflight : .request
        let rowMethod = kind == .preflight ? requestMethod : method
        guard let i = cache.row(preflight: isPreflight, origin: rawOrigin, method: rowMethod, target: uri, file: {
            let shown = TopValues.displayText(rowMethod)
            let key = EntryKey(origin: origin, kind: kind, method: String(shown.prefix(40)), path: TopValues.foldedPath(uri))
            if let known = index[key] { return known }
            guard entries.count < options.maxEntries else { return nil }
            index[key] = entries.count
            entries.append(VerifyEntry(origin: origin, kind: kind, method: key.method, path: key.path))
            return entries.count - 1
        }) else {
            result.droppedRequests += 1
            if failure != nil { result.droppedFailing += 1 }
            return
        }
        entries[i].requests += 1
        if credentials == .include { entries[i].credentialed += 1 }
        if let failure {
            entries[i].failing += 1
            var reason = VerifyReason(failure)
            if entries[i].reasons[reason] == nil && entries[i].reasons.count >= VerifyEntry.maxReasons {
                reason = VerifyReason(code: failure.code, detail: "(others)")
            }
            entries[i].reasons[reason, default: 0] += 1
        }
    }

    /// The result so far, entries sorted.
    package func finish() -> VerifyResult {
        var r = result
        r.entries = entries.sorted {
            ($0.origin, $0.kind, $0.method, $0.path) < ($1.origin, $1.kind, $1.method, $1.path)
        }
        return r
    }

    /// Same-origin: one of the sites, or (without sites) the origin's `host[:port]` is the logged Host.
    private func isSameOrigin(_ o: Origin, host: ByteSlice) -> Bool {
        if !options.sites.isEmpty { return options.sites.contains(o) }
        guard !host.isEmpty else { return false }
        let logged = host.string.lowercased()
        let authority = o.host + (o.port.map { ":\($0)" } ?? "")
        if logged == authority { return true }
        if o.port == nil, let d = Origin.defaultPort(of: o.scheme), logged == "\(o.host):\(d)" { return true }
        return false
    }
}

private extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingHTTPWhitespace: String {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
