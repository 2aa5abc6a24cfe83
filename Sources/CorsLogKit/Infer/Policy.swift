/// The allowlist a person adopts: corslog's proposal, reviewed and perhaps
/// edited in the policy file, and the only input of every renderer.
///
/// Every member is a validated type: `Origin`, `OriginPattern`, `HTTPMethod`,
/// `HeaderName`, `PathPrefix` and numbers. Nothing else from a log can reach
/// generated configuration.
package struct Policy: Sendable, Equatable {
    /// The site's own origins (for comments and same-origin checks; not allowed by CORS).
    package var site: [Origin]
    /// What applies to every path that no path rule claims.
    package var defaults: CORSRule
    /// Rules for path prefixes; the longest matching prefix wins.
    package var paths: [PathRule]

    package init(site: [Origin] = [], defaults: CORSRule, paths: [PathRule] = []) {
        self.site = site
        self.defaults = defaults
        self.paths = paths.sorted { $0.prefix.value.count != $1.prefix.value.count
            ? $0.prefix.value.count > $1.prefix.value.count : $0.prefix.value < $1.prefix.value }
    }

    /// The policy of a proposal: one rule for every path.
    package init(proposal: Proposal, site: [Origin] = []) {
        self.init(site: site, defaults: CORSRule(
            origins: proposal.origins, methods: proposal.methods, headers: proposal.headers,
            credentials: proposal.credentials, maxAge: proposal.maxAge))
    }

    /// The rule that governs `path` (longest prefix, else the defaults).
    package func rule(for path: String) -> CORSRule {
        paths.first { path.hasPrefix($0.prefix.value) }?.rule ?? defaults
    }
}

/// What one part of the site allows.
package struct CORSRule: Sendable, Equatable {
    /// Exact origins, echoed one by one.
    package var origins: [Origin]
    /// Origin patterns written by a person (`https://*.example.com`).
    package var patterns: [OriginPattern]
    /// Non-safelisted methods to allow (GET, HEAD, POST need no permission).
    package var methods: [HTTPMethod]
    /// Request headers to allow in preflights.
    package var headers: [HeaderName]
    /// Response headers the page may read (`Access-Control-Expose-Headers`).
    package var exposeHeaders: [HeaderName]
    package var credentials: Bool
    /// `Access-Control-Max-Age`, seconds.
    package var maxAge: Int

    package init(origins: [Origin], patterns: [OriginPattern] = [], methods: [HTTPMethod] = [],
                 headers: [HeaderName] = [], exposeHeaders: [HeaderName] = [], credentials: Bool = false,
                 maxAge: Int = 600) {
        self.origins = origins.sorted()
        self.patterns = patterns
        self.methods = methods.sorted()
        self.headers = headers.sorted()
        self.exposeHeaders = exposeHeaders.sorted()
        self.credentials = credentials
        self.maxAge = maxAge
    }

    /// Whether `origin` may call under this rule.
    package func allows(_ origin: Origin) -> Bool {
        origins.contains(origin) || patterns.contains { $0.matches(origin) }
    }

    /// `Access-Control-Allow-Methods` value, or nil when there is nothing to list.
    package var allowMethodsValue: String? {
        methods.isEmpty ? nil : methods.map(\.rawValue).joined(separator: ", ")
    }

    /// `Access-Control-Allow-Headers` value, or nil.
    package var allowHeadersValue: String? {
        headers.isEmpty ? nil : headers.map(\.name).joined(separator: ", ")
    }

    /// `Access-Control-Expose-Headers` value, or nil.
    package var exposeHeadersValue: String? {
        exposeHeaders.isEmpty ? nil : exposeHeaders.map(\.name).joined(separator: ", ")
    }
}

/// A path rule: everything under `prefix`.
package struct PathRule: Sendable, Equatable {
    package var prefix: PathPrefix
    package var rule: CORSRule

    package init(prefix: PathPrefix, rule: CORSRule) {
        self.prefix = prefix
        self.rule = rule
    }
}

/// A URL path prefix written by a person: `/` followed by letters, digits and
/// `/ . _ ~ -` only, at most 200 bytes — safe unquoted in every configuration
/// language corslog writes, and free of regex metacharacters except `.`
/// (which renderers escape).
package struct PathPrefix: Sendable, Hashable, Comparable, CustomStringConvertible {
    package let value: String

    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "/"), bytes.count <= 200 else { return nil }
        for b in bytes {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "-"):
                continue
            default:
                return nil
            }
        }
        guard !text.contains("..") && !text.contains("//") else { return nil }
        value = text
    }

    package var description: String { value }
    package static func < (a: PathPrefix, b: PathPrefix) -> Bool { a.value < b.value }

    /// The prefix as a regular expression fragment (dots escaped), without anchors.
    package var regexFragment: String { value.replacingDots }
}

/// An origin pattern written by a person: `scheme://*.DOMAIN[:port]`, where
/// `*` stands for exactly one DNS label (`[a-z0-9]([a-z0-9-]*[a-z0-9])?`).
/// DOMAIN must be below a public suffix (never `*.github.io`, `*.co.uk`), so a
/// pattern can never span unrelated owners.
package struct OriginPattern: Sendable, Hashable, CustomStringConvertible {
    package let scheme: String
    /// The part after `*.`, e.g. `example.com`.
    package let domain: String
    package let port: Int?

    /// Parses `https://*.example.com[:8443]`; nil with the reason when it is not one.
    package static func parse(_ text: String, psl: PublicSuffixList) -> Result<OriginPattern, PatternError> {
        guard let star = text.range(of: "://*.") else {
            return .failure(.notAPattern("expected scheme://*.domain, e.g. https://*.example.com"))
        }
        let scheme = String(text[..<star.lowerBound])
        let rest = String(text[star.upperBound...])
        // Validate what follows the wildcard as an origin with a placeholder label.
        guard case .origin(let probe) = Origin.parse("\(scheme)://x.\(rest)") else {
            return .failure(.notAPattern("\(text) is not scheme://*.domain[:port] with a valid domain"))
        }
        guard probe.isWebScheme else {
            return .failure(.notAPattern("\(text): patterns are for http and https origins only"))
        }
        let domain = String(probe.host.dropFirst(2))
        guard probe.hostKind == .domain, psl.registrableDomain(of: domain) != nil else {
            return .failure(.spansPublicSuffix(domain))
        }
        return .success(OriginPattern(scheme: probe.scheme, domain: domain, port: probe.port))
    }

    package enum PatternError: Error, Sendable, Equatable, CustomStringConvertible {
        case notAPattern(String)
        case spansPublicSuffix(String)
        package var description: String {
            switch self {
            case .notAPattern(let why): why
            case .spansPublicSuffix(let d): "*.\(d) would match sites of unrelated owners: \(d) is a public suffix (Public Suffix List)"
            }
        }
    }

    package var description: String { "\(scheme)://*.\(domain)" + (port.map { ":\($0)" } ?? "") }

    /// Whether `origin` is `scheme://LABEL.domain[:port]` for one label.
    package func matches(_ origin: Origin) -> Bool {
        guard origin.scheme == scheme, origin.port == port, origin.hostKind == .domain,
              origin.host.hasSuffix("." + domain) else { return false }
        let label = origin.host.dropLast(domain.count + 1)
        return !label.isEmpty && !label.contains(".")
    }

    /// The pattern as a regular expression, anchored at both ends, every dot
    /// escaped: `^https://[a-z0-9]([a-z0-9-]*[a-z0-9])?\.example\.com$`.
    package var anchoredRegex: String {
        "^" + scheme.replacingDots + "://[a-z0-9]([a-z0-9-]*[a-z0-9])?\\." + domain.replacingDots
            + (port.map { ":\($0)" } ?? "") + "$"
    }
}

extension String {
    /// Dots escaped for a regular expression; the callers pass validated text
    /// (schemes, domains, path prefixes) with no other metacharacters.
    var replacingDots: String {
        var out = ""
        for ch in self { if ch == "." { out += "\\." } else { out.append(ch) } }
        return out
    }
}

extension Origin {
    /// The origin as a regular expression matching exactly it, anchored at both
    /// ends: every character other than `[a-z0-9:/-]` (dots, IPv6 brackets) is
    /// escaped. For targets that match case-sensitively only by regex.
    package var anchoredRegex: String {
        var out = "^"
        for ch in serialized {
            switch ch {
            case "a"..."z", "0"..."9", ":", "/", "-": out.append(ch)
            default: out += "\\" + String(ch)
            }
        }
        return out + "$"
    }
}
