/// The CORS parts of the Fetch standard (https://fetch.spec.whatwg.org/, "CORS protocol",
/// "CORS check", "CORS-preflight fetch", "CORS-preflight cache"), as pure functions on
/// typed values, so that `corslog verify` decides what a browser would do the way a
/// browser decides it. The steps implemented are quoted (abridged) where they are.
///
/// Header names compare byte-case-insensitively; methods and header values compare
/// byte for byte, as the standard says. Values are bytes (`[UInt8]`), never assumed UTF-8.
package enum FetchCORSCheck {
    /// A request's credentials mode. Only "include" changes the CORS check.
    package enum CredentialsMode: String, Sendable, Equatable {
        case omit, sameOrigin = "same-origin", include
    }

    /// A header: a name and a value of bytes.
    package struct Header: Sendable, Equatable {
        package var name: String
        package var value: [UInt8]

        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = Array(value.utf8)
        }

        package init(_ name: String, bytes: [UInt8]) {
            self.name = name
            self.value = bytes
        }
    }

    /// The parts of a request the CORS algorithms read.
    package struct Request: Sendable, Equatable {
        /// The byte-serialised request origin: `scheme://host[:port]`, or `null` for an opaque origin.
        package var origin: String
        /// The method as sent (after `normalizeMethod` for fetch()'s init).
        package var method: String
        package var headers: [Header]
        package var credentials: CredentialsMode
        /// Set by upload listeners or a streamed body: forces a preflight.
        package var useCORSPreflight: Bool
        /// For a request replayed from a log: the names its preflight's
        /// `Access-Control-Request-Headers` listed, which is exactly what the browser
        /// computed as "the CORS-unsafe request-header names with request's header list"
        /// (the values themselves are not in the log). nil: computed from `headers`.
        package var knownUnsafeNames: [String]?

        package init(origin: String, method: String, headers: [Header] = [], credentials: CredentialsMode = .sameOrigin,
                     useCORSPreflight: Bool = false, knownUnsafeNames: [String]? = nil) {
            self.origin = origin
            self.method = method
            self.headers = headers
            self.credentials = credentials
            self.useCORSPreflight = useCORSPreflight
            self.knownUnsafeNames = knownUnsafeNames
        }

        /// The CORS-unsafe request-header names of this request.
        package var unsafeNames: [String] {
            knownUnsafeNames.map(FetchCORSCheck.sortedLowercaseSet) ?? FetchCORSCheck.unsafeRequestHeaderNames(headers)
        }

        /// Every header name the request carries (lower-case).
        package var headerNames: [String] {
            FetchCORSCheck.sortedLowercaseSet(headers.map(\.name) + (knownUnsafeNames ?? []))
        }
    }

    /// The parts of a response the CORS algorithms read.
    package struct Response: Sendable, Equatable {
        package var status: Int
        package var headers: [Header]

        package init(status: Int, headers: [Header]) {
            self.status = status
            self.headers = headers
        }

        /// Fetch "get a header value": every value of `name`, combined with `, ` in order; nil when absent.
        package func get(_ name: String) -> [UInt8]? {
            let values = headers.filter { FetchCORSCheck.equalsIgnoringCase($0.name, name) }.map(\.value)
            guard !values.isEmpty else { return nil }
            return Array(values.joined(separator: Array(", ".utf8)))
        }

        /// The headers named `name`, in order.
        func all(_ name: String) -> [[UInt8]] {
            headers.filter { FetchCORSCheck.equalsIgnoringCase($0.name, name) }.map(\.value)
        }
    }

    /// Why a CORS request fails: the network error a browser reports.
    package enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// CORS check 2: the response has no `Access-Control-Allow-Origin`.
        case noAllowOrigin
        /// CORS check 4: `Access-Control-Allow-Origin` is not the request's origin (the value, escaped).
        case allowOriginMismatch(String)
        /// CORS check 3/4: `*` does not serve a request with credentials.
        case wildcardWithCredentials
        /// CORS check 7: credentials, and `Access-Control-Allow-Credentials` is not `true`.
        case credentialsNotAllowed
        /// CORS-preflight fetch 7: the preflight's status is not an ok status (200–299).
        case preflightStatus(Int)
        /// CORS-preflight fetch 7.3: an `Access-Control-Allow-Methods`/`-Headers` value does not parse.
        case unparsableAllowList(String)
        /// CORS-preflight fetch 7.5: the method is not in `Access-Control-Allow-Methods`.
        case methodNotAllowed(String)
        /// CORS-preflight fetch 7.6: `Authorization` must be listed by name (`*` never covers it).
        case authorizationNotListed
        /// CORS-preflight fetch 7.7: a CORS-unsafe header name is not in `Access-Control-Allow-Headers`.
        case headerNotAllowed(String)

        /// A stable code for reports.
        package var code: String {
            switch self {
            case .noAllowOrigin: "no-allow-origin"
            case .allowOriginMismatch: "allow-origin-mismatch"
            case .wildcardWithCredentials: "wildcard-with-credentials"
            case .credentialsNotAllowed: "credentials-not-allowed"
            case .preflightStatus: "preflight-status"
            case .unparsableAllowList: "unparsable-allow-list"
            case .methodNotAllowed: "method-not-allowed"
            case .authorizationNotListed: "authorization-not-listed"
            case .headerNotAllowed: "header-not-allowed"
            }
        }

        /// The value concerned (a method, header name, status or header value), or "".
        package var detail: String {
            switch self {
            case .allowOriginMismatch(let v), .unparsableAllowList(let v), .methodNotAllowed(let v), .headerNotAllowed(let v): v
            case .preflightStatus(let s): String(s)
            case .authorizationNotListed: "authorization"
            case .noAllowOrigin, .wildcardWithCredentials, .credentialsNotAllowed: ""
            }
        }

        package var description: String {
            switch self {
            case .noAllowOrigin: "the response has no Access-Control-Allow-Origin"
            case .allowOriginMismatch(let v): "Access-Control-Allow-Origin is \(v), not the request's origin"
            case .wildcardWithCredentials: "Access-Control-Allow-Origin: * does not serve a request with credentials"
            case .credentialsNotAllowed: "a request with credentials needs Access-Control-Allow-Credentials: true"
            case .preflightStatus(let s): "the preflight was answered \(s), not 2xx"
            case .unparsableAllowList(let v): "\(v) does not parse"
            case .methodNotAllowed(let m): "the preflight's Access-Control-Allow-Methods does not list \(m)"
            case .authorizationNotListed: "Authorization must be listed in Access-Control-Allow-Headers (* never covers it)"
            case .headerNotAllowed(let h): "the preflight's Access-Control-Allow-Headers does not list \(h)"
            }
        }
    }

    // MARK: - Methods

    /// "A CORS-safelisted method is a method that is `GET`, `HEAD`, or `POST`." (byte for byte)
    package static func isSafelistedMethod(_ method: String) -> Bool {
        method == "GET" || method == "HEAD" || method == "POST"
    }

    /// "To normalize a method, if it is a byte-case-insensitive match for `DELETE`, `GET`,
    /// `HEAD`, `OPTIONS`, `POST`, or `PUT`, byte-uppercase it." What fetch() does to
    /// `init.method`: `patch` stays `patch`, which is not `PATCH`.
    package static func normalizeMethod(_ method: String) -> String {
        for known in ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"] where equalsIgnoringCase(method, known) {
            return known
        }
        return method
    }

    // MARK: - Request headers

    /// "A CORS-unsafe request-header byte is a byte byte for which one of the following is true:
    /// byte is less than 0x20 and is not 0x09 HT; byte is 0x22 ("), 0x28 (left parenthesis),
    /// 0x29 (right parenthesis), 0x3A (:), 0x3C (<), 0x3E (>), 0x3F (?), 0x40 (@), 0x5B ([),
    /// 0x5C (\), 0x5D (]), 0x7B ({), 0x7D (}), or 0x7F DEL."
    package static func isUnsafeRequestHeaderByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x09: false
        case 0x00..<0x20, 0x22, 0x28, 0x29, 0x3A, 0x3C, 0x3E, 0x3F, 0x40, 0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x7F: true
        default: false
        }
    }

    /// "CORS-safelisted request-header" (name, value):
    /// 1. If value's length is greater than 128, then return false.
    /// 2. Byte-lowercase name and switch on the result:
    ///    `accept`: if value contains a CORS-unsafe request-header byte, then return false.
    ///    `accept-language`, `content-language`: if value contains a byte that is not in the range
    ///      0x30 (0) to 0x39 (9), 0x41 (A) to 0x5A (Z), 0x61 (a) to 0x7A (z), and is not 0x20 SP,
    ///      0x2A (*), 0x2C (,), 0x2D (-), 0x2E (.), 0x3B (;), or 0x3D (=), then return false.
    ///    `content-type`: 1. if value contains a CORS-unsafe request-header byte, return false.
    ///      2. Let mimeType be the result of parsing the result of isomorphic decoding value.
    ///      3. If mimeType is failure, then return false. 4. If mimeType's essence is not
    ///      "application/x-www-form-urlencoded", "multipart/form-data", or "text/plain", return false.
    ///    `range`: 1. Let rangeValue be the result of parsing a single range header value given
    ///      value and false. 2. If rangeValue is failure, then return false. 3. If rangeValue[0]
    ///      is null, then return false (suffix ranges are not safelisted).
    ///    Otherwise: return false.
    /// 3. Return true.
    package static func isSafelistedRequestHeader(name: String, value: [UInt8]) -> Bool {
        if value.count > 128 { return false }
        switch byteLowercased(name) {
        case "accept":
            return !value.contains(where: isUnsafeRequestHeaderByte)
        case "accept-language", "content-language":
            return value.allSatisfy { b in
                switch b {
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x20, 0x2A, 0x2C, 0x2D, 0x2E, 0x3B, 0x3D: true
                default: false
                }
            }
        case "content-type":
            if value.contains(where: isUnsafeRequestHeaderByte) { return false }
            guard let essence = mimeEssence(value) else { return false }
            return essence == "application/x-www-form-urlencoded" || essence == "multipart/form-data" || essence == "text/plain"
        case "range":
            guard let range = parseSingleRange(value, allowWhitespace: false) else { return false }
            return range.start != nil
        default:
            return false
        }
    }

    /// "CORS-unsafe request-header names" (headers):
    /// 1. Let unsafeNames be a new list. 2. Let potentiallyUnsafeNames be a new list.
    /// 3. Let safelistValueSize be 0.
    /// 4. For each header of headers: if header is not a CORS-safelisted request-header, then
    ///    append header's name to unsafeNames; otherwise append it to potentiallyUnsafeNames
    ///    and increase safelistValueSize by header's value's length.
    /// 5. If safelistValueSize is greater than 1024, then for each name of
    ///    potentiallyUnsafeNames, append name to unsafeNames.
    /// 6. Return the result of convert header names to a sorted-lowercase set with unsafeNames.
    package static func unsafeRequestHeaderNames(_ headers: [Header]) -> [String] {
        var unsafe: [String] = []
        var potentially: [String] = []
        var size = 0
        for h in headers {
            if isSafelistedRequestHeader(name: h.name, value: h.value) {
                potentially.append(h.name)
                size += h.value.count
            } else {
                unsafe.append(h.name)
            }
        }
        if size > 1024 { unsafe += potentially }
        return sortedLowercaseSet(unsafe)
    }

    /// "A CORS non-wildcard request-header name is a header name that is a byte-case-insensitive
    /// match for `Authorization`."
    package static func isNonWildcardRequestHeaderName(_ name: String) -> Bool {
        equalsIgnoringCase(name, "authorization")
    }

    // MARK: - Does it need a preflight?

    /// Main fetch: a CORS request goes through a preflight ("HTTP fetch given fetchParams and
    /// true") when "request's use-CORS-preflight flag is set", or "request's unsafe-request flag
    /// is set and either request's method is not a CORS-safelisted method or CORS-unsafe
    /// request-header names with request's header list is not empty" (fetch() always sets the
    /// unsafe-request flag). HTTP fetch then skips the preflight for what `cache` holds:
    /// "There is no method cache entry match for request's method using request, and either
    /// request's method is not a CORS-safelisted method or request's use-CORS-preflight flag is
    /// set" / "There is at least one item in the CORS-unsafe request-header names with request's
    /// header list for which there is no header-name cache entry match using request."
    package static func needsPreflight(_ request: Request, url: String = "", cache: PreflightCache? = nil, now: Int = 0) -> Bool {
        let methodNeeds = !isSafelistedMethod(request.method) || request.useCORSPreflight
        let unsafe = request.unsafeNames
        guard methodNeeds || !unsafe.isEmpty else { return false }
        guard let cache else { return true }
        if methodNeeds && !cache.hasMethodMatch(request.method, request: request, url: url, now: now) { return true }
        return unsafe.contains { !cache.hasHeaderNameMatch($0, request: request, url: url, now: now) }
    }

    // MARK: - The CORS check

    /// "CORS check" (request, response):
    /// 1. Let origin be the result of getting `Access-Control-Allow-Origin` from response's header list.
    /// 2. If origin is null, then return failure.
    /// 3. If request's credentials mode is not "include" and origin is `*`, then return success.
    /// 4. If the result of byte-serializing a request origin with request is not origin, then return failure.
    /// 5. If request's credentials mode is not "include", then return success.
    /// 6. Let credentials be the result of getting `Access-Control-Allow-Credentials` from response's header list.
    /// 7. If credentials is `true`, then return success.
    /// 8. Return failure.
    package static func corsCheck(_ request: Request, _ response: Response) -> Failure? {
        guard let origin = response.get("access-control-allow-origin") else { return .noAllowOrigin }
        if request.credentials != .include && origin == Array("*".utf8) { return nil }
        if origin != Array(request.origin.utf8) {
            return origin == Array("*".utf8) ? .wildcardWithCredentials : .allowOriginMismatch(display(origin))
        }
        if request.credentials != .include { return nil }
        if response.get("access-control-allow-credentials") == Array("true".utf8) { return nil }
        return .credentialsNotAllowed
    }

    // MARK: - CORS-preflight fetch

    /// What a successful preflight lets the browser cache.
    package struct PreflightResult: Sendable, Equatable {
        package var methods: [String]
        package var headerNames: [String]
        /// Seconds, after the default (5) and the imposed limit.
        package var maxAge: Int
    }

    /// Chromium's limit on `Access-Control-Max-Age` (7200 s since version 76).
    package static let chromiumMaxAgeLimit = 7200

    /// "CORS-preflight fetch", from the response on (request is the actual request):
    /// 7. If a CORS check for request and response returns success and response's status is an
    ///    ok status, then:
    ///    1. Let methods be the result of extracting header list values given
    ///       `Access-Control-Allow-Methods` and response's header list.
    ///    2. Let headerNames be the result of extracting header list values given
    ///       `Access-Control-Allow-Headers` and response's header list.
    ///    3. If either methods or headerNames is failure, return a network error.
    ///    4. If methods is null and request's use-CORS-preflight flag is set, then set methods
    ///       to a new list containing request's method.
    ///    5. If request's method is not in methods, request's method is not a CORS-safelisted
    ///       method, and request's credentials mode is "include" or methods does not contain
    ///       `*`, then return a network error.
    ///    6. If one of request's header list's names is a CORS non-wildcard request-header name
    ///       and is not a byte-case-insensitive match for an item in headerNames, then return a
    ///       network error.
    ///    7. For each unsafeName of the CORS-unsafe request-header names with request's header
    ///       list: if unsafeName is not a byte-case-insensitive match for an item in headerNames
    ///       and request's credentials mode is "include" or headerNames does not contain `*`,
    ///       return a network error.
    ///    8. Let max-age be the result of extracting header list values given
    ///       `Access-Control-Max-Age` and response's header list.
    ///    9. If max-age is failure or null, then set max-age to 5.
    ///    10. If max-age is greater than an imposed limit on max-age, then set max-age to the imposed limit.
    ///    (11–14: the cache entries, see `PreflightCache.store`.)
    /// 8. Otherwise, return a network error.
    package static func preflightCheck(_ request: Request, _ response: Response,
                                       maxAgeLimit: Int = chromiumMaxAgeLimit) -> Result<PreflightResult, Failure> {
        if let failure = corsCheck(request, response) { return .failure(failure) }
        guard (200...299).contains(response.status) else { return .failure(.preflightStatus(response.status)) }
        guard let methodsList = extractList(response.all("access-control-allow-methods")) else {
            return .failure(.unparsableAllowList("Access-Control-Allow-Methods"))
        }
        guard let namesList = extractList(response.all("access-control-allow-headers")) else {
            return .failure(.unparsableAllowList("Access-Control-Allow-Headers"))
        }
        var methods = methodsList ?? []
        if methodsList == nil && request.useCORSPreflight { methods = [request.method] }
        let headerNames = namesList ?? []
        if !methods.contains(request.method) && !isSafelistedMethod(request.method)
            && (request.credentials == .include || !methods.contains("*")) {
            return .failure(.methodNotAllowed(display(Array(request.method.utf8))))
        }
        for name in request.headerNames where isNonWildcardRequestHeaderName(name) {
            if !headerNames.contains(where: { equalsIgnoringCase($0, name) }) { return .failure(.authorizationNotListed) }
        }
        for unsafe in request.unsafeNames where !headerNames.contains(where: { equalsIgnoringCase($0, unsafe) }) {
            if request.credentials == .include || !headerNames.contains("*") {
                return .failure(.headerNotAllowed(display(Array(unsafe.utf8))))
            }
        }
        var maxAge = 5
        let ages = response.all("access-control-max-age")
        if ages.count == 1, let age = deltaSeconds(ages[0]) { maxAge = age }
        maxAge = min(maxAge, maxAgeLimit)
        return .success(PreflightResult(methods: methods, headerNames: headerNames, maxAge: maxAge))
    }

    // MARK: - The CORS-preflight cache

    /// "CORS-preflight cache": entries of (origin, URL, credentials, method or header name,
    /// max-age). Network partition keys are left out: one page, one cache.
    package struct PreflightCache: Sendable {
        struct Entry: Sendable {
            var origin: String
            var url: String
            var credentials: Bool
            var method: String?
            var headerName: String?
            var expires: Int
        }
        var entries: [Entry] = []

        package init() {}

        /// Steps 12–13 of CORS-preflight fetch 7 (and likewise for header names): "create a new
        /// cache entry with request, max-age, method, and null" for each method in methods (and
        /// "with request, max-age, null, and headerName" for each header name).
        package mutating func store(_ result: PreflightResult, request: Request, url: String, now: Int) {
            let credentials = request.credentials == .include
            entries.removeAll { $0.expires <= now }
            for m in result.methods {
                entries.removeAll { $0.origin == request.origin && $0.url == url && $0.credentials == credentials && $0.method == m }
                entries.append(Entry(origin: request.origin, url: url, credentials: credentials, method: m, expires: now + result.maxAge))
            }
            for h in result.headerNames {
                let name = byteLowercased(h)
                entries.removeAll { $0.origin == request.origin && $0.url == url && $0.credentials == credentials && $0.headerName == name }
                entries.append(Entry(origin: request.origin, url: url, credentials: credentials, headerName: name, expires: now + result.maxAge))
            }
        }

        /// "A cache entry match": the entry's byte-serialized origin is request's, its URL is
        /// request's current URL, and one of "entry's credentials is true" / "entry's credentials
        /// is false and request's credentials mode is not "include"" — and it has not expired.
        private func matches(_ e: Entry, _ request: Request, _ url: String, _ now: Int) -> Bool {
            e.expires > now && e.origin == request.origin && e.url == url
                && (e.credentials || request.credentials != .include)
        }

        /// "A method cache entry match for method using request: there is a cache entry for which
        /// there is a cache entry match using request and its method is method or `*`."
        /// (An entry for `*` is only ever stored by a preflight without credentials.)
        package func hasMethodMatch(_ method: String, request: Request, url: String, now: Int) -> Bool {
            entries.contains { matches($0, request, url, now) && ($0.method == method || ($0.method == "*" && request.credentials != .include)) }
        }

        /// "A header-name cache entry match for headerName using request: ... its header name is a
        /// byte-case-insensitive match for headerName or is `*` if headerName is not a CORS
        /// non-wildcard request-header name."
        package func hasHeaderNameMatch(_ name: String, request: Request, url: String, now: Int) -> Bool {
            let lower = byteLowercased(name)
            return entries.contains {
                matches($0, request, url, now) && ($0.headerName == lower
                    || ($0.headerName == "*" && !isNonWildcardRequestHeaderName(name) && request.credentials != .include))
            }
        }
    }

    // MARK: - Parsing helpers

    /// "Extracting header list values" for a `#token` list header (Allow-Methods, Allow-Headers):
    /// nil-in-nil when absent ("If list does not contain name, then return null"); the outer nil
    /// is failure (an element that is not a token).
    static func extractList(_ values: [[UInt8]]) -> [String]?? {
        guard !values.isEmpty else { return .some(nil) }
        var out: [String] = []
        for v in values {
            for part in v.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                let trimmed = trimHTTPWhitespace(Array(part))
                if trimmed.isEmpty { continue }
                guard trimmed.allSatisfy(isTokenByte) else { return nil }
                out.append(String(decoding: trimmed, as: UTF8.self))
            }
        }
        return .some(out)
    }

    /// `delta-seconds = 1*DIGIT`; nil when it is not one.
    static func deltaSeconds(_ v: [UInt8]) -> Int? {
        let t = trimHTTPWhitespace(v)
        guard !t.isEmpty, t.count <= 10, t.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: t, as: UTF8.self))
    }

    /// "Parse a MIME type" reduced to what the safelist needs: the essence (`type/subtype`,
    /// lower-cased), or nil for failure. Leading and trailing HTTP whitespace is removed; type
    /// and subtype must be non-empty HTTP token code points; parameters are ignored.
    static func mimeEssence(_ value: [UInt8]) -> String? {
        let v = trimHTTPWhitespace(value)
        guard let slash = v.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let type = Array(v[..<slash])
        var rest = Array(v[(slash + 1)...])
        if let semi = rest.firstIndex(of: UInt8(ascii: ";")) { rest = Array(rest[..<semi]) }
        let subtype = trimHTTPWhitespace(rest)
        guard !type.isEmpty, type.allSatisfy(isTokenByte), !subtype.isEmpty, subtype.allSatisfy(isTokenByte) else { return nil }
        return byteLowercased(String(decoding: type + [UInt8(ascii: "/")] + subtype, as: UTF8.self))
    }

    /// "Parse a single range header value" (value, allowWhitespace): `bytes=` then start
    /// digits, `-`, end digits; "If rangeStart is the empty string and rangeEnd is the empty
    /// string, return failure"; "If rangeStartValue and rangeEndValue are numbers, and
    /// rangeStartValue is greater than rangeEndValue, then return failure."
    static func parseSingleRange(_ value: [UInt8], allowWhitespace: Bool) -> (start: Int?, end: Int?)? {
        var i = 0
        let n = value.count
        func skipWhitespace() { while allowWhitespace && i < n && (value[i] == 0x20 || value[i] == 0x09) { i += 1 } }
        func digits() -> String {
            var s = ""
            while i < n, value[i] >= 0x30, value[i] <= 0x39 { s.unicodeScalars.append(Unicode.Scalar(value[i])); i += 1 }
            return s
        }
        let unit = Array("bytes".utf8)
        guard n >= unit.count, zip(value[0..<unit.count], unit).allSatisfy({ $0.asciiLowercased == $1 }) else { return nil }
        i = unit.count
        skipWhitespace()
        guard i < n, value[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        skipWhitespace()
        let start = digits()
        skipWhitespace()
        guard i < n, value[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        skipWhitespace()
        let end = digits()
        guard i == n else { return nil }
        if start.isEmpty && end.isEmpty { return nil }
        let s = start.isEmpty ? nil : Int(start.prefix(18))
        let e = end.isEmpty ? nil : Int(end.prefix(18))
        if let s, let e, s > e { return nil }
        return (s, e)
    }

    /// "Convert header names to a sorted-lowercase set": byte-lowercase, de-duplicate, sort.
    static func sortedLowercaseSet(_ names: [String]) -> [String] {
        Array(Set(names.map(byteLowercased))).sorted()
    }

    static func trimHTTPWhitespace(_ v: [UInt8]) -> [UInt8] {
        func ws(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = v.firstIndex(where: { !ws($0) }), let last = v.lastIndex(where: { !ws($0) }) else { return [] }
        return Array(v[first...last])
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Bytes from a request or response as text for reports: escaped, capped (`TopValues.displayText`).
    static func display(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            // safe because: the slice is used only inside this closure, while `bytes` is alive and unchanged.
            TopValues.displayText(ByteSlice(buffer))
        }
    }

    /// Byte-lowercase (ASCII only, as the standard's "byte-lowercase").
    static func byteLowercased(_ s: String) -> String {
        String(decoding: s.utf8.map(\.asciiLowercased), as: UTF8.self)
    }

    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
    }
}
