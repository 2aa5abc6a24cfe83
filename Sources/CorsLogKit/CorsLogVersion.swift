/// The version corslog reports and writes into generated configuration.
package enum CorsLogVersion {
    package static let current = "0.1.0"
}
