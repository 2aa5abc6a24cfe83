/// One fuzz target: a name (`fuzz/run` uses it for the corpus folder) and what
/// it does with one input. A target never prints; a crash, a failed
/// precondition or a broken invariant (`FuzzTargets.check`) is the finding.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable (UnsafeRawBufferPointer) -> Void
}

enum FuzzTargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "format-definition", run: FormatDefinitionFuzz.run),
        FuzzTarget(name: "parse-nginx", run: LineParserFuzz.nginx),
        FuzzTarget(name: "parse-apache", run: LineParserFuzz.apache),
        FuzzTarget(name: "parse-json", run: LineParserFuzz.json),
        FuzzTarget(name: "gzip-reader", run: GzipReaderFuzz.run),
        FuzzTarget(name: "policy-file", run: PolicyFileFuzz.run),
        FuzzTarget(name: "summary-file", run: SummaryFileFuzz.run),
        FuzzTarget(name: "state-file", run: StateFileFuzz.run),
        FuzzTarget(name: "origin", run: OriginFuzz.run),
        FuzzTarget(name: "verify", run: VerifyFuzz.run),
    ]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    /// The target this process runs (set once by main before fuzzing starts).
    nonisolated(unsafe) static var chosen: FuzzTarget?

    /// An invariant a target checks: breaking it crashes the process, which
    /// libFuzzer reports with the input that did it.
    static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("invariant broken: \(message())") }
    }

    /// The input's lines (split on LF, like the reader; a CR before it stays, the parser ignores it).
    static func lines(_ bytes: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        var out: [UnsafeRawBufferPointer] = []
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            out.append(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
            start = i + 1
        }
        if start < bytes.count { out.append(UnsafeRawBufferPointer(rebasing: bytes[start...])) }
        return out
    }
}
