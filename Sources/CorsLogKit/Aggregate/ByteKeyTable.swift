#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded cache from byte strings to small integers, looked up without
/// allocating: keys live in one arena, the table is open addressing with linear
/// probing.
///
/// Used to resolve the raw bytes of an Origin (or the origin part of a Referer)
/// once, however many lines repeat them. It is a cache, so when it is full it
/// is simply emptied: a flood of distinct values costs bounded memory.
struct ByteKeyTable {
    private struct Slot {
        var hash: UInt64 = 0
        var offset: Int32 = 0
        var length: Int32 = -1   // -1: empty
        var value: Int32 = 0
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private(set) var count = 0
    private let maxEntries: Int
    private let maxArenaBytes: Int

    init(maxEntries: Int = 1 << 16, maxArenaBytes: Int = 8 << 20) {
        self.maxEntries = maxEntries
        self.maxArenaBytes = maxArenaBytes
        var size = 16
        while size < maxEntries * 2 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        arena.reserveCapacity(min(maxArenaBytes, 1 << 20))
    }

    /// The value stored for `key`, if any.
    func value(for key: ByteSlice, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[i]
            if slot.length < 0 { return nil }
            if slot.hash == hash && Int(slot.length) == key.count && matches(slot, key) {
                return slot.value
            }
            i = (i + 1) & mask
        }
    }

    /// Whether storing a new key of `count` bytes empties the table first (`insert`): a
    /// caller that keeps values beside the table drops them then too.
    func isFull(forKeyOf count: Int) -> Bool {
        self.count >= maxEntries || arena.count + count > maxArenaBytes
    }

    /// Stores `value` for `key`; empties the table first when it is full.
    mutating func insert(_ key: ByteSlice, hash: UInt64, value: Int32) {
        if count >= maxEntries || arena.count + key.count > maxArenaBytes { removeAll() }
        guard key.count <= maxArenaBytes else { return }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i].length >= 0 {
            if slots[i].hash == hash && Int(slots[i].length) == key.count && matches(slots[i], key) {
                slots[i].value = value
                return
            }
            i = (i + 1) & mask
        }
        let offset = arena.count
        key.withBuffer { arena.append(contentsOf: $0) }
        slots[i] = Slot(hash: hash, offset: Int32(offset), length: Int32(key.count), value: value)
        count += 1
    }

    mutating func removeAll() {
        for i in slots.indices { slots[i].length = -1 }
        arena.removeAll(keepingCapacity: true)
        count = 0
    }

    @inline(__always)
    private func matches(_ slot: Slot, _ key: ByteSlice) -> Bool {
        let start = Int(slot.offset)
        return arena.withUnsafeBufferPointer { a in
            // safe because: the slot's [offset, offset + length) lies inside the arena
            // (written by insert), length == key.count was checked by the caller; the
            // slice does not outlive this closure.
            key.sameBytes(as: ByteSlice(base: a.baseAddress.map { $0 + start }, count: key.count))
        }
    }
}
