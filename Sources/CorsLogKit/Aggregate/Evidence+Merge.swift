extension Evidence {
    /// Adds the evidence of other logs read with the same origin source (the
    /// caller checks), as if one collector had read both: counts add up,
    /// distinct clients are united, first and last times widen. Associative and
    /// commutative while no cap is reached; beyond `capacity` origins the
    /// least-requested are dropped, as the collector does, and `originCap` says so.
    package mutating func merge(_ other: Evidence, capacity: Int) {
        let added = other.origins.keys.reduce(0) { $0 + (origins[$1] == nil ? 1 : 0) }
        if origins.count + added > capacity {
            mergeKeepingMostRequested(other.origins, keeping: capacity / 2)
        } else {
            for (origin, stats) in other.origins {
                origins[origin, default: OriginStats()].merge(stats)
            }
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
    }

    /// Merges `theirs` when the union has more origins than the cap: keeps the `keep`
    /// most-requested origins of the union (ties by name, so the result does not depend on
    /// the order summaries came in), as merging all and dropping the rest would — but ranks
    /// the union by request counts alone and builds only what is kept, so a merge at the cap
    /// never holds a dictionary of both sides' origins (at 20,000 a side that was 17 MB of
    /// table plus a 10 MB sorted copy of it).
    private mutating func mergeKeepingMostRequested(_ theirs: [Origin: OriginStats], keeping keep: Int) {
        var ranked: [(requests: Int, origin: Origin)] = []
        ranked.reserveCapacity(origins.count + theirs.count)
        for (origin, stats) in origins { ranked.append((stats.requests + (theirs[origin]?.requests ?? 0), origin)) }
        for (origin, stats) in theirs where origins[origin] == nil { ranked.append((stats.requests, origin)) }
        ranked.sort { $0.requests != $1.requests ? $0.requests > $1.requests : $0.origin < $1.origin }
        for dropped in ranked.dropFirst(keep) {
            originCap.evictedOrigins += 1
            originCap.evictedRequests += dropped.requests
        }
        originCap.prunes += 1
        let kept = Set(ranked.prefix(keep).lazy.map(\.origin))
        ranked = []
        var result: [Origin: OriginStats] = Dictionary(minimumCapacity: kept.count)
        for (origin, stats) in origins where kept.contains(origin) { result[origin] = stats }
        origins = [:]
        for (origin, stats) in theirs where kept.contains(origin) { result[origin, default: OriginStats()].merge(stats) }
        origins = result
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
