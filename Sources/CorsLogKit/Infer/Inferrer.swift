/// Turns evidence into decisions and a proposal.
package enum Inferrer {
    /// Suggested `Access-Control-Max-Age` by preflights a day of the allowed
    /// origins: below 100 a day, 600 s (a policy change reaches browsers within
    /// ten minutes); below 10 000 a day, 3600 s; above, 7200 s, Chromium's cap.
    package static func suggestedMaxAge(preflights: Int, days: Int) -> Int {
        let perDay = Double(preflights) / Double(max(days, 1))
        if perDay < 100 { return 600 }
        if perDay < 10_000 { return 3600 }
        return 7200
    }

    /// Distinct reason arrays `infer` shares between origins.
    static let sharedLimit = 256

    /// `verdicts.sort { $0.label < $1.label }` without its scratch copy of half
    /// the verdicts: the indices are sorted, then the verdicts swapped into place.
    static func sortByLabel(_ verdicts: inout [OriginVerdict]) {
        var order = Array(verdicts.indices)
        order.sort { verdicts[$0].label < verdicts[$1].label }
        // Position i takes the verdict at order[i]: follow each cycle of the permutation.
        for start in order.indices where order[start] != start {
            var i = start
            while order[i] != start {
                let next = order[i]
                verdicts.swapAt(i, next)
                order[i] = i
                i = next
            }
            order[i] = i
        }
    }

    /// Whether an origin's requests show nothing only a CORS request sends: no preflight, and
    /// only the methods a link, form or embed sends (GET, HEAD, POST).
    static func onlySimpleRequests(_ stats: OriginStats) -> Bool {
        stats.preflights == 0 && stats.otherMethods == 0
            && stats.methods.allSatisfy { $0.key == .get || $0.key == .head || $0.key == .post || $0.value == 0 }
    }

    /// The site without `--site`: the most frequent logged Host, as `https://HOST` — passing
    /// over internal names no browser page is served from (an address, a single-label name,
    /// `.internal`, `.local` …: the Host a proxy or load balancer sends, or its health checks),
    /// which are returned apart. A host below a quarter of the Host values is not taken (the
    /// Host is whatever a client sent: a scanner's must not become the site).
    static func guessedSite(_ evidence: Evidence, psl: PublicSuffixList) -> (sites: [Origin], internal: [String]) {
        let hosts = evidence.mostFrequentHosts
        let total = evidence.hosts.total
        let development = OriginClassifier(sites: [], psl: psl)
        var internalHosts: [String] = []
        for top in hosts {
            guard case .origin(let o) = Origin.parse("https://" + top.host) else { continue }
            if o.hostKind != .domain || !o.host.contains(".") || development.isDevelopment(o) {
                // Named in the reports: the validated, normalised authority, never the logged text.
                internalHosts.append(String(o.serialized.dropFirst("https://".count)))
                continue
            }
            return top.requests * 4 >= total ? ([o], internalHosts) : ([], internalHosts)
        }
        return ([], internalHosts)
    }

    package static func infer(_ evidence: Evidence, options: InferenceOptions, psl: PublicSuffixList) -> Inference {
        var sites = options.sites
        var siteSource = SiteSource.flag
        var internalHosts: [String] = []
        if sites.isEmpty {
            siteSource = .unknown
            (sites, internalHosts) = guessedSite(evidence, psl: psl)
            if !sites.isEmpty { siteSource = .hostField }
        }
        let classifier = OriginClassifier(sites: sites, psl: psl)
        let siteIsSecure = sites.isEmpty || sites.contains { $0.isSecure }
        let hasTime = evidence.firstSeen != nil

        var verdicts: [OriginVerdict] = []
        var all = evidence.origins
        for t in options.trusted where all[t] == nil { all[t] = OriginStats() }
        verdicts.reserveCapacity(all.count + 1)
        // Most origins of a flood have the same reasons (same sentences): one
        // array for them all instead of one each (up to `sharedLimit` kinds).
        var shared: [[Reason]: [Reason]] = [:]

        for (origin, stats) in all {
            var reasons: [Reason] = []
            if stats.requests == 0 && stats.sameOriginRequests > 0 || classifier.isSameOrigin(origin) {
                reasons.append(Reason(.sameOrigin, "the site's own origin (\(stats.sameOriginRequests) same-origin requests): the browser makes no CORS check for it"))
            }
            if !origin.isWebScheme {
                reasons.append(Reason(.nonWebScheme,
                    "scheme \(origin.scheme): a browser extension or an app shell, not a web page"))
            }
            if classifier.isPublicSuffixHost(origin) {
                reasons.append(Reason(.publicSuffixHost, "the host is itself a public suffix, shared by unrelated owners"))
            }
            let lookalike = classifier.lookalike(origin)
            if let lookalike {
                reasons.append(lookalike.kind.isCertain
                    ? Reason(.lookalike, lookalike.explanation)
                    : Reason(.similarName, lookalike.explanation + ": the same owner, or a typosquat; confirm"))
            }
            // `app.example.com.evil.test` is under .test, but it is an imitation, not a developer's machine.
            let development = lookalike == nil && classifier.isDevelopment(origin)
            if development {
                reasons.append(Reason(.developmentOrigin,
                    "a development origin (loopback, private address or local name): no production page runs there"))
            }
            if origin.scheme == "http" && siteIsSecure && !options.allowInsecure && !development {
                reasons.append(Reason(.insecureScheme,
                    "plain http while the site is https\(options.sites.isEmpty ? " (assumed: pass --site)" : ""): anyone on the network path can inject script that uses this origin"))
            }
            let clients = stats.clients.count
            if clients < options.minClients {
                reasons.append(Reason(.fewClients, "seen from \(clients) distinct client\(clients == 1 ? "" : "s"), fewer than --min-clients \(options.minClients)"))
            }
            if hasTime && stats.days.count < options.minDays {
                reasons.append(Reason(.fewDays, "seen on \(stats.days.count) day\(stats.days.count == 1 ? "" : "s"), fewer than --min-days \(options.minDays)"))
            }
            let firstParty: Bool? = sites.isEmpty ? nil : classifier.isFirstParty(origin)
            // In a log without Origin, another site's pages in Referer on GET, HEAD and POST
            // alone are what their links, forms, images and scripts send too (a search
            // engine's results are most of it): no sign that any of it was a CORS request. A
            // preflight or another method is one (only fetch can send those across sites).
            // With the site unknown (no --site, no Host field: `combined`) no origin can be
            // told first-party, so every one is judged so: else a search engine sending
            // readers became an origin to allow.
            if evidence.source == .referer, firstParty != true, stats.requests > 0,
               !reasons.contains(where: { $0.code.decision == .deny }), Self.onlySimpleRequests(stats) {
                reasons.append(Reason(.noCORSEvidence,
                    "its pages were seen only in Referer, on GET, HEAD and POST: links, forms and images send those too "
                        + "(search results do), so none needs CORS; allow it (--trust) only if its pages call the API with fetch"
                        + (firstParty == nil ? " (the site is unknown: --site tells the site's own front ends apart)" : "")))
            }
            if !reasons.contains(where: { $0.code.decision != .allow }) {
                reasons.append(Reason(.enoughEvidence,
                    "seen from \(ReportText.count(clients, "client"))" + (hasTime ? " on \(ReportText.count(stats.days.count, "day"))" : "")))
                if firstParty == false {
                    let domain = psl.registrableDomain(of: origin.host) ?? origin.host
                    reasons.append(Reason(.thirdParty,
                        "third-party origin (\(domain)): a partner that the * serves today; confirm before adopting"))
                }
            }
            var decision = reasons.map(\.code.decision).max() ?? .allow
            var overridden: Decision? = nil
            if options.ignored.contains(origin) {
                if decision != .deny { overridden = decision }
                reasons.insert(Reason(.ignored, "listed by --ignore"), at: 0)
                decision = .deny
            } else if options.trusted.contains(origin) {
                if decision != .allow { overridden = decision }
                reasons.insert(Reason(.trusted, "listed by --trust"), at: 0)
                decision = .allow
            }
            if let same = shared[reasons] {
                reasons = same
            } else if shared.count < Self.sharedLimit {
                shared[reasons] = reasons
            }
            verdicts.append(OriginVerdict(origin: origin, decision: decision, reasons: reasons, firstParty: firstParty,
                                          inferredFromReferer: evidence.source == .referer,
                                          overriddenDecision: overridden, stats: stats))
        }
        if evidence.null.requests > 0 {
            verdicts.append(OriginVerdict(origin: nil, decision: .deny,
                reasons: [Reason(.nullOrigin, "sent by sandboxed iframes, file: pages and redirects: allowing it allows any sandboxed attacker page")],
                firstParty: nil, inferredFromReferer: false, overriddenDecision: nil, stats: evidence.null))
        }
        shared = [:]
        sortByLabel(&verdicts)

        // The proposal: only what the allowed origins used.
        let allowed = verdicts.filter { $0.decision == .allow }
        var methodClients: [HTTPMethod: SmallDistinct] = [:]
        var headerClients: [HeaderName: SmallDistinct] = [:]
        var trustedMethods: Set<HTTPMethod> = []
        var trustedHeaders: Set<HeaderName> = []
        var preflights = 0
        var days: Set<Int32> = []
        var credentials = options.credentials
        for v in allowed {
            let s = v.stats
            let isTrusted = v.origin.map(options.trusted.contains) ?? false
            for (m, c) in s.methodClients where !m.isSafelisted && !m.isForbidden {
                methodClients[m, default: SmallDistinct()].merge(c)
                if isTrusted { trustedMethods.insert(m) }
            }
            for (h, c) in s.headerClients {
                headerClients[h, default: SmallDistinct()].merge(c)
                if isTrusted { trustedHeaders.insert(h) }
            }
            preflights += s.preflights
            days.formUnion(s.days)
            if s.credentialedResponses > 0 { credentials = true }
        }
        let needed = min(options.minClients, SmallDistinct.limit)
        let methods = methodClients.filter { $0.value.count >= needed || trustedMethods.contains($0.key) }.keys.sorted()
        let headers = headerClients.filter { $0.value.count >= needed || trustedHeaders.contains($0.key) }.keys.sorted()
        let heldMethods = methodClients.filter { !methods.contains($0.key) }
            .map { HeldName(name: $0.key.rawValue, clients: $0.value.count) }.sorted { $0.name < $1.name }
        let heldHeaders = headerClients.filter { !headers.contains($0.key) }
            .map { HeldName(name: $0.key.name, clients: $0.value.count) }.sorted { $0.name < $1.name }
        let proposal = Proposal(origins: allowed.compactMap(\.origin).sorted(), methods: methods, headers: headers,
                                maxAge: suggestedMaxAge(preflights: preflights, days: days.count),
                                credentials: credentials)

        var breakage = Breakage()
        for v in verdicts {
            guard v.stats.requests > 0 else { continue }
            breakage.crossOriginRequests += v.stats.requests
            guard v.decision != .allow else { continue }
            breakage.blockedRequests += v.stats.requests
            let primary = v.reasons.first { $0.code.decision == v.decision }?.code ?? .invalid
            breakage.byReason[primary, default: 0] += v.stats.requests
        }
        if evidence.invalid.requests > 0 {
            breakage.crossOriginRequests += evidence.invalid.requests
            breakage.blockedRequests += evidence.invalid.requests
            breakage.byReason[.invalid, default: 0] += evidence.invalid.requests
        }

        var inference = Inference(sites: sites, siteSource: siteSource, verdicts: verdicts, proposal: proposal,
                                  heldMethods: heldMethods, heldHeaders: heldHeaders, breakage: breakage,
                                  trusted: options.trusted.sorted(), ignored: options.ignored.sorted())
        if preflights > 0 { inference.requestHeadersNotLogged = evidence.preflightsWithoutRequestHeaders }
        inference.otherMethodRequests = allowed.reduce(0) { $0 + $1.stats.otherMethods }
        if !credentials && evidence.answersWithoutCredentials > 0 {
            inference.credentialsNotLogged = allowed.reduce(0) { $0 + $1.stats.allowOriginAnswers.echoed }
        }
        inference.linesWithoutOriginField = evidence.linesOfFormatsWithoutOrigins
        inference.originsNotLogged = evidence.originsNotLogged
        inference.internalHosts = internalHosts
        var clients = DistinctCounter()
        for (_, stats) in evidence.origins where stats.requests > 0 { clients.merge(stats.clients) }
        inference.clientAddresses = clients.count
        inference.minClients = options.minClients
        inference.clientsLookProxied = breakage.crossOriginRequests >= Inference.proxiedMinRequests
            && clients.count < options.minClients
            && verdicts.contains { v in v.decision == .review && v.reasons.contains { $0.code == .fewClients } }
        if inference.otherMethodRequests > 0 {
            inference.otherMethodExamples = evidence.otherMethodExamples.sortedByBytes()
        }
        inference.longTail = LongTail(verdicts, crossOriginRequests: breakage.crossOriginRequests)
        inference.minDays = options.minDays
        if let first = evidence.firstSeen, let last = evidence.lastSeen {
            let days = Int(OriginStats.day(of: last)) - Int(OriginStats.day(of: first)) + 1
            inference.periodDays = days
            inference.periodShorterThanMinDays = days < options.minDays
                && verdicts.contains { v in v.decision == .review && v.reasons.contains { $0.code == .fewDays } }
        }
        return inference
    }
}
