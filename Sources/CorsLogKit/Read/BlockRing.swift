import Foundation

/// A small ring of large blocks between a decode thread (producer) and the
/// thread that splits lines (consumer), in constant memory: `blocks` × `size`
/// bytes allocated once.
///
/// A block is owned by one side at a time: the producer from `emptyBlock` to
/// `publish`, the consumer from `nextFull` to `recycle`.
final class BlockRing: @unchecked Sendable {
    // @unchecked Sendable, safe because: `free`, `full` and `closed` are only touched
    // with `condition` locked, and a block's bytes only by the side that owns it (the
    // hand-over goes through the lock, which orders the writes before the reads).
    private let condition = NSCondition()
    private let storage: UnsafeMutableBufferPointer<UInt8>
    private let size: Int
    private var free: [Int]
    private var full: [(index: Int, count: Int)] = []
    private var fullStart = 0
    private var closed = false

    /// A block handed to the consumer.
    struct Full {
        fileprivate var index: Int
        fileprivate var count: Int
    }

    init(blocks: Int, size: Int) {
        self.size = max(size, 1)
        self.storage = .allocate(capacity: max(blocks, 2) * self.size)
        self.free = Array(0..<max(blocks, 2))
        full.reserveCapacity(max(blocks, 2))
    }

    deinit { storage.deallocate() }

    /// Producer: waits for a free block.
    func emptyBlock() -> Int {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty { condition.wait() }
        return free.removeLast()
    }

    /// Producer: the memory of block `index`.
    func buffer(_ index: Int) -> UnsafeMutableBufferPointer<UInt8> {
        // safe because: the range lies inside storage, and the caller owns the block.
        UnsafeMutableBufferPointer(rebasing: storage[index * size ..< (index + 1) * size])
    }

    /// Producer: hands `count` bytes of block `index` to the consumer (an empty block goes back to the free list).
    func publish(_ index: Int, count: Int) {
        condition.lock()
        defer { condition.unlock() }
        if count > 0 { full.append((index, count)) } else { free.append(index) }
        condition.broadcast()
    }

    /// Producer: no more blocks.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
    }

    /// Consumer: the next block in order, nil once the producer closed and all were taken.
    func nextFull() -> Full? {
        condition.lock()
        defer { condition.unlock() }
        while fullStart == full.count && !closed { condition.wait() }
        guard fullStart < full.count else { return nil }
        let next = full[fullStart]
        fullStart += 1
        if fullStart == full.count { full.removeAll(keepingCapacity: true); fullStart = 0 }
        return Full(index: next.index, count: next.count)
    }

    /// Consumer: reads the block's bytes.
    func withBlock<R>(_ block: Full, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        // safe because: the consumer owns the block until recycle; the pointer does not escape body.
        body(UnsafeBufferPointer(rebasing: storage[block.index * size ..< block.index * size + block.count]))
    }

    /// Consumer: gives the block back to the producer.
    func recycle(_ block: Full) {
        condition.lock()
        defer { condition.unlock() }
        free.append(block.index)
        condition.broadcast()
    }
}
