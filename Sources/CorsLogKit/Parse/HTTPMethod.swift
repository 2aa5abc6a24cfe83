/// A request method corslog knows by name.
///
/// Methods reach generated configuration (`Access-Control-Allow-Methods`), so
/// the only way to get one from a log is `HTTPMethod(_ bytes:)`, which maps
/// the bytes onto this closed set; anything else is counted as "other" and can
/// never be proposed. Method names are case-sensitive (RFC 9110 §9.1): browsers
/// upper-case only DELETE, GET, HEAD, OPTIONS, POST and PUT, so a page calling
/// `fetch(url, {method: "patch"})` really sends `patch`, which is not `PATCH`.
package enum HTTPMethod: String, CaseIterable, Sendable, Codable, Comparable {
    case get = "GET", head = "HEAD", post = "POST", put = "PUT", delete = "DELETE",
         patch = "PATCH", options = "OPTIONS", connect = "CONNECT", trace = "TRACE",
         propfind = "PROPFIND", proppatch = "PROPPATCH", mkcol = "MKCOL", copy = "COPY",
         move = "MOVE", lock = "LOCK", unlock = "UNLOCK", report = "REPORT", search = "SEARCH",
         query = "QUERY"

    /// The method named by exactly these bytes, or nil.
    package init?(_ bytes: ByteSlice) {
        switch bytes.count {
        case 3:
            if bytes.equals("GET") { self = .get } else if bytes.equals("PUT") { self = .put } else { return nil }
        case 4:
            if bytes.equals("POST") { self = .post } else if bytes.equals("HEAD") { self = .head }
            else if bytes.equals("COPY") { self = .copy } else if bytes.equals("MOVE") { self = .move }
            else if bytes.equals("LOCK") { self = .lock } else { return nil }
        case 5:
            if bytes.equals("PATCH") { self = .patch } else if bytes.equals("TRACE") { self = .trace }
            else if bytes.equals("MKCOL") { self = .mkcol } else if bytes.equals("QUERY") { self = .query }
            else { return nil }
        case 6:
            if bytes.equals("DELETE") { self = .delete } else if bytes.equals("UNLOCK") { self = .unlock }
            else if bytes.equals("REPORT") { self = .report } else if bytes.equals("SEARCH") { self = .search }
            else { return nil }
        case 7:
            if bytes.equals("OPTIONS") { self = .options } else if bytes.equals("CONNECT") { self = .connect }
            else { return nil }
        case 8:
            if bytes.equals("PROPFIND") { self = .propfind } else { return nil }
        case 9:
            if bytes.equals("PROPPATCH") { self = .proppatch } else { return nil }
        default:
            return nil
        }
    }

    /// Parses a method name given by a person (a flag or a policy file).
    package init?(name: String) {
        self.init(rawValue: name)
    }

    /// The position in `allCases`, for fixed-size tables.
    package var ordinal: Int {
        switch self {
        case .get: 0
        case .head: 1
        case .post: 2
        case .put: 3
        case .delete: 4
        case .patch: 5
        case .options: 6
        case .connect: 7
        case .trace: 8
        case .propfind: 9
        case .proppatch: 10
        case .mkcol: 11
        case .copy: 12
        case .move: 13
        case .lock: 14
        case .unlock: 15
        case .report: 16
        case .search: 17
        case .query: 18
        }
    }

    /// GET, HEAD and POST need no permission (Fetch: CORS-safelisted method).
    package var isSafelisted: Bool { self == .get || self == .head || self == .post }

    /// CONNECT, TRACE and TRACK can never be sent by a page (Fetch: forbidden method).
    package var isForbidden: Bool { self == .connect || self == .trace }

    package static func < (a: HTTPMethod, b: HTTPMethod) -> Bool { a.rawValue < b.rawValue }
}
