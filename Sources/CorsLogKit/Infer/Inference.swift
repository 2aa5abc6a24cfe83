/// Where the site's own origins came from.
package enum SiteSource: String, Sendable, Codable {
    /// `--site`.
    case flag
    /// The most frequent `Host` in the log, taken as `https://HOST`.
    case hostField = "host-field"
    /// `check`: the policy file's `site:` (no `--site`).
    case policy
    /// Neither: same-origin and first-party cannot be told.
    case unknown
}

/// The verdict on one origin, with the evidence behind it.
package struct OriginVerdict: Sendable {
    /// nil for `null`.
    package var origin: Origin?
    package var decision: Decision
    package var reasons: [Reason]
    /// Same registrable domain as the site (nil when the site is unknown or for `null`).
    package var firstParty: Bool?
    package var inferredFromReferer: Bool
    /// The decision the evidence gave before `--trust` / `--ignore` changed it.
    package var overriddenDecision: Decision?
    package var stats: OriginStats

    package var label: String { origin?.serialized ?? "null" }
}

/// The explicit allowlist corslog proposes. Every member is a validated type:
/// this is all a renderer gets from the logs.
package struct Proposal: Sendable, Codable, Equatable {
    package var origins: [Origin]
    /// Non-safelisted methods the allowed origins used.
    package var methods: [HTTPMethod]
    /// Header names the allowed origins' preflights asked for.
    package var headers: [HeaderName]
    package var maxAge: Int
    package var credentials: Bool

    package init(origins: [Origin], methods: [HTTPMethod], headers: [HeaderName], maxAge: Int, credentials: Bool) {
        self.origins = origins
        self.methods = methods
        self.headers = headers
        self.maxAge = maxAge
        self.credentials = credentials
    }
}

/// A method or header the allowed origins used that the proposal leaves out
/// because too few distinct clients asked for it.
package struct HeldName: Sendable, Codable, Equatable {
    package var name: String
    package var clients: Int
}

/// What the proposal would break: cross-origin requests whose origin is not allowed.
package struct Breakage: Sendable, Equatable {
    package var crossOriginRequests = 0
    package var blockedRequests = 0
    package var byReason: [Reason.Code: Int] = [:]
    package var share: Double { crossOriginRequests == 0 ? 0 : Double(blockedRequests) / Double(crossOriginRequests) }
}

/// Decisions for every origin, the proposal, and what it would break.
package struct Inference: Sendable {
    package var sites: [Origin]
    package var siteSource: SiteSource
    package var verdicts: [OriginVerdict]
    package var proposal: Proposal
    package var heldMethods: [HeldName]
    package var heldHeaders: [HeldName]
    package var breakage: Breakage
    /// `--trust` / `--ignore` entries and whether each changed a decision.
    package var trusted: [Origin]
    package var ignored: [Origin]
    /// Preflights logged without `Access-Control-Request-Headers` (the format lacks it,
    /// `Evidence.preflightsWithoutRequestHeaders`) while the allowed origins preflighted:
    /// the proposal's headers are then unknown, not "none". 0: known.
    package var requestHeadersNotLogged = 0
    /// Requests and preflights of the allowed origins whose method is no `HTTPMethod` (a
    /// lower-case `patch`, say): no proposal can allow them, so they fail. 0: none.
    package var otherMethodRequests = 0
    /// Examples of such methods (`Evidence.otherMethodExamples`), when there are any.
    package var otherMethodExamples: [String] = []
    /// The allowed origins' requests whose Origin the server echoed, logged by a format that
    /// records Access-Control-Allow-Origin but not -Credentials, while the proposal says no
    /// credentials: whether those answers allowed credentials is unknown. 0: known.
    package var credentialsNotLogged = 0
    /// Lines read with a format that records neither Origin nor Referer
    /// (`Evidence.linesOfFormatsWithoutOrigins`): their cross-origin requests are not counted.
    package var linesWithoutOriginField = 0
    /// Whether no line could show an origin (`Evidence.originsNotLogged`): the proposal is
    /// then unknown, not "none", and `propose`, `check` and `verify` refuse to go on.
    package var originsNotLogged = false
    /// Without `--site`: the most frequent logged Host values passed over as internal names
    /// before the one taken as the site (or none was), most frequent first (`Inferrer.guessedSite`).
    package var internalHosts: [String] = []
    /// Distinct client addresses of every cross-origin request, all origins together.
    package var clientAddresses = 0
    /// Whether those addresses look like a proxy's (`clientsLookProxied`): at least
    /// `proxiedMinRequests` cross-origin requests from fewer than `--min-clients` addresses in
    /// all, so origins are held for few-clients because of the log's client field, not their pages.
    package var clientsLookProxied = false
    /// The `--min-clients` the decisions used.
    package var minClients = 3
    /// Cross-origin requests below which few addresses in all are an ordinary small log.
    package static let proxiedMinRequests = 100
    /// Many origins each held only for few clients or days, seen together from many clients
    /// (`LongTail`); nil when there is no such tail.
    package var longTail: LongTail? = nil
    /// Calendar days (UTC) from the first line's to the last line's (nil: the log has no times),
    /// and whether they are fewer than `--min-days` while an origin is held for few-days: then
    /// every origin is, whatever its clients — a log of one day (`access.log` alone, just after
    /// the nightly rotation) gives an empty proposal.
    package var periodDays: Int? = nil
    package var periodShorterThanMinDays = false
    /// The `--min-days` the decisions used.
    package var minDays = 2
}
