// corslog-fuzz: the libFuzzer targets (`fuzz/run` builds and runs them).
//
//     corslog-fuzz TARGET [libFuzzer options] [CORPUS_DIR…]   (built by fuzz/run: -sanitize=fuzzer,address -DCORSLOG_FUZZ)
//     corslog-fuzz TARGET FILE…                               (any build: runs each file through TARGET once)
//
// One executable holds every target, so the ordinary `swift build` links one
// small extra binary and needs no fuzzer runtime. In the fuzz build this
// file's top-level code is the program's `main` (SwiftPM links it as such, so
// libFuzzer's own `main` is never used): it picks the target from argv[1] (or
// CORSLOG_FUZZ_TARGET, which libFuzzer's -jobs/-fork children inherit) and
// hands the rest of argv to libFuzzer's driver, `LLVMFuzzerRunDriver`.
import Foundation

func printError(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

func usage() -> Never {
    let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
    printError("usage: corslog-fuzz TARGET [libFuzzer options | FILE…]\ntargets: \(names)")
    exit(64)
}

let arguments = CommandLine.arguments
var rest = Array(arguments.dropFirst())
let target: FuzzTarget
if let first = rest.first, let named = FuzzTargets.named(first) {
    target = named
    rest.removeFirst()
} else if let name = ProcessInfo.processInfo.environment["CORSLOG_FUZZ_TARGET"], let named = FuzzTargets.named(name) {
    target = named
} else {
    usage()
}
FuzzTargets.chosen = target

#if CORSLOG_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Also defined so that libFuzzer's archive links whichever of its members the linker pulls in.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    // safe because: libFuzzer's buffer is valid for size bytes during this call.
    FuzzTargets.chosen!.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

setenv("CORSLOG_FUZZ_TARGET", target.name, 1)
// The strings are strdup'ed and never freed: libFuzzer keeps argv for the whole process.
var driverArguments: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + rest).map { strdup($0) } + [nil]
var driverCount = Int32(driverArguments.count - 1)
let status = driverArguments.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var argv = buffer.baseAddress
    // safe because: argc, argv and the array they point into stay alive for the
    // whole driver call, which returns only when fuzzing ends.
    return LLVMFuzzerRunDriver(&driverCount, &argv) { data, size in
        fuzzerTestOneInput(data, size)
    }
}
exit(status)
#else
// Replay: each FILE once (a crash input, or a corpus file), without libFuzzer.
var failed = false
for path in rest {
    guard let data = FileManager.default.contents(atPath: path) else {
        printError("corslog-fuzz: cannot read \(path)")
        failed = true
        continue
    }
    let bytes = [UInt8](data)
    bytes.withUnsafeBytes { target.run($0) }
    print("\(target.name): \(path): \(bytes.count) bytes, no crash")
}
exit(failed ? 66 : 0)
#endif
