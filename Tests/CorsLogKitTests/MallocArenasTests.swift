import Testing
@testable import CorsLogKit

/// The command-line tool asks glibc for one malloc arena (what keeps a rotated set read
/// side by side near the memory of one file beside the total: bench/run's cap check).
@Suite struct MallocArenasTests {
    @Test func glibcTakesTheSetting() {
        #if canImport(Glibc)
        #expect(MallocArenas.useOne(), "mallopt(M_ARENA_MAX, 1) was refused")
        #else
        #expect(!MallocArenas.useOne())
        #endif
    }
}
