/// What corslog proposes for one origin.
package enum Decision: String, Sendable, Codable, Comparable, CaseIterable {
    /// Put it on the allowlist.
    case allow
    /// Hold it for a person to decide: the evidence is thin or the origin is unusual.
    case review
    /// Keep it off the allowlist.
    case deny

    package static func < (a: Decision, b: Decision) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Why an origin got its decision. The code is stable (JSON, tests); the detail
/// is a sentence for people.
package struct Reason: Sendable, Codable, Hashable {
    package enum Code: String, Sendable, Codable, CaseIterable {
        // allow
        case enoughEvidence = "enough-evidence"
        case thirdParty = "third-party"
        case trusted = "trusted"
        // review
        case fewClients = "few-clients"
        case fewDays = "few-days"
        case developmentOrigin = "development-origin"
        case nonWebScheme = "non-web-scheme"
        case similarName = "similar-name"
        case noCORSEvidence = "no-cors-evidence"
        // deny
        case sameOrigin = "same-origin"
        case nullOrigin = "null-origin"
        case insecureScheme = "insecure-scheme"
        case lookalike = "lookalike"
        case publicSuffixHost = "public-suffix-host"
        case invalid = "invalid"
        case ignored = "ignored"

        /// The decision this reason leads to on its own.
        package var decision: Decision {
            switch self {
            case .enoughEvidence, .thirdParty, .trusted: .allow
            case .fewClients, .fewDays, .developmentOrigin, .nonWebScheme, .similarName, .noCORSEvidence: .review
            case .sameOrigin, .nullOrigin, .insecureScheme, .lookalike, .publicSuffixHost, .invalid, .ignored: .deny
            }
        }
    }

    package var code: Code
    package var detail: String

    package init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }
}
