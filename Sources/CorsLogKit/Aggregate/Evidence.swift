/// Where the origin of a request is read from.
package enum OriginSource: String, Sendable, Codable {
    /// The `Origin` request header (the format logs it).
    case originHeader = "origin-header"
    /// The origin part of `Referer`, for formats that do not log `Origin`:
    /// browsers' default `strict-origin-when-cross-origin` policy sends the
    /// referring origin on cross-origin requests. Marked as inferred.
    case referer = "referer"
}

/// The aggregated cross-origin evidence of a set of logs.
package struct Evidence: Sendable {
    package var source: OriginSource
    /// Tracked origins and what was seen for each.
    package var origins = OriginTable()
    /// Requests with `Origin: null`.
    package var null = OriginStats()
    /// Origin values that are not origins (never proposable).
    package var invalid = InvalidOrigins()
    /// Parsed lines with no Origin (or, in referer mode, no usable Referer).
    package var linesWithoutOrigin = 0
    /// Of `linesWithoutOrigin`, those read with a format that records neither Origin nor
    /// Referer (`common`, say): no cross-origin request can be seen in them.
    package var linesOfFormatsWithoutOrigins = 0
    /// Of `linesWithoutOrigin`, JSON lines: a missing key reads as empty, so a JSON log that
    /// never has an Origin value may not record the header at all (Traefik keeps only the
    /// request headers it is told to). Kept apart, as `keyedPreflights` is.
    package var jsonLinesWithoutOrigin = 0
    /// Whether no line could show an origin: every line was read with a format that records
    /// neither Origin nor Referer, or was a JSON line without an Origin value, and not one line
    /// had an origin. Nothing can be proposed or checked from such evidence.
    package var originsNotLogged: Bool {
        let blind = linesOfFormatsWithoutOrigins + jsonLinesWithoutOrigin
        return blind > 0 && blind == linesWithoutOrigin
            && origins.isEmpty && null.requests == 0 && invalid.requests == 0 && sameOriginRequests == 0
    }
    /// Requests whose origin equals the site (or the logged host).
    package var sameOriginRequests = 0
    /// Cross-origin requests whose response's `Access-Control-Allow-Origin` the
    /// log records (see `AnswerField`): 0 when the format cannot tell.
    package var answeredRequests = 0
    /// Preflights (of tracked origins and `null`) logged by a format without
    /// `Access-Control-Request-Headers` (`combined`, say).
    package var preflightsOfFormatsWithoutRequestHeaders = 0
    /// Preflights from JSON lines, where a missing key reads as empty, and whether one of them
    /// had Access-Control-Request-Headers (then the logs record the header, and the others
    /// asked for none). Kept apart so that a day or a host without such a preflight does not
    /// make the header unknown for all.
    package var keyedPreflights = 0
    package var requestHeadersKeySeen = false
    /// Preflights whose requested headers are unknown: a header missing from the evidence is
    /// then no sign that it is unused.
    package var preflightsWithoutRequestHeaders: Int {
        preflightsOfFormatsWithoutRequestHeaders + (requestHeadersKeySeen ? 0 : keyedPreflights)
    }
    /// Of `answeredRequests`, those logged by a format that records Access-Control-Allow-Origin
    /// but not -Credentials: whether an echoed origin came with credentials is unknown.
    package var answersWithoutCredentials = 0
    /// A few of the methods (request methods or preflights' requested methods) of tracked
    /// origins that are no `HTTPMethod` (counted in `OriginStats.otherMethods`), as printable
    /// text: a page's `fetch(url, {method: "patch"})` sends `patch`, which no proposal can allow.
    package var otherMethodExamples: [String] = []
    static let maxOtherMethodExamples = 8
    /// The most frequent `Host` values, for telling the site when `--site` is absent.
    var hosts = TopValues()
    package var originCap = OriginCap()
    package var firstSeen: Int64? = nil
    package var lastSeen: Int64? = nil

    package init(source: OriginSource) { self.source = source }

    package var mostFrequentHosts: [(host: String, requests: Int)] {
        hosts.sorted.map { ($0.text, $0.count) }
    }

    /// Requests that a browser sent cross-origin (the ones CORS governs).
    package var crossOriginRequests: Int {
        origins.values.reduce(0) { $0 + $1.requests } + null.requests + invalid.requests
    }
}

/// Origin values that failed validation, counted by why.
package struct InvalidOrigins: Sendable, Equatable {
    package var requests = 0
    package var byReason: [OriginRejection: Int] = [:]
    /// A few of the values, as printable text (bytes outside printable ASCII as `\xHH`).
    package var examples: [String] = []
    /// What the server answered in `Access-Control-Allow-Origin` to them: an echoed
    /// invalid value is the surest sign of a server reflecting any Origin.
    package var answers = AllowOriginAnswers()
    /// Responses with `Access-Control-Allow-Credentials: true`.
    package var credentialedResponses = 0
    /// A few of the values the server echoed back, as printable text.
    package var echoExamples: [String] = []
    static let maxExamples = 8

    package init() {}

    /// Counts the server's answer to one request with an invalid Origin `raw`.
    mutating func noteAnswer(_ acao: ByteSlice, origin raw: ByteSlice, credentials: Bool) {
        let echoed = answers.echoed
        answers.note(acao, origin: raw, credentials: credentials)
        if credentials { credentialedResponses += 1 }
        if answers.echoed > echoed && echoExamples.count < Self.maxExamples {
            let text = TopValues.displayText(raw)
            if !echoExamples.contains(text) { echoExamples.append(text) }
        }
    }

    mutating func add(_ reason: OriginRejection, value: ByteSlice) {
        requests += 1
        byReason[reason, default: 0] += 1
        if examples.count < Self.maxExamples {
            let text = TopValues.displayText(value)
            if !examples.contains(text) { examples.append(text) }
        }
    }
}

/// The tracked-origin cap: how much was dropped to keep memory bounded.
package struct OriginCap: Sendable, Equatable {
    package var capacity = 0
    /// Times the table was full and its least-requested half was dropped.
    package var prunes = 0
    package var evictedOrigins = 0
    package var evictedRequests = 0
    /// Distinct valid origins seen in all (estimated beyond 64).
    package var distinctOrigins = DistinctCounter()
    package var reached: Bool { prunes > 0 }
}
