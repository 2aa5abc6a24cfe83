/// The origins held for review for few clients or few days alone, when there are many of them,
/// seen from many clients together, with a share of the traffic: what an API embedded on many
/// sites (a widget, a public dataset, a status badge) looks like — each site has a few visitors.
/// An allowlist refuses them all, one by one below the thresholds; the reports say so and
/// where they called. A flood of origins from one sender has one client, so it is no tail.
package struct LongTail: Sendable, Equatable {
    package var origins = 0
    package var requests = 0
    /// Distinct clients of those origins together (`ClientKey`), and whether that count is
    /// exact (up to 64) or a HyperLogLog estimate.
    package var clients = 0
    package var clientsExact = true
    /// Their most requested paths (each origin's top paths summed; escaped as the report shows them).
    package var topPaths: [PathRequests] = []

    package struct PathRequests: Sendable, Equatable {
        package var path: String
        package var requests: Int
    }

    /// At least this many origins, and this many clients together ...
    package static let minOrigins = 20
    package static let minClients = 20
    /// ... with at least this share of the cross-origin requests (1/20).
    package static let minShareDivisor = 20
    /// Paths shown, and the distinct paths counted for them (the first met; a flood at the
    /// origin cap has as many paths as origins, and this runs when the evidence is largest).
    package static let pathsShown = 3
    package static let pathsCounted = 4096

    package init() {}

    /// The tail of `verdicts`: the origins held for few clients or few days and nothing else
    /// (not overridden); nil when they make no tail.
    init?(_ verdicts: [OriginVerdict], crossOriginRequests: Int) {
        var tail = LongTail()
        var clients = DistinctCounter()
        var paths: [String: Int] = [:]
        for v in verdicts where v.decision == .review && v.overriddenDecision == nil && v.stats.requests > 0
            && v.reasons.allSatisfy({ $0.code == .fewClients || $0.code == .fewDays }) {
            tail.origins += 1
            tail.requests += v.stats.requests
            clients.merge(v.stats.clients)
            for (path, n) in v.stats.topPathList where paths[path] != nil || paths.count < LongTail.pathsCounted {
                paths[path, default: 0] += n
            }
        }
        tail.clients = clients.count
        tail.clientsExact = clients.isExact
        guard tail.origins >= LongTail.minOrigins, tail.clients >= LongTail.minClients,
              tail.requests * LongTail.minShareDivisor >= crossOriginRequests else { return nil }
        tail.topPaths = paths.sorted { $0.value != $1.value ? $0.value > $1.value : Array($0.key.utf8).lexicographicallyPrecedes($1.key.utf8) }
            .prefix(LongTail.pathsShown).map { LongTail.PathRequests(path: $0.key, requests: $0.value) }
        self = tail
    }
}
