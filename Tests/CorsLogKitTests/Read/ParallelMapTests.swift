import Foundation
import Synchronization
import Testing
@testable import CorsLogKit

/// `ParallelMap.forEachInOrder`: results come back in item order, and no more than
/// `window` of them exist at a time — what keeps a long rotated set from holding every
/// file's evidence at once.
@Suite struct ParallelMapTests {
    /// How many results exist (made and not yet consumed), and the most there ever were.
    final class Alive: Sendable {
        let state = Mutex((now: 0, peak: 0))
        func made() { state.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) } }
        func consumed() { state.withLock { $0.now -= 1 } }
        var peak: Int { state.withLock { $0.peak } }
    }

    @Test(arguments: [(1, 1), (2, 2), (4, 2), (3, 3), (4, 4)])
    func resultsComeInOrderAndAtMostWindowAtATime(workers: Int, window: Int) {
        let items = Array(10..<40)
        let alive = Alive()
        var seen: [Int] = []
        ParallelMap.forEachInOrder(items, workers: workers, window: window) { item in
            // Uneven work, so later items often finish before earlier ones.
            usleep(UInt32((item * 7919) % 5) * 1_000)
            alive.made()
            return item * item
        } consume: { item, result in
            #expect(result == item * item)
            seen.append(item)
            usleep(500)
            alive.consumed()
        }
        #expect(seen == items)
        #expect(alive.peak <= window, "\(alive.peak) results at once with a window of \(window)")
        #expect(alive.peak >= 1)
    }

    @Test func noItemsCallsNothing() {
        var calls = 0
        ParallelMap.forEachInOrder([], workers: 4, window: 2) { $0 } consume: { _, _ in calls += 1 }
        #expect(calls == 0)
    }
}
