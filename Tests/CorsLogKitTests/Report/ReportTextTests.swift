import Testing
@testable import CorsLogKit

@Suite struct ReportTextTests {
    /// The JSON report's `by_reason` keys and the text report's reasons are these spellings:
    /// words of lower-case letters and digits joined by hyphens, an acronym one word.
    @Test func everyRejectionReasonIsSpelledAsWords() {
        for reason in OriginRejection.allCases {
            let key = ReportText.kebab(reason.rawValue)
            let words = key.split(separator: "-", omittingEmptySubsequences: false)
            #expect(words.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0.isNumber } }, "\(key)")
            #expect(words.allSatisfy { $0.count > 1 }, "\(reason.rawValue) → \(key): a one-letter word")
        }
        #expect(ReportText.kebab(OriginRejection.badIPv4.rawValue) == "bad-ipv4")
        #expect(ReportText.kebab(OriginRejection.badIPv6.rawValue) == "bad-ipv6")
        #expect(ReportText.kebab(OriginRejection.controlOrNonASCII.rawValue) == "control-or-non-ascii")
        #expect(ReportText.kebab(OriginRejection.hasQueryOrFragment.rawValue) == "has-query-or-fragment")
    }
}
