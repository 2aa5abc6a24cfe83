extension LogFormat {
    package static let presetNames: [String] = ["combined", "common", "vhost_combined", "nginx-cors", "apache-cors", "json"]

    /// nginx's predefined `combined` (also Apache's combined layout).
    static let combinedDefinition =
        #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent""#
    /// The first seven fields of `combined` (CLF).
    static let commonDefinition = #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent"#
    /// Debian's Apache `vhost_combined`.
    static let vhostCombinedDefinition = #"%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i""#
    /// `combined` plus the host and the CORS request and response headers
    /// (what `corslog log-format nginx` prints).
    static let nginxCORSDefinition = combinedDefinition
        + #" "$host" "$http_origin" "$http_access_control_request_method" "$http_access_control_request_headers""#
        + #" "$sent_http_access_control_allow_origin" "$sent_http_access_control_allow_credentials""#
    /// The same layout for Apache, written as it goes between the quotes of
    /// `LogFormat "…"` (what `corslog log-format apache` prints).
    static let apacheCORSDefinition =
        #"%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\" \"%{Host}i\" \"%{Origin}i\""#
        + #" \"%{Access-Control-Request-Method}i\" \"%{Access-Control-Request-Headers}i\""#
        + #" \"%{Access-Control-Allow-Origin}o\" \"%{Access-Control-Allow-Credentials}o\""#

    private static let presets: [String: LogFormat] = {
        var result: [String: LogFormat] = [:]
        let table: [(String, Syntax, String)] = [
            ("combined", .nginx, combinedDefinition),
            ("common", .nginx, commonDefinition),
            ("vhost_combined", .apache, vhostCombinedDefinition),
            ("nginx-cors", .nginx, nginxCORSDefinition),
            ("apache-cors", .apache, apacheCORSDefinition),
        ]
        for (name, syntax, definition) in table {
            do {
                result[name] = try compile(format: Array(definition.utf8), syntax: syntax, escaping: .backslash,
                                           name: name, location: "in preset \(name)")
            } catch {
                preconditionFailure("preset \(name) does not compile: \(error)")
            }
        }
        result["json"] = json()
        return result
    }()

    /// The preset called `name` (see `presetNames`), or nil.
    package static func preset(_ name: String) -> LogFormat? {
        presets[name]
    }
}
