/// The knobs of inference; every default is documented in the README.
package struct InferenceOptions: Sendable {
    /// The origins of the site itself (`--site`); empty when not given.
    package var sites: [Origin] = []
    /// Distinct clients an origin needs to be allowed (`--min-clients`).
    package var minClients = 3
    /// Distinct days an origin needs to be allowed (`--min-days`).
    package var minDays = 2
    /// Treat http origins like https ones even when the site is https (`--allow-insecure`).
    package var allowInsecure = false
    /// Always allow these (`--trust`), whatever the evidence.
    package var trusted: [Origin] = []
    /// Never allow these (`--ignore`).
    package var ignored: [Origin] = []
    /// Propose `Access-Control-Allow-Credentials: true` (`--credentials`).
    package var credentials = false

    package init() {}
}
