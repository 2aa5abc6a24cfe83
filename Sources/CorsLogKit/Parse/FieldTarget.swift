/// Where the value of one field of a compiled format goes. A plain byte so a
/// compiled segment stays a trivial value the hot loop can read without ARC.
enum FieldTarget: UInt8, Sendable, CaseIterable {
    case skip
    case client
    case time
    case request
    case method
    case uri
    case status
    case origin
    case referer
    case userAgent
    case requestMethodHeader
    case requestHeadersHeader
    case allowOrigin
    case allowCredentials
    case host

    /// The fact this target yields (`request` yields method and uri too, see `LogFormat.fields`).
    var logField: LogField? {
        switch self {
        case .skip: nil
        case .client: .clientAddress
        case .time: .time
        case .request: .request
        case .method: .method
        case .uri: .uri
        case .status: .status
        case .origin: .origin
        case .referer: .referer
        case .userAgent: .userAgent
        case .requestMethodHeader: .requestMethodHeader
        case .requestHeadersHeader: .requestHeadersHeader
        case .allowOrigin: .allowOrigin
        case .allowCredentials: .allowCredentials
        case .host: .host
        }
    }

    init(_ field: LogField) {
        switch field {
        case .clientAddress: self = .client
        case .time: self = .time
        case .request: self = .request
        case .method: self = .method
        case .uri: self = .uri
        case .status: self = .status
        case .origin: self = .origin
        case .referer: self = .referer
        case .userAgent: self = .userAgent
        case .requestMethodHeader: self = .requestMethodHeader
        case .requestHeadersHeader: self = .requestHeadersHeader
        case .allowOrigin: self = .allowOrigin
        case .allowCredentials: self = .allowCredentials
        case .host: self = .host
        }
    }

    /// Values that may hold spaces: a format's last field of this kind runs to
    /// the end of the line instead of stopping at the first space.
    var mayContainSpaces: Bool {
        switch self {
        case .request, .origin, .referer, .userAgent, .requestMethodHeader, .requestHeadersHeader,
             .allowOrigin, .allowCredentials:
            true
        case .skip, .client, .time, .method, .uri, .status, .host:
            false
        }
    }
}

/// How a time field is written.
enum TimeShape: UInt8, Sendable {
    /// `10/Oct/2000:13:55:36 -0700` (nginx `$time_local`, Apache `%t` without its brackets).
    case clf
    /// `2026-11-20T10:00:00+00:00`, `…Z`, with optional fractional seconds (nginx `$time_iso8601`).
    case iso8601
    /// `1700000000.123` (nginx `$msec`, Apache `%{sec}t`).
    case epochSeconds
    /// Apache `%{msec}t`.
    case epochMillis
    /// Apache `%{usec}t`.
    case epochMicros
    /// Apache `%{strftime pattern}t`: the program's `StrftimePattern`.
    case strftime
    /// Any of the shapes `LogTime.parseAny` knows (JSON lines).
    case any

    /// What a person should see as the expected form in a failure message.
    var example: String {
        switch self {
        case .clf: "10/Oct/2000:13:55:36 -0700"
        case .iso8601: "2000-10-10T13:55:36-07:00"
        case .epochSeconds: "seconds since 1970 such as 971211336.123"
        case .epochMillis: "milliseconds since 1970"
        case .epochMicros: "microseconds since 1970"
        case .strftime: "the LogFormat's strftime pattern"
        case .any: "an ISO 8601, CLF, RFC 1123 or epoch time"
        }
    }
}
