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

    package init() {}
}
