/// The request and response facts corslog reads from a log line.
///
/// The raw names are the nginx variable names (without `$`), which is also
/// how the JSON report and `--json-field` name them.
package enum LogField: String, CaseIterable, Sendable, Hashable, Comparable {
    /// `$remote_addr`, Apache `%h` / `%a`.
    case clientAddress = "remote_addr"
    /// `$time_local`, `$time_iso8601`, `$msec`, Apache `%t`.
    case time = "time"
    /// The whole request line, `$request`, Apache `%r`.
    case request = "request"
    /// `$request_method`, Apache `%m`.
    case method = "request_method"
    /// `$request_uri` / `$uri`, Apache `%U` (with `%q`).
    case uri = "request_uri"
    /// `$status`, Apache `%>s` / `%s`.
    case status = "status"
    /// `$http_origin`, Apache `%{Origin}i`.
    case origin = "http_origin"
    /// `$http_referer`, Apache `%{Referer}i`.
    case referer = "http_referer"
    /// `$http_user_agent`, Apache `%{User-Agent}i`.
    case userAgent = "http_user_agent"
    /// `$http_access_control_request_method`.
    case requestMethodHeader = "http_access_control_request_method"
    /// `$http_access_control_request_headers`.
    case requestHeadersHeader = "http_access_control_request_headers"
    /// `$sent_http_access_control_allow_origin`, Apache `%{Access-Control-Allow-Origin}o`.
    case allowOrigin = "sent_http_access_control_allow_origin"
    /// `$sent_http_access_control_allow_credentials`.
    case allowCredentials = "sent_http_access_control_allow_credentials"
    /// `$host` / `$http_host`, Apache `%{Host}i` / `%v`.
    case host = "host"

    package static func < (a: LogField, b: LogField) -> Bool { a.rawValue < b.rawValue }
}
