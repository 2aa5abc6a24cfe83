import Foundation

/// Parses one file's lines on worker threads ahead of the thread that aggregates them.
///
/// The reading thread copies lines into a `LineBatch` of about `batchBytes`,
/// `submit`s it, and takes parsed batches back with `takeOldest` — always in the
/// order they were submitted — to feed the file's one collector. So the
/// evidence is exactly what parsing and aggregating line by line on one thread
/// gives (same collector, same order): only the field extraction, the larger
/// half of the per-line work, moves to other cores.
///
/// Memory stays bounded: at most `limit` batches exist at a time (submitted and
/// not yet taken back, plus the one being filled); their buffers are reused.
final class ParseAhead: @unchecked Sendable {
    // @unchecked Sendable, safe because: every stored var is touched only with
    // `condition` locked; a batch belongs to one thread at a time (handed over
    // through the locked queue, results and spare list).
    private let condition = NSCondition()
    private var queue: [(index: Int, batch: LineBatch)] = []
    private var results: [Int: LineBatch] = [:]
    private var spare: [LineBatch] = []
    private var closed = false
    private var threads: [WorkerThread] = []
    private var submitted = 0
    private var taken = 0
    /// Whether the parse threads also work out what the collector derives from the fields
    /// (`LineBatch.parse(with:source:)`): on while a parse thread finds no batch waiting
    /// (the reading thread is the slower side: it inflates, say), off while the reading
    /// thread waits for a parsed batch. The values are the same either way.
    private var precompute = false
    let limit: Int
    let batchBytes: Int

    /// Batches of about 512 KiB: each hand-over may put a thread to sleep and wake another
    /// (tens of µs on a VM), so 256 KiB batches cost a tenth more wall time with ISA-L on
    /// two cores, 1 MiB ones 3 MiB more peak memory for 3 % (`bench/run`, README).
    static let defaultBatchBytes = 512 << 10

    init(format: LogFormat, workers: Int, batchBytes: Int = ParseAhead.defaultBatchBytes) {
        let workers = max(workers, 1)
        self.limit = workers + 2
        self.batchBytes = max(batchBytes, 1)
        threads = (0..<workers).map { _ in
            WorkerThread { [self] in
                var parser = format.makeCollectingParser()
                var probe = RicherFormatProbe(for: format)
                let source: OriginSource = format.fields.contains(.origin) ? .originHeader : .referer
                while let (index, batch, precompute) = self.next() {
                    var batch = batch
                    batch.parse(with: &parser, source: precompute ? source : nil, probe: &probe)
                    self.done(index, batch)
                }
            }
        }
    }

    /// Batches submitted and not yet taken back.
    var inFlight: Int {
        condition.lock()
        defer { condition.unlock() }
        return submitted - taken
    }

    /// A cleared batch to fill (a reused one when there is one).
    func emptyBatch(maxLineBytes: Int) -> LineBatch {
        condition.lock()
        let reused = spare.popLast()
        condition.unlock()
        // A batch ends after the line that reaches `batchBytes`: room for that plus one line
        // (longer lines never go into a batch: `AheadFeed.longLine`).
        return reused ?? LineBatch(reserving: batchBytes + min(maxLineBytes, 64 << 10))
    }

    /// Hands a batch to the workers (the caller keeps `inFlight` below `limit`).
    func submit(_ batch: consuming LineBatch) {
        let batch = batch
        condition.lock()
        defer { condition.unlock() }
        queue.append((submitted, batch))
        submitted += 1
        condition.broadcast()
    }

    /// The oldest parsed batch not yet taken (waits for it); nil when all were taken.
    func takeOldest() -> LineBatch? {
        condition.lock()
        defer { condition.unlock() }
        guard taken < submitted else { return nil }
        if results[taken] == nil { precompute = false }
        while results[taken] == nil { condition.wait() }
        let batch = results.removeValue(forKey: taken)!
        taken += 1
        return batch
    }

    /// Gives a batch that was taken back and aggregated for reuse — unless a long line
    /// (up to `--max-line-bytes`) grew it past twice its size: that one is freed, so long
    /// lines cost their memory only while they are in flight.
    func recycle(_ batch: consuming LineBatch) {
        var batch = batch
        guard batch.byteCapacity <= 2 * batchBytes + (128 << 10) else { return }
        batch.clear()
        condition.lock()
        defer { condition.unlock() }
        if spare.count < limit { spare.append(batch) }
    }

    /// No more batches: the workers end once the queue is empty. Call once, after
    /// every batch was taken back.
    func close() {
        condition.lock()
        closed = true
        spare = []
        condition.broadcast()
        condition.unlock()
        for t in threads { t.join() }
    }

    private func next() -> (Int, LineBatch, Bool)? {
        condition.lock()
        defer { condition.unlock() }
        if queue.isEmpty && !closed { precompute = true }
        while queue.isEmpty && !closed { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let (index, batch) = queue.removeFirst()
        return (index, batch, precompute)
    }

    private func done(_ index: Int, _ batch: sending LineBatch) {
        condition.lock()
        defer { condition.unlock() }
        results[index] = batch
        condition.broadcast()
    }
}
