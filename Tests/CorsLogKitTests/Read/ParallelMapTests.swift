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
            return true
        }
        #expect(seen == items)
        #expect(alive.peak <= window, "\(alive.peak) results at once with a window of \(window)")
        #expect(alive.peak >= 1)
    }

    /// Stopping: nothing starts after the answer, what had started is still consumed in
    /// order, and the rest come back untouched — the analyzer reads those one at a time.
    @Test(arguments: [(2, 2), (4, 4), (3, 2)])
    func stoppingHandsBackTheItemsNotStarted(workers: Int, window: Int) {
        let items = Array(0..<20)
        let started = Mutex<[Int]>([])
        var seen: [Int] = []
        let rest = ParallelMap.forEachInOrder(items, workers: workers, window: window) { item in
            started.withLock { $0.append(item) }
            usleep(UInt32((item * 7919) % 3) * 1_000)
            return item
        } consume: { item, result in
            #expect(result == item)
            seen.append(item)
            return item < 5
        }
        // Item 5 said stop; at most `window - 1` items after it had been started.
        #expect(seen.first == 0 && seen.count >= 6 && seen.count <= 5 + window)
        #expect(seen == Array(0..<seen.count))
        #expect(rest == Array(seen.count..<20))
        #expect(started.withLock { $0.sorted() } == seen)
    }

    @Test func noItemsCallsNothing() {
        var calls = 0
        ParallelMap.forEachInOrder([], workers: 4, window: 2) { $0 } consume: { _, _ in calls += 1; return true }
        #expect(calls == 0)
    }
}
