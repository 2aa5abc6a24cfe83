import Foundation

/// A thread running one closure, and a way to wait for its end.
final class WorkerThread: Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Void) {
        let done = self.done
        let thread = Thread {
            body()
            done.signal()
        }
        // Decoding and parsing keep small stacks; 1 MiB is plenty and bounds memory per thread.
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits until the closure returned (call once).
    func join() { done.wait() }
}
