/// nginx `log_format` strings: literal text and variables, `$name` or `${name}`
/// (ngx_http_log_module; a name is letters, digits and `_`, matched ignoring case).
enum NginxFormatSyntax {
    static func pieces(_ format: [UInt8], location: String) throws(FormatError) -> [FormatPiece] {
        var pieces: [FormatPiece] = []
        var literal: [UInt8] = []
        var i = 0
        while i < format.count {
            let c = format[i]
            guard c == UInt8(ascii: "$") else { literal.append(c); i += 1; continue }
            let column = i + 1
            var name: [UInt8] = []
            var written: [UInt8]
            if i + 1 < format.count && format[i + 1] == UInt8(ascii: "{") {
                var j = i + 2
                while j < format.count && isNameByte(format[j]) { name.append(format[j]); j += 1 }
                guard j < format.count, format[j] == UInt8(ascii: "}"), !name.isEmpty else {
                    throw FormatError("\(location), column \(column): '${' is not followed by a variable name and '}' (expected ${name})")
                }
                written = Array(format[i...j])
                i = j + 1
            } else {
                var j = i + 1
                while j < format.count && isNameByte(format[j]) { name.append(format[j]); j += 1 }
                guard !name.isEmpty else {
                    throw FormatError("\(location), column \(column): '$' is not followed by a variable name (expected $name or ${name})")
                }
                written = Array(format[i..<j])
                i = j
            }
            if !literal.isEmpty { pieces.append(.literal(literal)); literal = [] }
            pieces.append(.field(spec(variable: String(decoding: name, as: UTF8.self).lowercased(),
                                      written: String(decoding: written, as: UTF8.self), column: column)))
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }

    static func isNameByte(_ c: UInt8) -> Bool {
        (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
    }

    /// What corslog reads from nginx variable `name` (lower-cased, no `$`).
    static func spec(variable name: String, written: String, column: Int) -> FormatFieldSpec {
        func field(_ target: FieldTarget, priority: Int = 0) -> FormatFieldSpec {
            var s = FormatFieldSpec(name: written, column: column, target: target)
            s.priority = priority
            return s
        }
        switch name {
        case "remote_addr": return field(.client)
        case "realip_remote_addr": return field(.client, priority: 1)
        case "time_local": var s = field(.time); s.timeShape = .clf; return s
        case "time_iso8601": var s = field(.time); s.timeShape = .iso8601; return s
        case "msec": var s = field(.time); s.timeShape = .epochSeconds; return s
        case "request": return field(.request)
        case "request_method": return field(.method)
        case "request_uri": return field(.uri)
        case "uri": return field(.uri, priority: 1)
        case "document_uri": return field(.uri, priority: 2)
        case "args", "is_args", "query_string":
            var s = field(.skip); s.appendsToPrevious = true; return s
        case "status": return field(.status)
        case "http_origin": return field(.origin)
        case "http_referer": return field(.referer)
        case "http_user_agent": return field(.userAgent)
        case "http_access_control_request_method": return field(.requestMethodHeader)
        case "http_access_control_request_headers": return field(.requestHeadersHeader)
        case "sent_http_access_control_allow_origin": return field(.allowOrigin)
        case "sent_http_access_control_allow_credentials": return field(.allowCredentials)
        case "host": return field(.host)
        case "http_host": return field(.host, priority: 1)
        case "server_name": return field(.host, priority: 2)
        default:
            // Any other variable is kept in place and skipped. Header and
            // cookie values may hold spaces; $http_x_forwarded_for is such a
            // header and is deliberately not the client address.
            let textual = name.hasPrefix("http_") || name.hasPrefix("sent_http_") || name.hasPrefix("cookie_")
                || name.hasPrefix("upstream_http_") || name == "request_body" || name == "upstream_addr"
            return FormatFieldSpec(name: written, column: column, target: .skip, mayContainSpaces: textual)
        }
    }
}
