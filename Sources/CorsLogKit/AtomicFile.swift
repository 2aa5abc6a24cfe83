import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files corslog replaces whole (`--state`, `--summary-out`): written to a temporary file
/// beside the target a piece at a time, flushed to disk, then renamed over it, so a reader
/// sees the old file or the new one, never a part, and the whole text is never held.
package enum AtomicFile {
    /// Writes the pieces `pieces` hands to its argument, in order, to `path`; `what` names
    /// the file in errors ("the state file"), which give the system's reason.
    package static func write(_ path: String, what: String? = nil,
                              pieces: ((String) throws -> Void) throws -> Void) throws(CorsLogError) {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let failure = "\(path): cannot write" + (what.map { " \($0)" } ?? "") + ": "
        do {
            guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
                throw CorsLogError(.cannotCreate, failure + InputError.message(for: errno))
            }
            let handle = try FileHandle(forWritingTo: temp)
            defer { try? handle.close() }
            try pieces { try handle.write(contentsOf: Data($0.utf8)) }
            try handle.synchronize()
            guard rename(temp.path, path) == 0 else {
                throw CorsLogError(.cannotCreate, failure + InputError.message(for: errno))
            }
        } catch let error as CorsLogError {
            try? FileManager.default.removeItem(at: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw CorsLogError(.cannotCreate, failure + error.localizedDescription)
        }
    }
}
