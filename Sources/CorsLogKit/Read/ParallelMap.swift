import Synchronization

/// Runs `body` for each item on up to `workers` threads, each taking the next
/// item when it is free; returns the results by item.
enum ParallelMap {
    static func run<R: Sendable>(_ items: [Int], workers: Int, _ body: @escaping @Sendable (Int) -> R) -> [Int: R] {
        let shared = Shared<R>(items)
        let threads = (0..<max(1, min(workers, items.count))).map { _ in
            WorkerThread {
                while let item = shared.take() { shared.put(item, body(item)) }
            }
        }
        for t in threads { t.join() }
        return shared.results()
    }

    private final class Shared<R: Sendable>: Sendable {
        private let state: Mutex<(items: [Int], next: Int, results: [Int: R])>

        init(_ items: [Int]) { state = Mutex((items, 0, [:])) }

        func take() -> Int? {
            state.withLock { s in
                guard s.next < s.items.count else { return nil }
                s.next += 1
                return s.items[s.next - 1]
            }
        }

        func put(_ item: Int, _ result: sending R) {
            state.withLock { $0.results[item] = result }
        }

        func results() -> [Int: R] { state.withLock { $0.results } }
    }
}
