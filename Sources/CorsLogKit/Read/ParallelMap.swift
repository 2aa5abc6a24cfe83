import Foundation

/// Runs `body` for each item on up to `workers` threads, each taking the next item when
/// it is free, and hands the results to `consume` on the calling thread in item order,
/// each as soon as it and the ones before it are done.
///
/// No worker starts an item `window` places or more after the one being consumed, so at
/// most `window` results exist at a time (in the making, waiting, or being consumed) besides
/// what `consume` keeps:
/// reading a rotated set of any length holds the evidence of at most that many files
/// (the analyzer folds each into the total as it comes).
enum ParallelMap {
    static func forEachInOrder<R: Sendable>(_ items: [Int], workers: Int, window: Int,
                                            _ body: @escaping @Sendable (Int) -> R,
                                            consume: (Int, R) -> Void) {
        guard !items.isEmpty else { return }
        let shared = Shared<R>(items, window: max(window, 1))
        let threads = (0..<max(1, min(workers, items.count))).map { _ in
            WorkerThread {
                while let (position, item) = shared.take() { shared.put(position, body(item)) }
            }
        }
        for position in items.indices {
            consume(items[position], shared.result(at: position))
            shared.consumed(position)
        }
        for t in threads { t.join() }
    }

    private final class Shared<R: Sendable>: @unchecked Sendable {
        // @unchecked Sendable, safe because: every stored var is touched only with
        // `condition` locked; a result is handed from its worker to the consumer through it.
        private let condition = NSCondition()
        private let items: [Int]
        private let window: Int
        private var next = 0
        private var consumed = 0
        private var results: [Int: R] = [:]

        init(_ items: [Int], window: Int) {
            self.items = items
            self.window = window
        }

        /// The next item and its position, once it lies within the window; nil when all were taken.
        func take() -> (Int, Int)? {
            condition.lock()
            defer { condition.unlock() }
            while next < items.count && next >= consumed + window { condition.wait() }
            guard next < items.count else { return nil }
            next += 1
            return (next - 1, items[next - 1])
        }

        func put(_ position: Int, _ result: sending R) {
            condition.lock()
            defer { condition.unlock() }
            results[position] = result
            condition.broadcast()
        }

        /// Waits for the result at `position` (the next to be consumed) and takes it.
        func result(at position: Int) -> R {
            condition.lock()
            defer { condition.unlock() }
            while results[position] == nil { condition.wait() }
            return results.removeValue(forKey: position)!
        }

        /// `consume` is done with the result at `position`: the window moves on (a result
        /// counts until it is consumed, so that a file's evidence being merged is one of the
        /// `window`).
        func consumed(_ position: Int) {
            condition.lock()
            defer { condition.unlock() }
            consumed = position + 1
            condition.broadcast()
        }
    }
}
