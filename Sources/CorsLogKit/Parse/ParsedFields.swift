/// The values a `LineParser` found in one line, already unescaped the way the
/// server escaped them, with the server's empty marker `-` turned into an empty
/// slice.
///
/// Handed to a closure and valid only during it (see `ByteSlice`).
package struct ParsedFields {
    package var clientAddress: ByteSlice = .empty
    /// The request method (from `$request_method`, or the first word of `$request`).
    package var method: ByteSlice = .empty
    /// The request target (from `$request_uri`, or the second word of `$request`).
    package var uri: ByteSlice = .empty
    package var origin: ByteSlice = .empty
    package var referer: ByteSlice = .empty
    package var userAgent: ByteSlice = .empty
    /// `Access-Control-Request-Method`.
    package var requestMethodHeader: ByteSlice = .empty
    /// `Access-Control-Request-Headers`.
    package var requestHeadersHeader: ByteSlice = .empty
    /// The response's `Access-Control-Allow-Origin`.
    package var allowOrigin: ByteSlice = .empty
    /// The response's `Access-Control-Allow-Credentials`.
    package var allowCredentials: ByteSlice = .empty
    package var host: ByteSlice = .empty
    /// The final status, or -1 when the line has none (or `-`).
    package var status: Int = -1
    /// Seconds since 1970-01-01T00:00:00Z, or nil when the line has no time.
    package var time: Int64? = nil
    /// What a parse-ahead thread already worked out for the collector (nil: it works it out).
    package var precomputed: Precomputed? = nil

    /// Values the collector derives from the fields, computed on a parse thread so that the
    /// thread aggregating in order does less (`LineBatch`); the same values it would compute.
    package struct Precomputed {
        /// The raw origin: the Origin field, or the origin part of the Referer
        /// (`EvidenceCollector.rawOrigin`), and its `tableHash`.
        package var rawOrigin: ByteSlice
        package var rawOriginHash: UInt64
        /// `ClientKey.hash(clientAddress)`.
        package var clientHash: UInt64
        /// `TopValues.pathHash` of the target without its query.
        package var pathHash: UInt64
        /// For an OPTIONS request (the only ones that can be preflights; 0 and nil for the
        /// others): `requestHeadersHeader.tableHash` (0 when the header is empty) and
        /// `HTTPMethod(requestMethodHeader)`.
        package var requestHeadersHash: UInt64
        /// `HTTPMethod(method)`.
        package var method: HTTPMethod?
        package var requestMethod: HTTPMethod?
        // Not worked out ahead, measured: whether Access-Control-Allow-Credentials is `true`,
        // the Access-Control-Allow-Origin answer class and the status class cost a parse thread
        // about twice what they save the aggregating thread (callgrind, `LineBatch.Record`).
    }

    package init() {}
}
