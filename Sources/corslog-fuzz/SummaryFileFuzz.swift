import CorsLogKit
import Foundation

/// `EvidenceSummary.decode` on arbitrary bytes (summaries come from other
/// hosts); one that decodes is merged with itself, and its encoding must decode again.
enum SummaryFileFuzz {
    /// One file for the piece-by-piece reader (`merge`'s), rewritten each run.
    static let file = FileManager.default.temporaryDirectory
        .appendingPathComponent("corslog-fuzz-summary-\(getpid()).json").path

    static func run(_ data: UnsafeRawBufferPointer) {
        // What merge reads a piece at a time it must read as the whole-document decoder does.
        _ = FileManager.default.createFile(atPath: file, contents: Data(data))
        let pieceByPiece = EvidenceSummary.read(pieceByPiece: file)
        let summary: EvidenceSummary
        do {
            summary = try EvidenceSummary.decode(Data(data), file: "fuzz.json")
        } catch {
            _ = error.description
            FuzzTargets.check(pieceByPiece == nil, "read piece by piece, but the whole document does not decode: \(error)")
            return
        }
        if let pieceByPiece {
            FuzzTargets.check(pieceByPiece.encoded() == summary.encoded(), "read piece by piece differently from the whole document")
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
