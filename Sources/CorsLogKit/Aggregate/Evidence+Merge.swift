extension Evidence {
    /// Adds the evidence of other logs read with the same origin source (the
    /// caller checks), as if one collector had read both: counts add up,
    /// distinct clients are united, first and last times widen. Associative and
    /// commutative while no cap is reached; beyond `capacity` origins the
    /// least-requested are dropped, as the collector does, and `originCap` says so.
    package mutating func merge(_ other: Evidence, capacity: Int) {
        let added = other.origins.keys.reduce(0) { $0 + (origins.position(of: $1) == nil ? 1 : 0) }
        if origins.count + added > capacity {
            mergeKeepingMostRequested(other.origins, keeping: capacity / 2)
        } else if origins.isEmpty {
            origins = other.origins
        } else {
            if origins.values.capacity < origins.count + added { origins.reserveCapacity(origins.count + added) }
            for (origin, stats) in other.origins {
                origins[origin, default: OriginStats()].merge(stats)
            }
        }
        null.merge(other.null)
        invalid.merge(other.invalid)
        hosts.merge(other.hosts)
        linesWithoutOrigin += other.linesWithoutOrigin
        linesOfFormatsWithoutOrigins += other.linesOfFormatsWithoutOrigins
        jsonLinesWithoutOrigin += other.jsonLinesWithoutOrigin
        sameOriginRequests += other.sameOriginRequests
        answeredRequests += other.answeredRequests
        preflightsOfFormatsWithoutRequestHeaders += other.preflightsOfFormatsWithoutRequestHeaders
        keyedPreflights += other.keyedPreflights
        requestHeadersKeySeen = requestHeadersKeySeen || other.requestHeadersKeySeen
        answersWithoutCredentials += other.answersWithoutCredentials
        // The first in byte order of both sides' examples: the same whatever the order of the merge.
        if !other.otherMethodExamples.isEmpty {
            otherMethodExamples = Array(Set(otherMethodExamples + other.otherMethodExamples)
                .sortedByBytes().prefix(Self.maxOtherMethodExamples))
        }
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
    /// the union by request counts alone and keeps its own entries in place, so a merge at
    /// the cap never holds a table of both sides' origins.
    private mutating func mergeKeepingMostRequested(_ theirs: OriginTable, keeping keep: Int) {
        // Each origin of the union once: its position here and there (-1: absent).
        var ranked: [(requests: Int, origin: Origin, mine: Int32, theirs: Int32)] = []
        ranked.reserveCapacity(origins.count + theirs.count)
        for (p, origin) in origins.keys.enumerated() {
            let q = theirs.position(of: origin)
            ranked.append((origins[at: p].requests + (q.map { theirs[at: $0].requests } ?? 0), origin,
                           Int32(p), q.map { Int32($0) } ?? -1))
        }
        for (q, origin) in theirs.keys.enumerated() where origins.position(of: origin) == nil {
            ranked.append((theirs[at: q].requests, origin, -1, Int32(q)))
        }
        ranked.sort { $0.requests != $1.requests ? $0.requests > $1.requests : $0.origin < $1.origin }
        var keepMine = [Bool](repeating: false, count: origins.count)
        var keepTheirs = [Bool](repeating: false, count: theirs.count)
        for (rank, entry) in ranked.enumerated() {
            if rank < keep {
                if entry.mine >= 0 { keepMine[Int(entry.mine)] = true }
                if entry.theirs >= 0 { keepTheirs[Int(entry.theirs)] = true }
            } else {
                originCap.evictedOrigins += 1
                originCap.evictedRequests += entry.requests
            }
        }
        originCap.prunes += 1
        ranked = []
        origins.removeAll { !keepMine[$0] }
        keepMine = []
        for (q, (origin, stats)) in theirs.enumerated() where keepTheirs[q] {
            origins[origin, default: OriginStats()].merge(stats)
        }
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
