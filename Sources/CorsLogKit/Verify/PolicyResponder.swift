/// What a server configured with corslog's rendered policy answers: the policy's
/// semantics that every target shares (README "Targets"), the model the renderers are
/// tested against in the real servers.
///
/// - The rule is the one of the longest path prefix the request's path starts with, else
///   the top level (`Policy.rule(for:)`); the path is the request target up to `?` or `#`.
/// - An Origin is allowed when it is byte for byte a serialised origin (`Origin.parse`
///   gives back the same text: `HTTPS://APP.EXAMPLE.COM` or `https://app.example.com:443`
///   are not) that the rule lists exactly or matches by a pattern.
/// - A preflight is `OPTIONS` (exactly) with a non-empty `Access-Control-Request-Method`.
///   From an allowed origin it is answered 204 with `Access-Control-Allow-Origin` (the
///   origin), `-Credentials: true` when the rule has credentials, `-Allow-Methods` (the
///   rule's methods; none when it lists none), `-Allow-Headers` (likewise), `-Max-Age`.
///   From any other origin it reaches the application (`applicationStatus`) and gets no
///   CORS header.
/// - Any other request gets the application's answer, and from an allowed origin
///   `Access-Control-Allow-Origin`, `-Credentials` and `-Expose-Headers`.
/// - `Vary: Origin` on every response.
///
/// What differs between targets (a preflight's exact status, 200 or 204; Vary listing the
/// Access-Control-Request-* headers too) changes no browser's verdict.
package struct PolicyResponder: Sendable {
    package let policy: Policy
    /// The status the application behind the server answers (the standalone stubs: 200).
    package var applicationStatus = 200

    package init(policy: Policy, applicationStatus: Int = 200) {
        self.policy = policy
        self.applicationStatus = applicationStatus
    }

    /// A request as the server sees it.
    package struct Request: Sendable, Equatable {
        package var method: String
        /// The request target (path and query).
        package var target: String
        /// The Origin header, or nil when there is none.
        package var origin: String?
        /// `Access-Control-Request-Method`, or nil.
        package var requestMethod: String?
        /// `Access-Control-Request-Headers`, or nil.
        package var requestHeaders: String?

        package init(method: String, target: String, origin: String?, requestMethod: String? = nil, requestHeaders: String? = nil) {
            self.method = method
            self.target = target
            self.origin = origin
            self.requestMethod = requestMethod
            self.requestHeaders = requestHeaders
        }

        /// The path: the target up to `?` or `#`.
        package var path: String {
            String(target.prefix { $0 != "?" && $0 != "#" })
        }

        /// OPTIONS with a non-empty Access-Control-Request-Method.
        package var isPreflight: Bool { method == "OPTIONS" && !(requestMethod ?? "").isEmpty }
    }

    /// The rule that governs `path`.
    package func rule(for path: String) -> CORSRule { policy.rule(for: path) }

    /// The allowed origin of the request under `rule`, or nil.
    package func allowedOrigin(_ value: String?, under rule: CORSRule) -> Origin? {
        guard let value, case .origin(let o) = Origin.parse(value), o.serialized == value, rule.allows(o) else { return nil }
        return o
    }

    package func respond(_ request: Request) -> FetchCORSCheck.Response {
        let rule = self.rule(for: request.path)
        let allowed = allowedOrigin(request.origin, under: rule)
        typealias H = FetchCORSCheck.Header
        var headers: [H] = []
        if let o = allowed {
            headers.append(H("Access-Control-Allow-Origin", o.serialized))
            if rule.credentials { headers.append(H("Access-Control-Allow-Credentials", "true")) }
        }
        if request.isPreflight, allowed != nil {
            if let m = rule.allowMethodsValue { headers.append(H("Access-Control-Allow-Methods", m)) }
            if let h = rule.allowHeadersValue { headers.append(H("Access-Control-Allow-Headers", h)) }
            headers.append(H("Access-Control-Max-Age", String(rule.maxAge)))
            headers.append(H("Vary", "Origin"))
            return FetchCORSCheck.Response(status: 204, headers: headers)
        }
        if allowed != nil, let e = rule.exposeHeadersValue { headers.append(H("Access-Control-Expose-Headers", e)) }
        headers.append(H("Vary", "Origin"))
        return FetchCORSCheck.Response(status: applicationStatus, headers: headers)
    }
}
