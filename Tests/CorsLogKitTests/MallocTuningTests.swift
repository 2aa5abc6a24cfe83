import Testing
@testable import CorsLogKit

/// The command-line tool asks glibc for one malloc arena and a fixed mmap threshold (what
/// keeps a rotated set at the origin cap under 64 MiB: bench/run's cap check measures it;
/// in this test process, busy with other tests, glibc may serve a large block from free
/// heap chunks before the threshold matters, so the effect is not observable here).
@Suite struct MallocTuningTests {
    @Test func glibcTakesTheSettings() {
        #if canImport(Glibc)
        #expect(MallocTuning.apply(), "mallopt(M_ARENA_MAX / M_MMAP_THRESHOLD) was refused")
        #else
        #expect(!MallocTuning.apply())
        #endif
    }
}
