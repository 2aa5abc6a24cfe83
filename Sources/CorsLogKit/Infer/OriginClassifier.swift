/// Sorts the origins seen in a log relative to the site(s) being configured:
/// the site itself, its first-party siblings, development hosts, shared public
/// suffixes, and names built to slip past a sloppy allowlist check.
package struct OriginClassifier: Sendable {
    private let psl: PublicSuffixList
    private let sites: Set<Origin>
    /// For each site: its registrable domain, or its host for IP hosts and hosts
    /// that are themselves public suffixes (`localhost`).
    private let siteKeys: Set<String>
    /// The keys of the sites served over https/wss.
    private let secureSiteKeys: Set<String>
    /// The first-party names a lookalike may imitate, most specific first: the
    /// site hosts, then their registrable domains (domain hosts only).
    private let names: [[UInt8]]
    /// The registrable domains of the sites with their first label (`example` of `example.com`).
    private let brands: [(registrable: String, label: String)]

    package init(sites: [Origin], psl: PublicSuffixList) {
        self.psl = psl
        self.sites = Set(sites)
        var keys = Set<String>()
        var secureKeys = Set<String>()
        var hosts: [String] = []
        var registrables: [String] = []
        var brands: [(String, String)] = []
        for site in sites {
            let registrable = site.hostKind == .domain ? psl.registrableDomain(of: site.host) : nil
            let key = registrable ?? site.host
            keys.insert(key)
            if site.isSecure { secureKeys.insert(key) }
            guard site.hostKind == .domain else { continue }
            if !hosts.contains(site.host) { hosts.append(site.host) }
            if let registrable, !registrables.contains(registrable) {
                registrables.append(registrable)
                brands.append((registrable, String(registrable.prefix(while: { $0 != "." }))))
            }
        }
        self.siteKeys = keys
        self.secureSiteKeys = secureKeys
        var names = hosts
        for r in registrables where !names.contains(r) { names.append(r) }
        self.names = names.map { Array($0.utf8) }
        self.brands = brands
    }

    /// Equals one of the sites exactly (scheme, host and port).
    package func isSameOrigin(_ origin: Origin) -> Bool {
        sites.contains(origin)
    }

    /// Has the same registrable domain as one of the sites (`www.example.com`
    /// and `x.app.example.com` for `https://app.example.com`); for an IP host,
    /// or a site whose host is itself a public suffix, the same host.
    ///
    /// Scheme and port are ignored: `http://www.example.com` is first party to
    /// `https://app.example.com`. See `isDowngradedFirstParty` for that case.
    package func isFirstParty(_ origin: Origin) -> Bool {
        siteKeys.contains(key(of: origin))
    }

    /// A first-party origin over http/ws while the site it belongs to is
    /// served over https/wss: allowing it lets anyone on the network path
    /// (who can inject an http page) make credentialed requests.
    package func isDowngradedFirstParty(_ origin: Origin) -> Bool {
        !origin.isSecure && secureSiteKeys.contains(key(of: origin))
    }

    private func key(of origin: Origin) -> String {
        origin.hostKind == .domain ? (psl.registrableDomain(of: origin.host) ?? origin.host) : origin.host
    }

    /// Names that only resolve on a developer's machine or a private network:
    /// `localhost` and `*.localhost`; `*.local`, `*.internal`, `*.test`,
    /// `*.home.arpa`, `*.lan`, `*.localdomain`; 127.0.0.0/8, 0.0.0.0,
    /// 10/8, 172.16/12, 192.168/16, 169.254/16, 100.64/10; `[::1]`, `[::]`,
    /// fc00::/7, fe80::/10 and IPv4-mapped forms of the IPv4 ranges.
    ///
    /// `*.example` is left out: it is reserved for documentation, not for
    /// development servers. This looks only at the host: a lookalike such as
    /// `https://app.example.com.evil.test` is also "development" (`.test`),
    /// so ask `lookalike` first.
    package func isDevelopment(_ origin: Origin) -> Bool {
        switch origin.hostKind {
        case .ipv4:
            guard let o = origin.ipv4Octets else { return false }
            return Self.isPrivateIPv4(o)
        case .ipv6:
            guard let p = origin.ipv6Pieces else { return false }
            if p[0..<7].allSatisfy({ $0 == 0 }) && (p[7] == 1 || p[7] == 0) { return true }  // ::1, ::
            if p[0] & 0xFE00 == 0xFC00 { return true }  // fc00::/7 unique local
            if p[0] & 0xFFC0 == 0xFE80 { return true }  // fe80::/10 link-local
            if p[0..<5].allSatisfy({ $0 == 0 }) && p[5] == 0xFFFF {  // ::ffff:a.b.c.d
                return Self.isPrivateIPv4([UInt8(p[6] >> 8), UInt8(p[6] & 0xFF), UInt8(p[7] >> 8), UInt8(p[7] & 0xFF)])
            }
            return false
        case .domain:
            let host = origin.host
            for name in Self.developmentNames where host == name || host.hasSuffix("." + name) {
                return true
            }
            return false
        }
    }

    private static let developmentNames = ["localhost", "local", "internal", "test", "home.arpa", "lan", "localdomain"]

    private static func isPrivateIPv4(_ o: [UInt8]) -> Bool {
        switch (o[0], o[1]) {
        case (127, _), (10, _), (192, 168), (169, 254): true
        case (172, 16...31): true
        case (100, 64...127): true
        case (0, _): o == [0, 0, 0, 0]
        default: false
        }
    }

    /// The host is exactly a suffix of the Public Suffix List under which
    /// anybody can register (`https://github.io`, `https://co.uk`). Single-label
    /// names that are suffixes only by the list's default rule (`localhost`)
    /// do not count.
    package func isPublicSuffixHost(_ origin: Origin) -> Bool {
        origin.hostKind == .domain && psl.isListedPublicSuffix(origin.host)
    }

    /// How `origin` imitates a first-party name to slip past an allowlist
    /// check written as an unanchored regex, a prefix, suffix or substring
    /// test; nil for first-party origins, IP hosts and unrelated names.
    ///
    /// Checked in this order, each against the site hosts before their
    /// registrable domains (for a site `https://app.example.com`):
    /// - `.substitutedDot`: a first-party name with one dot replaced by one
    ///   character or dropped (`appxexample.com`, `app-example.com`, `appexample.com`).
    /// - `.prefixedFirstPartyName`: a first-party name glued onto other
    ///   characters without a dot boundary (`evilexample.com`,
    ///   `evil-app.example.com.attacker.net`).
    /// - `.embedsFirstPartyName`: a first-party name as labels of another
    ///   registrable domain (`app.example.com.evil.test`, `example.com.evil.test`).
    /// - `.truncatedFirstPartyName`: a proper prefix of a first-party name
    ///   that keeps at least its first label and dot (`example.co`,
    ///   `app.example.co`).
    /// - `.embedsFirstPartyName` again for the same registrable label under
    ///   another public suffix (`example.org`, `www.example.co.uk`). A company
    ///   often owns these too, but nothing in the log proves it, and a
    ///   `example\.` pattern lets anybody who registers one in: they are
    ///   flagged so that a person confirms them. The brand label as a mere
    ///   subdomain of an unrelated domain (`example.zendesk.com`) is not a
    ///   lookalike: that is how hosted services name their customers.
    package func lookalike(_ origin: Origin) -> Lookalike? {
        guard origin.hostKind == .domain, !isFirstParty(origin) else { return nil }
        let host = Array(origin.host.utf8)
        let otherDomain = psl.registrableDomain(of: origin.host) ?? origin.host

        for name in names {
            if let replacement = Self.substitutedDot(host, name) {
                let how = replacement.isEmpty ? "drops a dot of first-party name \(text(name))"
                    : "replaces a dot of first-party name \(text(name)) with \"\(replacement)\""
                return Lookalike(kind: .substitutedDot, firstParty: text(name), explanation: how)
            }
        }
        for name in names where Self.occurrences(of: name, in: host).contains(where: { $0 > 0 && host[$0 - 1] != UInt8(ascii: ".") }) {
            return Lookalike(kind: .prefixedFirstPartyName, firstParty: text(name),
                             explanation: "glues first-party name \(text(name)) onto other characters without a dot")
        }
        for name in names {
            guard let at = Self.occurrences(of: name, in: host).first else { continue }
            let after = at + name.count
            if after < host.count && host[after] == UInt8(ascii: ".") {
                return Lookalike(kind: .embedsFirstPartyName, firstParty: text(name),
                                 explanation: "uses first-party name \(text(name)) as labels of \(otherDomain)")
            }
            return Lookalike(kind: .embedsFirstPartyName, firstParty: text(name),
                             explanation: "extends first-party name \(text(name)) with more characters")
        }
        for name in names {
            guard let firstDot = name.firstIndex(of: UInt8(ascii: ".")) else { continue }
            if host.count > firstDot + 1 && host.count < name.count && name.starts(with: host) {
                return Lookalike(kind: .truncatedFirstPartyName, firstParty: text(name),
                                 explanation: "is first-party name \(text(name)) cut short")
            }
        }
        if otherDomain.contains(".") {
            let label = otherDomain.prefix(while: { $0 != "." })
            for brand in brands where brand.label == label {
                return Lookalike(kind: .sameLabelOtherSuffix, firstParty: brand.registrable,
                                 explanation: "reuses first-party label \(brand.label) under another suffix (\(otherDomain), not \(brand.registrable))")
            }
        }
        return nil
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The start indices of `needle` in `haystack`.
    private static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard needle.count <= haystack.count, !needle.isEmpty else { return [] }
        var found: [Int] = []
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            found.append(start)
        }
        return found
    }

    /// Whether `host` is `name` (or ends in `.` + a variant of `name`) with one
    /// of the name's dots replaced by another character or dropped; returns
    /// that character, or "" when the dot was dropped.
    private static func substitutedDot(_ host: [UInt8], _ name: [UInt8]) -> String? {
        let dot = UInt8(ascii: ".")
        for p in name.indices where name[p] == dot {
            for length in [name.count, name.count - 1] {
                guard host.count >= length else { continue }
                let start = host.count - length
                if start > 0 && host[start - 1] != dot { continue }
                let tail = host[start...]
                var matches = true
                for j in 0..<length {
                    let expected: UInt8
                    if length == name.count {
                        if j == p { if tail[start + j] == dot { matches = false; break } else { continue } }
                        expected = name[j]
                    } else {
                        expected = name[j < p ? j : j + 1]
                    }
                    if tail[start + j] != expected {
                        matches = false
                        break
                    }
                }
                guard matches else { continue }
                return length == name.count ? String(Character(Unicode.Scalar(tail[start + p]))) : ""
            }
        }
        return nil
    }
}

/// How an origin imitates a first-party name (see `OriginClassifier.lookalike`).
package struct Lookalike: Sendable, Equatable {
    package enum Kind: String, Sendable {
        case embedsFirstPartyName, prefixedFirstPartyName, substitutedDot, truncatedFirstPartyName
        /// `example.org` for a site on `example.com`: often the same owner, sometimes a typosquat.
        case sameLabelOtherSuffix

        /// Whether the imitation is certain (deny) or needs a person (review).
        package var isCertain: Bool { self != .sameLabelOtherSuffix }
    }

    package var kind: Kind
    /// The site host or registrable domain it imitates.
    package var firstParty: String
    /// For people: "uses first-party name app.example.com as labels of evil.test".
    package var explanation: String

    package init(kind: Kind, firstParty: String, explanation: String) {
        self.kind = kind
        self.firstParty = firstParty
        self.explanation = explanation
    }
}
