/// Everything seen for one origin, in bounded memory.
package struct OriginStats: Sendable, Equatable {
    /// Cross-origin requests that carried this origin (preflights included).
    package var requests = 0
    /// OPTIONS requests with `Access-Control-Request-Method` (or, when the log
    /// has no such field, OPTIONS requests with this origin).
    package var preflights = 0
    /// Requests of this origin that reached a host equal to the origin: the
    /// browser treats those as same-origin, so they need no CORS header.
    package var sameOriginRequests = 0
    package var preflightStatuses: [Int: Int] = [:]
    /// Count per status class: index 0 = no status, 1 = 1xx … 5 = 5xx.
    package var statusClasses: [Int] = Array(repeating: 0, count: 6)
    /// Methods of the actual requests (not preflights).
    package var methods: [HTTPMethod: Int] = [:]
    /// Methods asked for in preflights (`Access-Control-Request-Method`).
    package var requestedMethods: [HTTPMethod: Int] = [:]
    /// Requests whose method (or preflight's requested method) is not one corslog knows.
    package var otherMethods = 0
    /// Header names asked for in preflights, with how many preflights asked.
    package var requestedHeaders: [HeaderName: Int] = [:]
    /// Elements of `Access-Control-Request-Headers` that are not header names,
    /// or names beyond the per-origin cap.
    package var invalidRequestedHeaders = 0
    /// Distinct clients of each requested method and header (exact up to a small
    /// cap): a name must come from several clients to be proposed, so one
    /// client forging preflights cannot widen the allowlist.
    package var methodClients: [HTTPMethod: SmallDistinct] = [:]
    package var headerClients: [HeaderName: SmallDistinct] = [:]
    package var clients = DistinctCounter()
    package var days: Set<Int32> = []
    package var firstSeen: Int64? = nil
    package var lastSeen: Int64? = nil
    var topPaths = TopValues()
    /// What the server answered in `Access-Control-Allow-Origin`.
    package var allowOriginAnswers = AllowOriginAnswers()
    /// Responses with `Access-Control-Allow-Credentials: true`.
    package var credentialedResponses = 0

    static let maxHeaders = 64
    static let maxDays = 3660

    package init() {}

    package var topPathList: [(path: String, requests: Int)] {
        topPaths.sorted.map { ($0.text, $0.count) }
    }

    mutating func noteTime(_ time: Int64?) {
        guard let time else { return }
        if firstSeen == nil || time < firstSeen! { firstSeen = time }
        if lastSeen == nil || time > lastSeen! { lastSeen = time }
        let day = Int32(truncatingIfNeeded: time >= 0 ? time / 86_400 : (time - 86_399) / 86_400)
        if days.count < Self.maxDays { days.insert(day) }
    }

    /// Adds another summary of the same origin (merging is associative and commutative).
    package mutating func merge(_ o: OriginStats) {
        requests += o.requests
        preflights += o.preflights
        sameOriginRequests += o.sameOriginRequests
        preflightStatuses.merge(o.preflightStatuses, uniquingKeysWith: +)
        for i in statusClasses.indices { statusClasses[i] += o.statusClasses[i] }
        methods.merge(o.methods, uniquingKeysWith: +)
        requestedMethods.merge(o.requestedMethods, uniquingKeysWith: +)
        otherMethods += o.otherMethods
        for (k, v) in o.requestedHeaders {
            if requestedHeaders[k] != nil || requestedHeaders.count < Self.maxHeaders {
                requestedHeaders[k, default: 0] += v
            } else {
                invalidRequestedHeaders += v
            }
        }
        invalidRequestedHeaders += o.invalidRequestedHeaders
        for (k, v) in o.methodClients { methodClients[k, default: SmallDistinct()].merge(v) }
        for (k, v) in o.headerClients where requestedHeaders[k] != nil { headerClients[k, default: SmallDistinct()].merge(v) }
        clients.merge(o.clients)
        for d in o.days where days.count < Self.maxDays { days.insert(d) }
        if let f = o.firstSeen { noteTime(f) }
        if let l = o.lastSeen { noteTime(l) }
        topPaths.merge(o.topPaths)
        allowOriginAnswers.merge(o.allowOriginAnswers)
        credentialedResponses += o.credentialedResponses
    }
}

/// What a server answered in `Access-Control-Allow-Origin` to one origin.
package struct AllowOriginAnswers: Sendable, Equatable {
    /// No header (or the log has no such field).
    package var none = 0
    /// `*`.
    package var wildcard = 0
    /// The request's own Origin, echoed.
    package var echoed = 0
    /// Anything else (another origin, `null`, junk).
    package var other = 0

    package mutating func merge(_ o: AllowOriginAnswers) {
        none += o.none; wildcard += o.wildcard; echoed += o.echoed; other += o.other
    }
}

/// Distinct 64-bit hashes, exactly, up to `limit`; beyond it the count stays at
/// `limit` ("at least").
package struct SmallDistinct: Sendable, Equatable {
    static let limit = 16
    private var hashes: [UInt64] = []

    package init() {}

    package var count: Int { hashes.count }

    package mutating func insert(_ h: UInt64) {
        guard hashes.count < Self.limit, !hashes.contains(h) else { return }
        hashes.append(h)
    }

    package mutating func merge(_ o: SmallDistinct) {
        for h in o.hashes { insert(h) }
    }
}
