import Foundation

// The aggregated evidence as JSON, for summary files (`--summary-out`, `merge`)
// and state files (`--state`). Keys are snake_case and spelt out, sets and maps
// are written sorted, 64-bit hashes as hex text: the same evidence always
// encodes to the same bytes.
//
// Decoding trusts nothing: a summary may come from another host or have been
// edited. Origins go through the strict parser and must be written serialised,
// methods and header names through their validating initialisers, and text
// taken from logs (paths, hosts, examples) must be printable ASCII, as corslog
// writes it.

extension Evidence: Codable {
    private enum CodingKeys: String, CodingKey {
        case source, origins, null, invalid, hosts
        case linesWithoutOrigin = "lines_without_origin"
        case linesOfFormatsWithoutOrigins = "lines_without_origin_field"
        case jsonLinesWithoutOrigin = "json_lines_without_origin"
        case sameOriginRequests = "same_origin_requests"
        case answeredRequests = "answered_requests"
        case preflightsOfFormatsWithoutRequestHeaders = "preflights_without_request_headers"
        case keyedPreflights = "keyed_preflights"
        case requestHeadersKeySeen = "request_headers_key_seen"
        case otherMethodExamples = "other_method_examples"
        case answersWithoutCredentials = "answers_without_credentials"
        case originCap = "origin_cap"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
    }

    /// One entry of `origins`: an origin, written serialised, and its statistics.
    private struct Entry: Codable {
        var origin: Origin
        var stats: OriginStats

        init(origin: Origin, stats: OriginStats) {
            self.origin = origin
            self.stats = stats
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let text = try c.decode(String.self, forKey: .origin)
            guard case .origin(let o) = Origin.parse(text), o.serialized == text else {
                throw DecodingError.dataCorruptedError(forKey: .origin, in: c,
                    debugDescription: "\"\(LogText.escaped(text))\" is not a serialised origin")
            }
            origin = o
            stats = try c.decode(OriginStats.self, forKey: .stats)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(origins.sorted { $0.key < $1.key }.map { Entry(origin: $0.key, stats: $0.value) }, forKey: .origins)
        try c.encode(null, forKey: .null)
        try c.encode(invalid, forKey: .invalid)
        try c.encode(hosts, forKey: .hosts)
        try c.encode(linesWithoutOrigin, forKey: .linesWithoutOrigin)
        if linesOfFormatsWithoutOrigins > 0 { try c.encode(linesOfFormatsWithoutOrigins, forKey: .linesOfFormatsWithoutOrigins) }
        if jsonLinesWithoutOrigin > 0 { try c.encode(jsonLinesWithoutOrigin, forKey: .jsonLinesWithoutOrigin) }
        try c.encode(sameOriginRequests, forKey: .sameOriginRequests)
        try c.encode(answeredRequests, forKey: .answeredRequests)
        if preflightsOfFormatsWithoutRequestHeaders > 0 {
            try c.encode(preflightsOfFormatsWithoutRequestHeaders, forKey: .preflightsOfFormatsWithoutRequestHeaders)
        }
        if keyedPreflights > 0 { try c.encode(keyedPreflights, forKey: .keyedPreflights) }
        if requestHeadersKeySeen { try c.encode(true, forKey: .requestHeadersKeySeen) }
        if !otherMethodExamples.isEmpty { try c.encode(otherMethodExamples, forKey: .otherMethodExamples) }
        if answersWithoutCredentials > 0 { try c.encode(answersWithoutCredentials, forKey: .answersWithoutCredentials) }
        try c.encode(originCap, forKey: .originCap)
        try c.encodeIfPresent(firstSeen, forKey: .firstSeen)
        try c.encodeIfPresent(lastSeen, forKey: .lastSeen)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(source: try c.decode(OriginSource.self, forKey: .source))
        for entry in try c.decode([Entry].self, forKey: .origins) {
            guard origins[entry.origin] == nil else {
                throw DecodingError.dataCorruptedError(forKey: .origins, in: c, debugDescription: "\(entry.origin) is listed twice")
            }
            origins[entry.origin] = entry.stats
        }
        null = try c.decode(OriginStats.self, forKey: .null)
        invalid = try c.decode(InvalidOrigins.self, forKey: .invalid)
        hosts = try c.decode(TopValues.self, forKey: .hosts)
        linesWithoutOrigin = try c.decode(Count.self, forKey: .linesWithoutOrigin).value
        // Written only when not 0 (and absent from files of corslog before it counted them).
        linesOfFormatsWithoutOrigins = try c.decodeIfPresent(Count.self, forKey: .linesOfFormatsWithoutOrigins)?.value ?? 0
        jsonLinesWithoutOrigin = try c.decodeIfPresent(Count.self, forKey: .jsonLinesWithoutOrigin)?.value ?? 0
        guard linesOfFormatsWithoutOrigins + jsonLinesWithoutOrigin <= linesWithoutOrigin else {
            throw DecodingError.dataCorruptedError(forKey: .linesOfFormatsWithoutOrigins, in: c,
                                                   debugDescription: "more lines without an origin field than lines without origin")
        }
        sameOriginRequests = try c.decode(Count.self, forKey: .sameOriginRequests).value
        // Absent from files written before the policy audit.
        answeredRequests = try c.decodeIfPresent(Count.self, forKey: .answeredRequests)?.value ?? 0
        // Written only when not 0 (and absent from files of corslog before it counted them).
        preflightsOfFormatsWithoutRequestHeaders = try c.decodeIfPresent(Count.self, forKey: .preflightsOfFormatsWithoutRequestHeaders)?.value ?? 0
        keyedPreflights = try c.decodeIfPresent(Count.self, forKey: .keyedPreflights)?.value ?? 0
        requestHeadersKeySeen = try c.decodeIfPresent(Bool.self, forKey: .requestHeadersKeySeen) ?? false
        otherMethodExamples = try c.decodeIfPresent([LogText].self, forKey: .otherMethodExamples)?.map(\.text) ?? []
        answersWithoutCredentials = try c.decodeIfPresent(Count.self, forKey: .answersWithoutCredentials)?.value ?? 0
        guard otherMethodExamples.count <= Self.maxOtherMethodExamples else {
            throw DecodingError.dataCorruptedError(forKey: .otherMethodExamples, in: c, debugDescription: "too many examples")
        }
        originCap = try c.decode(OriginCap.self, forKey: .originCap)
        firstSeen = try c.decodeIfPresent(Int64.self, forKey: .firstSeen)
        lastSeen = try c.decodeIfPresent(Int64.self, forKey: .lastSeen)
    }
}

extension Evidence {
    /// This evidence without its origins: what `JSONPieces` writes around them.
    var withoutOrigins: Evidence {
        var e = self
        e.origins = OriginTable()
        return e
    }

    /// The origins' positions in the order `encode` writes them (by origin).
    var writtenOrder: [Int] {
        let keys = origins.keys
        return keys.indices.sorted { keys[$0] < keys[$1] }
    }

    /// The JSON of the origins' entry at `position`, as `encode` writes it in its list.
    func encodedEntry(at position: Int, encoder: JSONEncoder) -> Data {
        // Plain values, strings and numbers: encoding cannot fail.
        try! encoder.encode(Entry(origin: origins.keys[position], stats: origins[at: position]))
    }

    /// Adds the origins' entries written at `ranges` of `bytes`; false when one does not
    /// decode or names an origin again (the caller then decodes the document whole, which
    /// says what is wrong).
    mutating func decodeEntries(_ bytes: [UInt8], _ ranges: [Range<Int>], decoder: JSONDecoder) -> Bool {
        origins.reserveCapacity(origins.count + ranges.count)
        for r in ranges where !decodeEntry(Data(bytes[r]), decoder: decoder) { return false }
        return true
    }

    /// Adds one origins' entry (see `decodeEntries`).
    mutating func decodeEntry(_ data: Data, decoder: JSONDecoder) -> Bool {
        guard let entry = try? decoder.decode(Entry.self, from: data),
              origins.position(of: entry.origin) == nil else { return false }
        origins.append(entry.origin, entry.stats)
        return true
    }
}

extension OriginStats: Codable {
    private enum CodingKeys: String, CodingKey {
        case requests, preflights, methods, headers, clients
        case sameOriginRequests = "same_origin_requests"
        case preflightStatuses = "preflight_statuses"
        case statusClasses = "status_classes"
        case otherMethods = "other_methods"
        case invalidRequestedHeaders = "invalid_requested_headers"
        case dailyRequests = "daily_requests"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case topPaths = "top_paths"
        case allowOriginAnswers = "allow_origin_answers"
        case credentialedResponses = "credentialed_responses"
    }

    /// One method's counts, keyed by its name in `methods`.
    private struct MethodEntry: Codable {
        var requests: Int
        var preflights: Int
        var lastDay: Int32?
        var clients: SmallDistinct
        enum CodingKeys: String, CodingKey { case requests, preflights, clients, lastDay = "last_day" }
    }

    /// One requested header, in `headers`.
    private struct HeaderEntry: Codable {
        var name: HeaderName
        var count: Int
        var lastDay: Int32?
        var clients: SmallDistinct
        enum CodingKeys: String, CodingKey { case name, count, clients, lastDay = "last_day" }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(requests, forKey: .requests)
        try c.encode(preflights, forKey: .preflights)
        try c.encode(sameOriginRequests, forKey: .sameOriginRequests)
        try c.encode(Dictionary(uniqueKeysWithValues: preflightStatuses.map { (String($0.key), $0.value) }), forKey: .preflightStatuses)
        try c.encode(statusClasses, forKey: .statusClasses)
        var methods: [String: MethodEntry] = [:]
        for (m, e) in methodTable.seen {
            guard e.requests > 0 || e.preflights > 0 || e.clients.count > 0 else { continue }
            methods[m.rawValue] = MethodEntry(requests: e.requests, preflights: e.preflights,
                                              lastDay: e.lastDay == MethodTable.never ? nil : e.lastDay, clients: e.clients)
        }
        try c.encode(methods, forKey: .methods)
        try c.encode(otherMethods, forKey: .otherMethods)
        try c.encode(headerSlots.sorted { $0.name < $1.name }.map {
            HeaderEntry(name: $0.name, count: $0.count, lastDay: $0.lastDay == MethodTable.never ? nil : $0.lastDay, clients: $0.clients)
        }, forKey: .headers)
        try c.encode(invalidRequestedHeaders, forKey: .invalidRequestedHeaders)
        try c.encode(clients, forKey: .clients)
        try c.encode(Dictionary(uniqueKeysWithValues: dailyRequests.map { (Timestamp.day(Int64($0.key) * 86_400), $0.value) }),
                     forKey: .dailyRequests)
        try c.encodeIfPresent(firstSeen, forKey: .firstSeen)
        try c.encodeIfPresent(lastSeen, forKey: .lastSeen)
        try c.encode(topPaths, forKey: .topPaths)
        try c.encode(allowOriginAnswers, forKey: .allowOriginAnswers)
        try c.encode(credentialedResponses, forKey: .credentialedResponses)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        requests = try c.decode(Count.self, forKey: .requests).value
        preflights = try c.decode(Count.self, forKey: .preflights).value
        sameOriginRequests = try c.decode(Count.self, forKey: .sameOriginRequests).value
        for (key, n) in try c.decode([String: Count].self, forKey: .preflightStatuses) {
            // Written as `encode` writes it ("204", not "+204" or "0204"): two spellings of one
            // status would leave the count to the dictionary's order, which changes per run.
            guard let status = Int(key), String(status) == key, status == -1 || (100...599).contains(status) else {
                throw DecodingError.dataCorruptedError(forKey: .preflightStatuses, in: c,
                                                       debugDescription: "\(key) is not an HTTP status (or -1 for none)")
            }
            setPreflights(n.value, status: status)
        }
        let classes = try c.decode([Count].self, forKey: .statusClasses)
        guard classes.count == 6 else {
            throw DecodingError.dataCorruptedError(forKey: .statusClasses, in: c, debugDescription: "expected 6 status classes")
        }
        statusClasses = classes.map(\.value)
        for (name, e) in try c.decode([String: MethodEntry].self, forKey: .methods) {
            guard let m = HTTPMethod(name: name) else {
                throw DecodingError.dataCorruptedError(forKey: .methods, in: c, debugDescription: "\(name) is not a method corslog counts")
            }
            methodTable.set(m, MethodTable.Entry(requests: try Count.check(e.requests, c, .methods),
                                                               preflights: try Count.check(e.preflights, c, .methods),
                                                               lastDay: e.lastDay ?? MethodTable.never, clients: e.clients))
        }
        otherMethods = try c.decode(Count.self, forKey: .otherMethods).value
        for e in try c.decode([HeaderEntry].self, forKey: .headers) {
            guard !headerSlots.contains(where: { $0.name == e.name }), headerSlots.count < Self.maxHeaders else {
                throw DecodingError.dataCorruptedError(forKey: .headers, in: c, debugDescription: "\(e.name) twice, or too many headers")
            }
            headerSlots.append(HeaderSlot(name: e.name, count: try Count.check(e.count, c, .headers),
                                          lastDay: e.lastDay ?? MethodTable.never, clients: e.clients))
        }
        invalidRequestedHeaders = try c.decode(Count.self, forKey: .invalidRequestedHeaders).value
        clients = try c.decode(DistinctCounter.self, forKey: .clients)
        let daily = try c.decode([String: Count].self, forKey: .dailyRequests)
        guard daily.count <= Self.maxDays else {
            throw DecodingError.dataCorruptedError(forKey: .dailyRequests, in: c, debugDescription: "more than \(Self.maxDays) days")
        }
        for (text, n) in daily {
            guard let day = DayText.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: .dailyRequests, in: c, debugDescription: "\(text) is not a date YYYY-MM-DD")
            }
            setRequests(n.value, onDay: day)
        }
        firstSeen = try c.decodeIfPresent(Int64.self, forKey: .firstSeen)
        lastSeen = try c.decodeIfPresent(Int64.self, forKey: .lastSeen)
        topPaths = try c.decode(TopValues.self, forKey: .topPaths)
        allowOriginAnswers = try c.decode(AllowOriginAnswers.self, forKey: .allowOriginAnswers)
        credentialedResponses = try c.decode(Count.self, forKey: .credentialedResponses).value
    }
}

extension AllowOriginAnswers: Codable {
    private enum CodingKeys: String, CodingKey {
        case none, wildcard, echoed, other
        case echoedWithCredentials = "echoed_with_credentials"
        case wildcardWithCredentials = "wildcard_with_credentials"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(none, forKey: .none)
        try c.encode(wildcard, forKey: .wildcard)
        try c.encode(echoed, forKey: .echoed)
        try c.encode(other, forKey: .other)
        try c.encode(echoedWithCredentials, forKey: .echoedWithCredentials)
        try c.encode(wildcardWithCredentials, forKey: .wildcardWithCredentials)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        none = try c.decode(Count.self, forKey: .none).value
        wildcard = try c.decode(Count.self, forKey: .wildcard).value
        echoed = try c.decode(Count.self, forKey: .echoed).value
        other = try c.decode(Count.self, forKey: .other).value
        // Absent from files written before the policy audit.
        echoedWithCredentials = try c.decodeIfPresent(Count.self, forKey: .echoedWithCredentials)?.value ?? 0
        wildcardWithCredentials = try c.decodeIfPresent(Count.self, forKey: .wildcardWithCredentials)?.value ?? 0
        guard echoedWithCredentials <= echoed, wildcardWithCredentials <= wildcard else {
            throw DecodingError.dataCorruptedError(forKey: .echoedWithCredentials, in: c,
                                                   debugDescription: "more credentialed answers than answers")
        }
    }
}

extension InvalidOrigins: Codable {
    private enum CodingKeys: String, CodingKey {
        case requests, examples, answers
        case byReason = "by_reason"
        case credentialedResponses = "credentialed_responses"
        case echoExamples = "echo_examples"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(requests, forKey: .requests)
        try c.encode(Dictionary(uniqueKeysWithValues: byReason.map { ($0.key.rawValue, $0.value) }), forKey: .byReason)
        try c.encode(examples, forKey: .examples)
        try c.encode(answers, forKey: .answers)
        try c.encode(credentialedResponses, forKey: .credentialedResponses)
        try c.encode(echoExamples, forKey: .echoExamples)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        requests = try c.decode(Count.self, forKey: .requests).value
        for (key, n) in try c.decode([String: Count].self, forKey: .byReason) {
            guard let reason = OriginRejection(rawValue: key) else {
                throw DecodingError.dataCorruptedError(forKey: .byReason, in: c, debugDescription: "\(key) is not a rejection reason")
            }
            byReason[reason] = n.value
        }
        examples = try c.decode([LogText].self, forKey: .examples).map(\.text)
        guard examples.count <= Self.maxExamples else {
            throw DecodingError.dataCorruptedError(forKey: .examples, in: c, debugDescription: "too many examples")
        }
        // Absent from files written before the policy audit.
        answers = try c.decodeIfPresent(AllowOriginAnswers.self, forKey: .answers) ?? AllowOriginAnswers()
        credentialedResponses = try c.decodeIfPresent(Count.self, forKey: .credentialedResponses)?.value ?? 0
        echoExamples = try c.decodeIfPresent([LogText].self, forKey: .echoExamples)?.map(\.text) ?? []
        guard echoExamples.count <= Self.maxExamples else {
            throw DecodingError.dataCorruptedError(forKey: .echoExamples, in: c, debugDescription: "too many examples")
        }
    }
}

extension OriginCap: Codable {
    private enum CodingKeys: String, CodingKey {
        case capacity, prunes
        case evictedOrigins = "evicted_origins"
        case evictedRequests = "evicted_requests"
        case distinctOrigins = "distinct_origins"
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(capacity, forKey: .capacity)
        try c.encode(prunes, forKey: .prunes)
        try c.encode(evictedOrigins, forKey: .evictedOrigins)
        try c.encode(evictedRequests, forKey: .evictedRequests)
        try c.encode(distinctOrigins, forKey: .distinctOrigins)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        capacity = try c.decode(Count.self, forKey: .capacity).value
        prunes = try c.decode(Count.self, forKey: .prunes).value
        evictedOrigins = try c.decode(Count.self, forKey: .evictedOrigins).value
        evictedRequests = try c.decode(Count.self, forKey: .evictedRequests).value
        distinctOrigins = try c.decode(DistinctCounter.self, forKey: .distinctOrigins)
    }
}

extension TopValues: Codable {
    private struct Item: Codable {
        var hash: String
        var text: LogText
        var count: Count
    }

    /// The entries in their slot order (Space-Saving's state), hashes as hex.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(entries.map { Item(hash: HashText.hex($0.hash), text: LogText(text: $0.text), count: Count(value: $0.count)) })
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let items = try c.decode([Item].self)
        guard items.count <= Self.capacity else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "more than \(Self.capacity) top values")
        }
        self.init()
        for item in items {
            guard item.hash.utf8.count == 16, let h = UInt64(item.hash, radix: 16) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "\(item.hash) is not a 16-digit hex hash")
            }
            add(hash: h, count: item.count.value) { item.text.text }
        }
    }
}

/// A count: a whole number, 0 or more.
struct Count: Codable {
    var value: Int

    init(value: Int) { self.value = value }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let v = try c.decode(Int.self)
        guard v >= 0 else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "a count cannot be negative") }
        value = v
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }

    static func check<K: CodingKey>(_ v: Int, _ c: KeyedDecodingContainer<K>, _ key: K) throws -> Int {
        guard v >= 0 else { throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "a count cannot be negative") }
        return v
    }
}

/// Text that came from a log, as corslog shows it: printable ASCII only
/// (other bytes were written `\xHH`), at most 1,000 bytes.
struct LogText: Codable {
    var text: String

    init(text: String) { self.text = text }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let t = try c.decode(String.self)
        guard t.utf8.count <= 1_000, t.unicodeScalars.allSatisfy({ ($0.value >= 0x20 && $0.value < 0x7f) || $0 == "…" }) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "log text must be printable ASCII as corslog writes it")
        }
        text = t
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    /// Any text shown in an error message: printable ASCII kept, the rest `\xHH`, at most 200 bytes.
    static func escaped(_ s: String) -> String {
        Array(s.utf8).withUnsafeBufferPointer { TopValues.displayText(ByteSlice($0)) }
    }
}
