extension Evidence {
    /// Adds the evidence of other logs read with the same origin source (the
    /// caller checks), as if one collector had read both: counts add up,
    /// distinct clients are united, first and last times widen. Associative and
    /// commutative while no cap is reached; beyond `capacity` origins the
    /// least-requested are dropped, as the collector does, and `originCap` says so.
    package mutating func merge(_ other: Evidence, capacity: Int) {
        for (origin, stats) in other.origins {
            origins[origin, default: OriginStats()].merge(stats)
        }
        null.merge(other.null)
        invalid.merge(other.invalid)
        hosts.merge(other.hosts)
        linesWithoutOrigin += other.linesWithoutOrigin
        sameOriginRequests += other.sameOriginRequests
        answeredRequests += other.answeredRequests
        originCap.capacity = max(originCap.capacity, other.originCap.capacity, capacity)
        originCap.prunes += other.originCap.prunes
        originCap.evictedOrigins += other.originCap.evictedOrigins
        originCap.evictedRequests += other.originCap.evictedRequests
        originCap.distinctOrigins.merge(other.originCap.distinctOrigins)
        if let f = other.firstSeen, firstSeen == nil || f < firstSeen! { firstSeen = f }
        if let l = other.lastSeen, lastSeen == nil || l > lastSeen! { lastSeen = l }
        if origins.count > capacity { dropLeastRequested(keeping: capacity / 2) }
    }

    /// Keeps the `keep` most-requested origins (ties by name, so the result does
    /// not depend on the order summaries came in).
    private mutating func dropLeastRequested(keeping keep: Int) {
        let ranked = origins.sorted { $0.value.requests != $1.value.requests ? $0.value.requests > $1.value.requests : $0.key < $1.key }
        for (origin, stats) in ranked.dropFirst(keep) {
            originCap.evictedOrigins += 1
            originCap.evictedRequests += stats.requests
            origins[origin] = nil
        }
        originCap.prunes += 1
    }
}

extension InvalidOrigins {
    mutating func merge(_ other: InvalidOrigins) {
        requests += other.requests
        byReason.merge(other.byReason, uniquingKeysWith: +)
        for e in other.examples where examples.count < Self.maxExamples && !examples.contains(e) { examples.append(e) }
        answers.merge(other.answers)
        credentialedResponses += other.credentialedResponses
        for e in other.echoExamples where echoExamples.count < Self.maxExamples && !echoExamples.contains(e) { echoExamples.append(e) }
    }
}
