import CorsLogKit
import Foundation

/// `EvidenceSummary.decode` on arbitrary bytes (summaries come from other
/// hosts); one that decodes is merged with itself, and its encoding must decode again.
enum SummaryFileFuzz {
    static func run(_ data: UnsafeRawBufferPointer) {
        let summary: EvidenceSummary
        do {
            summary = try EvidenceSummary.decode(Data(data), file: "fuzz.json")
        } catch {
            _ = error.description
            return
        }
        do {
            _ = try EvidenceSummary.merge([("a", summary), ("b", summary)], capacity: 16)
        } catch {
            _ = error.description
        }
        let again = Result { () throws(CorsLogError) in try EvidenceSummary.decode(Data(summary.encoded().utf8), file: "re-encoded") }
        if case .failure(let error) = again {
            FuzzTargets.check(false, "a decoded summary does not decode after encoding: \(error)")
        }
    }
}
