import Foundation
import Testing

/// Expected-output files under Tests/CorsLogKitTests/Expected/. Re-record them
/// after an intended change with `CORSLOG_RECORD=1 swift test`, then review the diff.
enum Expected {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Expected")

    static func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["CORSLOG_RECORD"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try! actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing expected file \(name); record it with CORSLOG_RECORD=1 swift test", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "differs from Expected/\(name); re-record with CORSLOG_RECORD=1 if intended",
                sourceLocation: sourceLocation)
    }
}

/// Paths of the package and of the shared folder beside it.
enum PackagePaths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let samples = root.appendingPathComponent("samples")
    static let realCorpus = root.deletingLastPathComponent().appendingPathComponent("shared/corpus/real")
    static var hasRealCorpus: Bool {
        FileManager.default.fileExists(atPath: realCorpus.appendingPathComponent("expectations.tsv").path)
    }
    /// The built `corslog` executable, beside the test bundle.
    static var executable: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("corslog").path) && dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("corslog")
    }
}

/// Runs a program and returns its exit status, standard output and standard error.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let input = Pipe()
    p.standardInput = input
    try p.run()
    // Standard error and input on other threads, so that no pipe can fill up and stall the program.
    let errBox = DataBox(), group = DispatchGroup()
    let errHandle = err.fileHandleForReading, inHandle = input.fileHandleForWriting
    DispatchQueue.global().async(group: group) { errBox.data = errHandle.readDataToEndOfFile() }
    // A program that exits without reading its input (a usage error) closes the pipe: the
    // write then fails with EPIPE instead of SIGPIPE ending the test process.
    signal(SIGPIPE, SIG_IGN)
    DispatchQueue.global().async(group: group) {
        if let stdin { try? inHandle.write(contentsOf: stdin) }
        try? inHandle.close()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: errBox.data, as: UTF8.self))
}

private final class DataBox: @unchecked Sendable {
    // Written by one queue, read after the group is waited for.
    var data = Data()
}
