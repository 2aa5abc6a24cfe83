#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Folds parsed lines into `Evidence`: the per-line hot path.
///
/// Each distinct raw Origin value (or the origin part of a Referer) is
/// validated once and cached by its bytes; a line then costs a hash, a table
/// probe and a few counter updates, with no allocation unless the origin is
/// new or a preflight lists headers.
///
/// Memory is bounded however many distinct origins arrive: at most `capacity`
/// origins are tracked; when the table is full, the least-requested half is
/// dropped (origins listed in `protected` never are), so the origins with real
/// traffic keep exact statistics from their first request on, and the report
/// says how much was dropped.
package struct EvidenceCollector {
    package let source: OriginSource
    private let sites: Set<Origin>
    private let protected: Set<Origin>
    private let capacity: Int
    private let hasRequestMethodField: Bool
    /// Whether the format logs `Access-Control-Request-Headers`: when `.absent`, preflights are
    /// counted in `Evidence.preflightsWithoutRequestHeaders`; JSON lines (`.whenPresent`, a
    /// missing key reads as empty) count them there unless one preflight has the header.
    private let requestHeadersField: AnswerField
    /// Whether the format records Origin or Referer (`common` records neither), and whether
    /// its lines are JSON (a missing Origin key reads as empty).
    private let logsOrigins: Bool
    private let jsonLines: Bool
    /// Whether the format logs the response's Access-Control-Allow-Credentials (when `.absent`,
    /// answers are counted in `Evidence.answersWithoutCredentials`).
    private let credentialsField: AnswerField
    private let hasHostField: Bool
    private let allowOriginField: AnswerField

    private var evidence: Evidence
    /// Raw Origin values resolved (emptied at each prune): the default 32,768 entries hold every
    /// value up to the default cap of 20,000 tracked origins (a 1.5 MB table).
    private var cache: ByteKeyTable
    /// The tracked origins and their statistics (handed over whole by `finish`).
    private var table = OriginTable()
    private var isSite: [Bool] = []
    /// `host[:port]` of each tracked origin, lower-case bytes, for comparing with the Host field
    /// (empty when `sites` are given: then `isSite` decides).
    private var authority: [[UInt8]] = []
    /// Raw `Access-Control-Request-Headers` values, parsed once each (a bounded cache).
    private var headerListCache: ByteKeyTable
    private var headerLists: [HeaderList] = []
    /// The last Host value counted and its hash (`noteHost`).
    private var lastHost: [UInt8] = []
    private var lastHostHash: UInt64 = 0

    private static let nullCode: Int32 = -1
    private static let invalidBase: Int32 = -2
    /// Tracked origins at which the arrays are reserved for the whole cap.
    private static let reserveAt = 1024

    /// `cacheEntries`: how many distinct raw Origin values are remembered before the
    /// cache empties itself (small in the fuzz targets, which make one collector per input).
    package init(source: OriginSource, sites: [Origin], protected: [Origin] = [],
                 capacity: Int = 20_000, hasRequestMethodField: Bool, requestHeadersField: AnswerField = .logged,
                 hasHostField: Bool, allowOriginField: AnswerField = .absent, credentialsField: AnswerField = .logged,
                 logsOrigins: Bool = true, jsonLines: Bool = false, cacheEntries: Int = 1 << 15) {
        self.cache = ByteKeyTable(maxEntries: cacheEntries, maxArenaBytes: min(cacheEntries * 128, 4 << 20))
        self.headerListCache = ByteKeyTable(maxEntries: min(cacheEntries, 4096), maxArenaBytes: min(cacheEntries * 16, 1 << 20))
        self.source = source
        self.sites = Set(sites)
        self.protected = Set(sites).union(protected)
        self.capacity = max(capacity, 16)
        self.hasRequestMethodField = hasRequestMethodField
        self.requestHeadersField = requestHeadersField
        self.credentialsField = credentialsField
        self.hasHostField = hasHostField
        self.allowOriginField = allowOriginField
        self.logsOrigins = logsOrigins
        self.jsonLines = jsonLines
        self.evidence = Evidence(source: source)
        self.evidence.originCap.capacity = self.capacity
    }

    /// Adds one parsed line.
    package mutating func add(_ f: ParsedFields) {
        if let t = f.time {
            if evidence.firstSeen == nil || t < evidence.firstSeen! { evidence.firstSeen = t }
            if evidence.lastSeen == nil || t > evidence.lastSeen! { evidence.lastSeen = t }
        }
        if hasHostField && !f.host.isEmpty { noteHost(f.host) }

        let raw = f.precomputed?.rawOrigin ?? Self.rawOrigin(f, source: source)
        if raw.isEmpty {
            evidence.linesWithoutOrigin += 1
            if !logsOrigins {
                evidence.linesOfFormatsWithoutOrigins += 1
            } else if jsonLines {
                evidence.jsonLinesWithoutOrigin += 1
            }
            return
        }
        let hash = f.precomputed?.rawOriginHash ?? raw.tableHash
        let code: Int32
        if let cached = cache.value(for: raw, hash: hash) {
            code = cached
        } else {
            code = resolve(raw)
            cache.insert(raw, hash: hash, value: code)
        }
        if code == Self.nullCode {
            noteAnswerField(f)
            let recorded = Self.record(f, into: &evidence.null, hasRequestMethodField: hasRequestMethodField, echoOf: raw)
            if recorded.preflight && requestHeadersField != .logged { notePreflightHeaders(f.requestHeadersHeader) }
            return
        }
        if code <= Self.invalidBase {
            let reason = OriginRejection.allCases[Int(Self.invalidBase - code)]
            noteAnswerField(f)
            evidence.invalid.add(reason, value: raw)
            evidence.invalid.noteAnswer(f.allowOrigin, origin: raw, credentials: f.allowCredentials.equalsIgnoringASCIICase("true"))
            return
        }
        let i = Int(code)
        if isSameOrigin(i, host: f.host) {
            table[at: i].sameOriginRequests += 1
            evidence.sameOriginRequests += 1
            return
        }
        noteAnswerField(f)
        let (preflight, day, client, otherMethod) = Self.record(f, into: &table[at: i], hasRequestMethodField: hasRequestMethodField, echoOf: raw)
        if otherMethod && evidence.otherMethodExamples.count < Evidence.maxOtherMethodExamples {
            let text = TopValues.displayText(preflight ? f.requestMethodHeader : f.method)
            if !text.isEmpty && !evidence.otherMethodExamples.contains(text) { evidence.otherMethodExamples.append(text) }
        }
        if preflight && requestHeadersField != .logged { notePreflightHeaders(f.requestHeadersHeader) }
        if preflight && !f.requestHeadersHeader.isEmpty {
            let hash = f.precomputed?.requestHeadersHash ?? f.requestHeadersHeader.tableHash
            noteRequestedHeaders(f.requestHeadersHeader, hash: hash, client: client, day: day, into: i)
        }
    }

    /// A preflight of a format that may not log Access-Control-Request-Headers (see `requestHeadersField`).
    private mutating func notePreflightHeaders(_ requestHeaders: ByteSlice) {
        if requestHeadersField == .absent {
            evidence.preflightsOfFormatsWithoutRequestHeaders += 1
        } else {
            evidence.keyedPreflights += 1
            if !requestHeaders.isEmpty { evidence.requestHeadersKeySeen = true }
        }
    }

    /// Counts a Host value; its hash is remembered for the next line, which nearly always
    /// names the same host (the value's FNV-1a, as `TopValues.add` gives it).
    @inline(__always)
    private mutating func noteHost(_ host: ByteSlice) {
        let same = host.count == lastHost.count && lastHost.withUnsafeBufferPointer { host.sameBytes(as: ByteSlice($0)) }
        if !same {
            lastHost = host.bytes
            lastHostHash = host.fnv1a
        }
        evidence.hosts.add(hash: lastHostHash, count: 1) { TopValues.displayText(host) }
    }

    /// The header names of a preflight's `Access-Control-Request-Headers`, parsed once per distinct value.
    /// `hash` is `value.tableHash`.
    private mutating func noteRequestedHeaders(_ value: ByteSlice, hash: UInt64, client: UInt64, day: Int32, into i: Int) {
        let listIndex: Int
        if let cached = headerListCache.value(for: value, hash: hash) {
            listIndex = Int(cached)
        } else {
            if headerListCache.count >= 4096 || headerLists.count >= 4096 {
                headerListCache.removeAll()
                headerLists.removeAll(keepingCapacity: true)
            }
            var list = HeaderList()
            HeaderName.forEach(inList: value) { name in
                if let name { list.names.append(name) } else { list.invalid += 1 }
            }
            headerLists.append(list)
            listIndex = headerLists.count - 1
            headerListCache.insert(value, hash: hash, value: Int32(listIndex))
        }
        let list = headerLists[listIndex]
        for name in list.names { table[at: i].noteRequestedHeader(name, client: client, day: day) }
        table[at: i].invalidRequestedHeaders += list.invalid
    }

    /// The evidence gathered. Consumes the collector: its caches are released and its
    /// table of origins becomes the evidence's as it stands (no copy); a caller that wants
    /// to go on collecting keeps a copy.
    package consuming func finish() -> Evidence {
        cache = ByteKeyTable(maxEntries: 0, maxArenaBytes: 0)
        headerListCache = ByteKeyTable(maxEntries: 0, maxArenaBytes: 0)
        headerLists = []
        authority = []
        isSite = []
        var e = evidence
        evidence = Evidence(source: source)
        e.origins = table
        table = OriginTable()
        e.origins.shrinkToFit()
        return e
    }

    // MARK: - Resolving a raw value

    private mutating func resolve(_ raw: ByteSlice) -> Int32 {
        let value = source == .originHeader ? Origin.parse(raw) : Origin.fromReferer(raw)
        switch value {
        case .null:
            return Self.nullCode
        case .invalid(let reason):
            let ordinal = OriginRejection.allCases.firstIndex(of: reason) ?? 0
            return Self.invalidBase - Int32(ordinal)
        case .origin(let origin):
            if let i = table.position(of: origin) { return Int32(i) }
            if table.count >= capacity { prune() }
            if table.count == Self.reserveAt { reserveTracked() }
            let i = Int32(table.append(origin, OriginStats()))
            isSite.append(sites.contains(origin))
            // With sites given, same-origin is `isSite`: no authority to compare (and no allocation).
            authority.append(sites.isEmpty ? Array((origin.host + (origin.port.map { ":\($0)" } ?? "")).utf8) : [])
            evidence.originCap.distinctOrigins.insert(Self.hash(origin.serialized))
            return i
        }
    }

    /// Drops the least-requested half of the tracked origins, in place: the kept
    /// entries move to the front of the same arrays (their order unchanged), so
    /// no second copy of the tracked state exists at any time.
    private mutating func prune() {
        var counts = table.values.map(\.requests)
        counts.sort()
        let threshold = counts[counts.count / 2]
        counts = []
        var kept = 0
        for i in 0..<table.count {
            if table[at: i].requests > threshold || protected.contains(table.keys[i]) {
                moveTracked(i, to: kept)
                kept += 1
            } else {
                evidence.originCap.evictedOrigins += 1
                evidence.originCap.evictedRequests += table[at: i].requests
            }
        }
        // Everything had the same count: drop the older half instead of nothing.
        if kept >= capacity {
            let keep = capacity / 2
            var survivors = keep
            for i in keep..<kept {
                if protected.contains(table.keys[i]) {
                    moveTracked(i, to: survivors)
                    survivors += 1
                } else {
                    evidence.originCap.evictedOrigins += 1
                    evidence.originCap.evictedRequests += table[at: i].requests
                }
            }
            kept = survivors
        }
        let dropped = table.count - kept
        table.removeLast(dropped)
        isSite.removeLast(dropped)
        authority.removeLast(dropped)
        table.rebuildIndex()
        cache.removeAll()
        evidence.originCap.prunes += 1
    }

    /// Moves tracked entry `i` to position `j` (`j <= i`), the old entry at `j` to `i`.
    private mutating func moveTracked(_ i: Int, to j: Int) {
        guard i != j else { return }
        table.swapAt(i, j)
        isSite.swapAt(i, j)
        authority.swapAt(i, j)
    }

    /// Reserves the tracked arrays for the whole cap once an input has many
    /// origins, so they do not grow by doubling past it.
    private mutating func reserveTracked() {
        table.reserveCapacity(capacity)
        isSite.reserveCapacity(capacity)
        authority.reserveCapacity(capacity)
    }

    // MARK: - Per-line helpers

    private func isSameOrigin(_ i: Int, host: ByteSlice) -> Bool {
        if !sites.isEmpty { return isSite[i] }
        guard !host.isEmpty else { return false }
        let a = authority[i]
        var n = host.count
        // "api.example.com:443" names the same host as an https origin without a port.
        if n > a.count, host[a.count] == UInt8(ascii: ":"), table.keys[i].port == nil {
            n = a.count
        }
        guard n == a.count else { return false }
        for j in 0..<n where host[j].asciiLowercased != a[j] { return false }
        return true
    }

    /// Counts one request; returns whether it was a preflight, its day, the client's hash and
    /// whether its method (or requested method) was counted in `otherMethods`.
    private static func record(_ f: ParsedFields, into s: inout OriginStats,
                               hasRequestMethodField: Bool, echoOf raw: ByteSlice)
        -> (preflight: Bool, day: Int32, client: UInt64, otherMethod: Bool) {
        var otherMethod = false
        // Each value below comes from the parse thread when it worked it out (`precompute`).
        let p = f.precomputed
        s.requests += 1
        let day = s.noteRequest(at: f.time)
        let client = p?.clientHash ?? ClientKey.hash(f.clientAddress)
        s.clients.insert(client)
        let status = f.status
        s.noteStatus(status)

        let method = if let p { p.method } else { HTTPMethod(f.method) }
        let isPreflight = method == .options && (!hasRequestMethodField || !f.requestMethodHeader.isEmpty)
        if isPreflight {
            s.preflights += 1
            s.notePreflightStatus(status)
            let requested = if let p { p.requestMethod } else { HTTPMethod(f.requestMethodHeader) }
            if let m = requested {
                s.methodTable.note(m, preflight: true, day: day, client: client)
            } else if !f.requestMethodHeader.isEmpty {
                s.otherMethods += 1
                otherMethod = true
            }
            // Requested headers are counted by the caller, through a cache of parsed lists.
        } else if let method {
            s.methodTable.note(method, preflight: false, day: day, client: client)
        } else {
            s.otherMethods += 1
            otherMethod = true
        }

        if !f.uri.isEmpty {
            if let p { s.topPaths.addPath(f.uri, hash: p.pathHash) } else { s.topPaths.addPath(f.uri) }
        }

        let credentials = f.allowCredentials.equalsIgnoringASCIICase("true")
        s.allowOriginAnswers.note(f.allowOrigin, origin: raw, credentials: credentials)
        if credentials { s.credentialedResponses += 1 }
        return (isPreflight, day, client, otherMethod)
    }

    /// Counts a cross-origin request whose response's CORS headers the log records
    /// (`answeredRequests`): every one when the format has the field; for JSON lines,
    /// whose missing keys read as empty, those with a value.
    private mutating func noteAnswerField(_ f: ParsedFields) {
        switch allowOriginField {
        case .absent: break
        case .logged:
            evidence.answeredRequests += 1
            if credentialsField == .absent { evidence.answersWithoutCredentials += 1 }
        case .whenPresent:
            if !f.allowOrigin.isEmpty || !f.allowCredentials.isEmpty { evidence.answeredRequests += 1 }
        }
    }

    /// The raw origin of a line: its Origin field, or the origin part of its Referer.
    @inline(__always)
    static func rawOrigin(_ f: borrowing ParsedFields, source: OriginSource) -> ByteSlice {
        source == .originHeader ? f.origin : refererOriginPart(f.referer)
    }

    /// What `add` derives from a line's fields, for a parse thread to compute ahead
    /// (nil for a line without an origin: `add` only counts it).
    static func precompute(_ f: borrowing ParsedFields, source: OriginSource) -> ParsedFields.Precomputed? {
        let raw = rawOrigin(f, source: source)
        guard !raw.isEmpty else { return nil }
        let method = HTTPMethod(f.method)
        // The requested method and headers are read only for preflights, which are OPTIONS requests.
        let options = method == .options
        let requestHeadersHash: UInt64 = if options, !f.requestHeadersHeader.isEmpty { f.requestHeadersHeader.tableHash } else { 0 }
        return ParsedFields.Precomputed(
            rawOrigin: raw, rawOriginHash: raw.tableHash, clientHash: ClientKey.hash(f.clientAddress),
            pathHash: f.uri.isEmpty ? 0 : TopValues.pathHash(ofTarget: f.uri),
            requestHeadersHash: requestHeadersHash,
            method: method, requestMethod: options ? HTTPMethod(f.requestMethodHeader) : nil)
    }

    /// The `scheme://authority` prefix of a Referer URL: up to the first `/`,
    /// `?` or `#` after `://`. Validation happens later, once per distinct prefix.
    static func refererOriginPart(_ referer: ByteSlice) -> ByteSlice {
        let n = referer.count
        var i = 0
        while i + 2 < n {
            if referer[i] == UInt8(ascii: ":") {
                guard referer[i + 1] == UInt8(ascii: "/"), referer[i + 2] == UInt8(ascii: "/") else { return referer }
                var j = i + 3
                while j < n {
                    let b = referer[j]
                    if b == UInt8(ascii: "/") || b == UInt8(ascii: "?") || b == UInt8(ascii: "#") { break }
                    j += 1
                }
                return referer.slice(0, j)
            }
            if referer[i] == UInt8(ascii: "/") { return referer }
            i += 1
        }
        return referer
    }

    /// A parsed `Access-Control-Request-Headers` value.
    private struct HeaderList {
        var names: [HeaderName] = []
        var invalid = 0
    }

    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h ^= UInt64(b); h &*= 0x0000_0100_0000_01b3 }
        return h
    }
}
