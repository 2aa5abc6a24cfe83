import CorsLogKit
import Foundation

/// `StateFile.decode` (what `StateFile.load` runs on the file's bytes) on
/// arbitrary bytes; a state that decodes is used as a run uses it, and its
/// encoding must decode again.
enum StateFileFuzz {
    static func run(_ data: UnsafeRawBufferPointer) {
        var state: StateFile
        do {
            state = try StateFile.decode(Data(data), path: "fuzz.state")
        } catch {
            _ = error.description
            return
        }
        let again = Result { () throws(CorsLogError) in try StateFile.decode(Data(state.encoded().utf8), path: "re-encoded") }
        if case .failure(let error) = again {
            FuzzTargets.check(false, "a decoded state does not decode after encoding: \(error)")
        }
        _ = state.evidence(from: nil, capacity: 16, source: .originHeader)
        state.capDays(perDay: 4)
        if let first = state.days.keys.min() { state.keep(daysFrom: first &+ 1, filesSeenFrom: first &+ 1) }
    }
}
