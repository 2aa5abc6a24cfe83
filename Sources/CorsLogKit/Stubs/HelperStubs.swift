// TEMPORARY: API stubs of the layers being written in parallel; deleted at merge.
import Foundation

package struct FormatError: Error, Sendable, CustomStringConvertible { package var description: String }
package struct LogFormat: Sendable {
    package enum Syntax: String, Sendable { case nginx, apache, json }
    package var name: String
    package var syntax: Syntax
    package var definition: String
    package var fields: Set<LogField>
    package static let presetNames: [String] = []
    package static func preset(_ name: String) -> LogFormat? { nil }
    package static func parse(definition: String) throws(FormatError) -> LogFormat { fatalError() }
    package static func parse(configText: String, file: String, name: String?) throws(FormatError) -> LogFormat { fatalError() }
    package static func json(keys: [LogField: [String]] = [:]) -> LogFormat { fatalError() }
    package func makeParser() -> LineParser { LineParser() }
}
package struct ParseFailure: Error, Sendable, CustomStringConvertible { package var description: String { "" } }
package struct LineParser {
    package mutating func parse(_ line: ByteSlice, _ body: (borrowing ParsedFields) -> Void) -> ParseFailure? { nil }
    package var lastLineHadTrailingText: Bool { false }
}
package enum FormatDetector {
    package static func detect(_ lines: [[UInt8]]) -> Detection? { nil }
    package struct Detection: Sendable { package var format: LogFormat; package var parsed: Int; package var sampled: Int }
}
package enum LogFormatAdvice { package static func directive(for server: String) -> String? { nil } }

package struct Origin: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    package let scheme: String
    package let host: String
    package let port: Int?
    package var serialized: String { "" }
    package var isSecure: Bool { false }
    package var isWebScheme: Bool { false }
    package var hostKind: HostKind { .domain }
    package var description: String { serialized }
    package static func < (a: Origin, b: Origin) -> Bool { a.serialized < b.serialized }
    package static func parse(_ value: ByteSlice) -> OriginValue { .null }
    package static func parse(_ value: String) -> OriginValue { .null }
    package static func fromReferer(_ value: ByteSlice) -> OriginValue { .null }
}
package enum HostKind: Sendable { case domain, ipv4, ipv6 }
package enum OriginValue: Hashable, Sendable { case origin(Origin), null, invalid(OriginRejection) }
package enum OriginRejection: String, Sendable, CaseIterable, Codable {
    case empty
    package var explanation: String { "" }
}
package struct PublicSuffixList: Sendable {
    package static func load(path: String? = nil) throws -> PublicSuffixList { fatalError() }
    package var source: String
    package func registrableDomain(of host: String) -> String? { nil }
}
package struct OriginClassifier: Sendable {
    package init(sites: [Origin], psl: PublicSuffixList) {}
    package func isSameOrigin(_ origin: Origin) -> Bool { false }
    package func isFirstParty(_ origin: Origin) -> Bool { false }
    package func isDevelopment(_ origin: Origin) -> Bool { false }
    package func lookalike(_ origin: Origin) -> Lookalike? { nil }
    package func isPublicSuffixHost(_ origin: Origin) -> Bool { false }
}
package struct Lookalike: Sendable, Equatable {
    package enum Kind: String, Sendable { case embedsFirstPartyName, prefixedFirstPartyName, substitutedDot, truncatedFirstPartyName }
    package var kind: Kind
    package var firstParty: String
    package var explanation: String
}
