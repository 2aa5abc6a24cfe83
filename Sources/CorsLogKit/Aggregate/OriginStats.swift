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
    /// Requests per status class (keys 0 = no status, 1 = 1xx … 5 = 5xx) and preflights
    /// per response status (keys -1 = no status, 100–599), in one small sorted array
    /// (`PackedCounts`): the two key ranges are disjoint, and at the origin cap one array
    /// costs 48–64 bytes of heap where a six-`Int` array and a second one cost about 150.
    var statusCounts = PackedCounts()
    /// Per method (by `HTTPMethod.ordinal`): actual requests, preflights asking for it, distinct clients.
    var methodTable = MethodTable()
    /// Requests whose method (or preflight's requested method) is not one corslog knows.
    package var otherMethods = 0
    /// Header names asked for in preflights: count and distinct clients of each.
    var headerSlots: [HeaderSlot] = []
    /// Elements of `Access-Control-Request-Headers` that are not header names,
    /// or names beyond the per-origin cap.
    package var invalidRequestedHeaders = 0
    package var clients = DistinctCounter()
    /// Requests per UTC day (days since 1970-01-01), at most `maxDays` days, in a
    /// few bytes (`PackedCounts`).
    var dayCounts = PackedCounts()
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

    /// Preflights per response status (-1: no status). A view of `statusCounts`: each use
    /// builds a dictionary; the per-line path uses `notePreflightStatus`. Setting it maps a
    /// key outside 100–599 to -1, as `notePreflightStatus` does.
    package var preflightStatuses: [Int: Int] {
        get {
            var out: [Int: Int] = [:]
            for e in statusCounts.entries where !Self.statusClassKeys.contains(e.key) { out[e.key] = e.count }
            return out
        }
        set {
            var counts: [Int: Int] = [:]
            for (k, n) in newValue { counts[Self.preflightKey(k), default: 0] += n }
            for (c, n) in statusClasses.enumerated() where n != 0 { counts[c] = n }
            statusCounts = PackedCounts(counts)
        }
    }

    /// Count per status class: index 0 = no status, 1 = 1xx … 5 = 5xx. A view of
    /// `statusCounts`: each use builds an array; the per-line path uses `noteStatus`.
    package var statusClasses: [Int] {
        get {
            var out = Array(repeating: 0, count: 6)
            for e in statusCounts.entries where Self.statusClassKeys.contains(e.key) { out[e.key] = e.count }
            return out
        }
        set {
            precondition(newValue.count == 6, "six status classes")
            var counts = preflightStatuses
            for (c, n) in newValue.enumerated() where n != 0 { counts[c] = n }
            statusCounts = PackedCounts(counts)
        }
    }

    /// The keys of `statusCounts` that count status classes.
    private static let statusClassKeys = 0...5

    /// A preflight status's key in `statusCounts`: -1 for anything but 100–599.
    private static func preflightKey(_ status: Int) -> Int { (status >= 100 && status <= 599) ? status : -1 }

    /// Counts one request's status in its class (anything but 100–599 counts as class 0, no status).
    @inline(__always)
    mutating func noteStatus(_ status: Int) {
        let c = (status >= 100 && status <= 599) ? status / 100 : 0
        if !statusCounts.incrementExisting(c) { statusCounts.add(1, to: c) }
    }

    /// Requests per UTC day (days since 1970-01-01), at most `maxDays` days. A view of
    /// `dayCounts`: each use builds a dictionary; the per-line path is `noteRequest`.
    package var dailyRequests: [Int32: Int] {
        get { dayCounts.dictionary(Int32.self) }
        set { dayCounts = PackedCounts(newValue) }
    }

    /// The number of days with requests (`dailyRequests.count` without the dictionary).
    package var dayCount: Int { dayCounts.count }

    /// Sets the requests of one day (nil: none), as decoding a summary does.
    package mutating func setRequests(_ n: Int?, onDay day: Int32) { dayCounts.set(Int(day), n) }

    /// Sets the preflights answered with `status` (nil: none), as decoding a summary does.
    package mutating func setPreflights(_ n: Int?, status: Int) { statusCounts.set(Self.preflightKey(status), n) }

    /// Counts one preflight answered with `status` (anything but 100–599 counts as -1, no status).
    mutating func notePreflightStatus(_ status: Int) {
        let k = Self.preflightKey(status)
        if !statusCounts.incrementExisting(k) { statusCounts.add(1, to: k) }
    }

    /// The UTC days on which this origin was seen.
    package var days: Set<Int32> { Set(dayCounts.keys.map { Int32(truncatingIfNeeded: $0) }) }

    /// The UTC day of a time (days since 1970-01-01, rounded down).
    static func day(of time: Int64) -> Int32 {
        Int32(truncatingIfNeeded: time >= 0 ? time / 86_400 : (time - 86_399) / 86_400)
    }

    /// The last UTC day on which an allowed-origin request used `method` (actual or asked for in a preflight).
    package func lastDay(of method: HTTPMethod) -> Int32? {
        let d = methodTable.entry(method).lastDay
        return d == MethodTable.never ? nil : d
    }

    /// The last UTC day a preflight asked for `header`.
    package func lastDay(of header: HeaderName) -> Int32? {
        headerSlots.first { $0.name == header }.flatMap { $0.lastDay == MethodTable.never ? nil : $0.lastDay }
    }

    /// Methods of the actual requests (not preflights).
    package var methods: [HTTPMethod: Int] { methodTable.dictionary(\.requests) }
    /// Methods asked for in preflights (`Access-Control-Request-Method`).
    package var requestedMethods: [HTTPMethod: Int] { methodTable.dictionary(\.preflights) }
    /// Distinct clients of each non-safelisted method (exact up to a small cap):
    /// a name must come from several clients to be proposed, so one client
    /// forging preflights cannot widen the allowlist.
    package var methodClients: [HTTPMethod: SmallDistinct] {
        var out: [HTTPMethod: SmallDistinct] = [:]
        for (m, e) in methodTable.seen where e.clients.count > 0 { out[m] = e.clients }
        return out
    }
    /// Header names asked for in preflights, with how many preflights asked.
    package var requestedHeaders: [HeaderName: Int] {
        Dictionary(uniqueKeysWithValues: headerSlots.map { ($0.name, $0.count) })
    }
    /// Distinct clients of each requested header (see `methodClients`).
    package var headerClients: [HeaderName: SmallDistinct] {
        Dictionary(uniqueKeysWithValues: headerSlots.map { ($0.name, $0.clients) })
    }

    /// Counts one preflight's request for `name` from `client` on `day`.
    mutating func noteRequestedHeader(_ name: HeaderName, client: UInt64, day: Int32) {
        for i in headerSlots.indices where headerSlots[i].name == name {
            headerSlots[i].count += 1
            headerSlots[i].clients.insert(client)
            if day > headerSlots[i].lastDay { headerSlots[i].lastDay = day }
            return
        }
        guard headerSlots.count < Self.maxHeaders else {
            invalidRequestedHeaders += 1
            return
        }
        var slot = HeaderSlot(name: name, count: 1, lastDay: day)
        slot.clients.insert(client)
        headerSlots.append(slot)
    }

    package var topPathList: [(path: String, requests: Int)] {
        topPaths.sorted.map { ($0.text, $0.count) }
    }

    /// Counts one request at `time` (nil: the log has no time) and returns its day
    /// (`MethodTable.never` without a time).
    mutating func noteRequest(at time: Int64?) -> Int32 {
        guard let time else { return MethodTable.never }
        noteSeen(time)
        let day = Self.day(of: time)
        dayCounts.increment(Int(day), cap: Self.maxDays)
        return day
    }

    private mutating func noteSeen(_ time: Int64) {
        if firstSeen == nil || time < firstSeen! { firstSeen = time }
        if lastSeen == nil || time > lastSeen! { lastSeen = time }
    }

    /// Adds another summary of the same origin (merging is associative and commutative).
    package mutating func merge(_ o: OriginStats) {
        requests += o.requests
        preflights += o.preflights
        sameOriginRequests += o.sameOriginRequests
        statusCounts.merge(o.statusCounts)
        methodTable.merge(o.methodTable)
        otherMethods += o.otherMethods
        for theirs in o.headerSlots {
            if let i = headerSlots.firstIndex(where: { $0.name == theirs.name }) {
                headerSlots[i].count += theirs.count
                headerSlots[i].clients.merge(theirs.clients)
                headerSlots[i].lastDay = max(headerSlots[i].lastDay, theirs.lastDay)
            } else if headerSlots.count < Self.maxHeaders {
                headerSlots.append(theirs)
            } else {
                invalidRequestedHeaders += theirs.count
            }
        }
        invalidRequestedHeaders += o.invalidRequestedHeaders
        clients.merge(o.clients)
        dayCounts.merge(o.dayCounts, cap: Self.maxDays)
        if let f = o.firstSeen { noteSeen(f) }
        if let l = o.lastSeen { noteSeen(l) }
        topPaths.merge(o.topPaths)
        allowOriginAnswers.merge(o.allowOriginAnswers)
        credentialedResponses += o.credentialedResponses
    }
}

/// One requested header name of one origin.
struct HeaderSlot: Sendable, Equatable {
    var name: HeaderName
    var count = 0
    // `clients` (9 bytes) before `lastDay` (4): the two fill 16 bytes, not 24.
    var clients = SmallDistinct()
    /// The last UTC day a preflight asked for it (`MethodTable.never` when the log has no time).
    var lastDay = MethodTable.never

    init(name: HeaderName, count: Int = 0, lastDay: Int32 = MethodTable.never, clients: SmallDistinct = SmallDistinct()) {
        self.name = name; self.count = count; self.lastDay = lastDay; self.clients = clients
    }
}

/// Counts per method, only for the methods seen: a small array searched by
/// `HTTPMethod.ordinal` (an origin uses one to three methods), so a tracked
/// origin costs a few dozen bytes for its methods, not one slot per method
/// corslog knows; the per-line path does no hashing for methods, and a
/// method's `clients` allocate only when a non-safelisted method occurs.
struct MethodTable: Sendable {
    struct Entry: Sendable, Equatable {
        var requests = 0
        var preflights = 0
        // `clients` (9 bytes) before `lastDay` (4): the two fill 16 bytes, not 24.
        var clients = SmallDistinct()
        /// The last UTC day it was used or asked for (`never` when the log has no time).
        var lastDay = MethodTable.never

        init(requests: Int = 0, preflights: Int = 0, lastDay: Int32 = MethodTable.never, clients: SmallDistinct = SmallDistinct()) {
            self.requests = requests; self.preflights = preflights; self.lastDay = lastDay; self.clients = clients
        }
    }
    private struct Slot: Sendable {
        var ordinal: UInt8
        var entry: Entry
    }
    /// No day: not used, or the log has no time.
    static let never = Int32.min
    /// The methods seen, in the order they were first seen.
    private var slots: [Slot] = []

    /// The counts of `method` (zero counts when it was not seen).
    func entry(_ method: HTTPMethod) -> Entry {
        let o = UInt8(truncatingIfNeeded: method.ordinal)
        for s in slots where s.ordinal == o { return s.entry }
        return Entry()
    }

    /// Replaces the counts of `method`.
    mutating func set(_ method: HTTPMethod, _ e: Entry) {
        slots[slot(method)].entry = e
    }

    /// Counts one actual request (`preflight` false) or one preflight asking for `method`.
    /// Per line: one pass over the slots, one uniqueness check, no bounds checks.
    mutating func note(_ method: HTTPMethod, preflight: Bool, day: Int32, client: UInt64) {
        let o = UInt8(truncatingIfNeeded: method.ordinal)
        let counted = slots.withUnsafeMutableBufferPointer { buf -> Bool in
            // safe because: the indices are those of `buf`, valid for this closure.
            for i in buf.indices where buf[i].ordinal == o {
                if preflight { buf[i].entry.preflights += 1 } else { buf[i].entry.requests += 1 }
                if day > buf[i].entry.lastDay { buf[i].entry.lastDay = day }
                if !method.isSafelisted { buf[i].entry.clients.insert(client) }
                return true
            }
            return false
        }
        if counted { return }
        var e = Entry(requests: preflight ? 0 : 1, preflights: preflight ? 1 : 0, lastDay: day)
        if !method.isSafelisted { e.clients.insert(client) }
        slots.append(Slot(ordinal: o, entry: e))
    }

    /// The index of `method`'s slot, added when missing.
    private mutating func slot(_ method: HTTPMethod) -> Int {
        let o = UInt8(truncatingIfNeeded: method.ordinal)
        for i in slots.indices where slots[i].ordinal == o { return i }
        slots.append(Slot(ordinal: o, entry: Entry()))
        return slots.count - 1
    }

    /// The methods seen with their counts, in `HTTPMethod.allCases` order.
    var seen: [(method: HTTPMethod, entry: Entry)] {
        slots.sorted { $0.ordinal < $1.ordinal }.map { (HTTPMethod.allCases[Int($0.ordinal)], $0.entry) }
    }

    func dictionary(_ key: KeyPath<Entry, Int>) -> [HTTPMethod: Int] {
        var out: [HTTPMethod: Int] = [:]
        for s in slots where s.entry[keyPath: key] > 0 { out[HTTPMethod.allCases[Int(s.ordinal)]] = s.entry[keyPath: key] }
        return out
    }

    mutating func merge(_ o: MethodTable) {
        for theirs in o.slots {
            let i = slot(HTTPMethod.allCases[Int(theirs.ordinal)])
            slots[i].entry.requests += theirs.entry.requests
            slots[i].entry.preflights += theirs.entry.preflights
            slots[i].entry.lastDay = max(slots[i].entry.lastDay, theirs.entry.lastDay)
            slots[i].entry.clients.merge(theirs.entry.clients)
        }
    }
}

extension MethodTable: Equatable {
    /// The same counts per method, whatever order the methods were first seen in
    /// (a method with no counts equals one not seen).
    static func == (a: MethodTable, b: MethodTable) -> Bool {
        HTTPMethod.allCases.allSatisfy { a.entry($0) == b.entry($0) }
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
    /// Of `echoed`: with `Access-Control-Allow-Credentials: true` on the same response.
    package var echoedWithCredentials = 0
    /// Of `wildcard`: with `Access-Control-Allow-Credentials: true` (browsers refuse the response).
    package var wildcardWithCredentials = 0

    package init(none: Int = 0, wildcard: Int = 0, echoed: Int = 0, other: Int = 0,
                 echoedWithCredentials: Int = 0, wildcardWithCredentials: Int = 0) {
        self.none = none; self.wildcard = wildcard; self.echoed = echoed; self.other = other
        self.echoedWithCredentials = echoedWithCredentials; self.wildcardWithCredentials = wildcardWithCredentials
    }

    /// Counts one response: its `Access-Control-Allow-Origin` value `acao` to a request whose Origin was `raw`.
    mutating func note(_ acao: ByteSlice, origin raw: ByteSlice, credentials: Bool) {
        if acao.isEmpty {
            none += 1
        } else if acao.count == 1 && acao[0] == UInt8(ascii: "*") {
            wildcard += 1
            if credentials { wildcardWithCredentials += 1 }
        } else if acao.sameBytes(as: raw) {
            echoed += 1
            if credentials { echoedWithCredentials += 1 }
        } else {
            other += 1
        }
    }

    package mutating func merge(_ o: AllowOriginAnswers) {
        none += o.none; wildcard += o.wildcard; echoed += o.echoed; other += o.other
        echoedWithCredentials += o.echoedWithCredentials; wildcardWithCredentials += o.wildcardWithCredentials
    }
}

/// Distinct 64-bit hashes, exactly, up to `limit`; beyond it the count stays at
/// `limit` ("at least"). One hash is held inline (most names and methods come
/// from one client: no allocation), more in an array.
package struct SmallDistinct: Sendable, Equatable {
    static let limit = 16
    private enum Storage: Sendable {
        case none
        case one(UInt64)
        /// Two or more, in the order they came.
        case many([UInt64])
    }
    private var storage = Storage.none

    package init() {}

    package var count: Int {
        switch storage {
        case .none: 0
        case .one: 1
        case .many(let a): a.count
        }
    }

    /// The hashes, in the order they came.
    private var hashes: [UInt64] {
        switch storage {
        case .none: []
        case .one(let h): [h]
        case .many(let a): a
        }
    }

    package mutating func insert(_ h: UInt64) {
        switch storage {
        case .none:
            storage = .one(h)
        case .one(let first):
            if first != h { storage = .many([first, h]) }
        case .many(var a):
            guard a.count < Self.limit, !a.contains(h) else { return }
            storage = .none  // `a` is the array's only reference while it grows
            a.append(h)
            storage = .many(a)
        }
    }

    package mutating func merge(_ o: SmallDistinct) {
        for h in o.hashes { insert(h) }
    }

    /// The same values, in whatever order they came.
    package static func == (a: SmallDistinct, b: SmallDistinct) -> Bool { a.hashes.sorted() == b.hashes.sorted() }
}

extension SmallDistinct: Codable {
    /// A sorted list of 16-digit hex hashes.
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hashes.sorted().map(HashText.hex))
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let texts = try c.decode([String].self)
        self.init()
        for t in texts {
            guard t.utf8.count == 16, let h = UInt64(t, radix: 16) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(t) is not a 16-digit hex hash")
            }
            insert(h)
        }
    }
}
