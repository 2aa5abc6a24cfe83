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
///
/// `consume` returns false to stop: no item is started after that, the ones already
/// started are still consumed (their answers ignored), and the items never started are
/// returned, in order, for the caller to do otherwise.
enum ParallelMap {
    @discardableResult
    static func forEachInOrder<R: Sendable>(_ items: [Int], workers: Int, window: Int,
                                            _ body: @escaping @Sendable (Int) -> R,
                                            consume: (Int, R) -> Bool) -> [Int] {
        guard !items.isEmpty else { return [] }
        let shared = Shared<R>(items, window: max(window, 1))
        let threads = (0..<max(1, min(workers, items.count))).map { _ in
            WorkerThread {
                while let (position, item) = shared.take() { shared.put(position, body(item)) }
            }
        }
        var position = 0
        var going = true
        while position < items.count, let result = shared.result(at: position) {
            if !consume(items[position], result) && going {
                going = false
                shared.stop()
            }
            shared.consumed(position)
            position += 1
        }
        for t in threads { t.join() }
        return Array(items[position...])
    }

    private final class Shared<R: Sendable>: @unchecked Sendable {
        // @unchecked Sendable, safe because: every stored var is touched only with
        // `condition` locked; a result is handed from its worker to the consumer through it.
        private let condition = NSCondition()
        private let items: [Int]
        private let window: Int
        private var next = 0
        private var consumed = 0
        private var stopped = false
        private var results: [Int: R] = [:]

        init(_ items: [Int], window: Int) {
            self.items = items
            self.window = window
        }

        /// The next item and its position, once it lies within the window; nil when all were taken.
        func take() -> (Int, Int)? {
            condition.lock()
            defer { condition.unlock() }
            while !stopped && next < items.count && next >= consumed + window { condition.wait() }
            guard !stopped && next < items.count else { return nil }
            next += 1
            return (next - 1, items[next - 1])
        }

        func put(_ position: Int, _ result: sending R) {
            condition.lock()
            defer { condition.unlock() }
            results[position] = result
            condition.broadcast()
        }

        /// Waits for the result at `position` (the next to be consumed) and takes it; nil
        /// once stopped for a position no worker took.
        func result(at position: Int) -> R? {
            condition.lock()
            defer { condition.unlock() }
            while results[position] == nil {
                if stopped && position >= next { return nil }
                condition.wait()
            }
            return results.removeValue(forKey: position)!
        }

        /// No item is taken from now on.
        func stop() {
            condition.lock()
            defer { condition.unlock() }
            stopped = true
            condition.broadcast()
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
