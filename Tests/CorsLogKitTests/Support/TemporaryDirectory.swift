import Foundation

/// A fresh directory under the system's temporary directory, named `corslog-LABEL-UUID`;
/// the caller removes it (`defer { try? FileManager.default.removeItem(at: dir) }`).
func temporaryDirectory(_ label: String = "test") throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corslog-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}
