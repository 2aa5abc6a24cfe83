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
    ///
    /// Runs once or twice per line, so the bytes are read as one word (little-endian:
    /// a 3-byte name as 16 + 8 bits, 4 to 8 bytes as the first and the last four
    /// bytes, overlapping) and compared with each name's word, not byte by byte.
    package init?(_ bytes: ByteSlice) {
        let n = bytes.count
        guard n >= 3 && n <= 8 else {
            if n == 9 && bytes.equals("PROPPATCH") { self = .proppatch; return }
            return nil
        }
        let word = bytes.withBuffer { b -> UInt64 in
            // safe because: b holds n bytes, 3 <= n <= 8, and every load below reads inside [0, n).
            let p = UnsafeRawPointer(b.baseAddress.unsafelyUnwrapped)
            if n == 3 {
                return UInt64(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self))) | UInt64(p.load(fromByteOffset: 2, as: UInt8.self)) << 16
            }
            return UInt64(UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
                | UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))) << 32
        }
        // Each name's word, as above (`HTTPMethodTests` checks every name and its near misses).
        switch (n, word) {
        case (3, 0x54_4547): self = .get                  // GET
        case (3, 0x54_5550): self = .put                  // PUT
        case (4, 0x5453_4F50_5453_4F50): self = .post     // POST
        case (4, 0x4441_4548_4441_4548): self = .head     // HEAD
        case (4, 0x5950_4F43_5950_4F43): self = .copy     // COPY
        case (4, 0x4556_4F4D_4556_4F4D): self = .move     // MOVE
        case (4, 0x4B43_4F4C_4B43_4F4C): self = .lock     // LOCK
        case (5, 0x4843_5441_4354_4150): self = .patch    // PATC + ATCH
        case (5, 0x4543_4152_4341_5254): self = .trace    // TRAC + RACE
        case (5, 0x4C4F_434B_4F43_4B4D): self = .mkcol    // MKCO + KCOL
        case (5, 0x5952_4555_5245_5551): self = .query    // QUER + UERY
        case (6, 0x4554_454C_454C_4544): self = .delete   // DELE + LETE
        case (6, 0x4B43_4F4C_4F4C_4E55): self = .unlock   // UNLO + LOCK
        case (6, 0x5452_4F50_4F50_4552): self = .report   // REPO + PORT
        case (6, 0x4843_5241_5241_4553): self = .search   // SEAR + ARCH
        case (7, 0x534E_4F49_4954_504F): self = .options  // OPTI + IONS
        case (7, 0x5443_454E_4E4E_4F43): self = .connect  // CONN + NECT
        case (8, 0x444E_4946_504F_5250): self = .propfind // PROP + FIND
        default: return nil
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
