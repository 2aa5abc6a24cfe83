#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Cuts a stream of byte blocks into lines, in constant memory.
///
/// Grammar implemented (bytes, no decoding):
///
///     stream     = *( line terminator ) [ line ]   ; a final line without LF is still a line
///     terminator = [ CR ] LF                      ; a CR is only part of the terminator right before LF
///     line       = *( any byte except LF )        ; NUL, lone CR and invalid UTF-8 pass through untouched
///
/// A line that lies whole inside one block is handed out in place (no copy).
/// Only a line that spans blocks is copied into the carry buffer, which is
/// allocated once with `maxLineBytes` bytes and never grows: a line longer than
/// that is skipped up to its LF (only its length is counted) and reported as
/// overlong. Line numbers count every line, overlong ones included.
final class LineSplitter {
    let maxLineBytes: Int
    /// Start of a line that began in an earlier block (at most `maxLineBytes` bytes).
    private let carry: UnsafeMutablePointer<UInt8>
    private var carryCount = 0
    /// A CR arrived when the carry was exactly full: terminator or content, decided by the next byte.
    private var pendingCR = false
    /// Inside an overlong line: skip to its LF, counting bytes.
    private var skipping = false
    private var skippedBytes = 0
    private var skippedEndsWithCR = false

    /// Number of the last line ended (delivered or overlong).
    private(set) var lineNumber = 0
    /// Lines delivered to `onLine`.
    private(set) var lines = 0
    /// Lines over `maxLineBytes`, skipped.
    private(set) var overlongLines = 0
    /// Largest number of bytes the carry buffer ever held (a test hook: stays <= maxLineBytes).
    private(set) var peakCarryBytes = 0

    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    init(maxLineBytes: Int, firstLineNumber: Int = 1) {
        self.maxLineBytes = max(maxLineBytes, 1)
        self.carry = .allocate(capacity: self.maxLineBytes)
        self.lineNumber = max(firstLineNumber, 1) - 1
    }

    deinit { carry.deallocate() }

    /// Splits one block; lines that end in it are delivered, the unfinished tail is carried.
    func feed(_ block: UnsafeBufferPointer<UInt8>,
              onLine: (ByteSlice, Int) -> Void,
              onOverlongLine: (Int, Int) -> Void) {
        guard let base = block.baseAddress, block.count > 0 else { return }
        let count = block.count
        var position = 0
        if pendingCR {
            pendingCR = false
            if base[0] == Self.lf {
                deliverCarry(count: carryCount, onLine: onLine)
                position = 1
            } else {
                // The CR was content: the line is already maxLineBytes + 1 long.
                skipping = true
                skippedBytes = carryCount + 1
                skippedEndsWithCR = true
                carryCount = 0
            }
        }
        while position < count {
            let rest = count - position
            // safe because: [position, count) lies inside block, which is valid for this call.
            guard let hit = memchr(base + position, Int32(Self.lf), rest) else {
                stash(base + position, rest)
                return
            }
            let newline = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            endLine(base + position, newline - position, onLine: onLine, onOverlongLine: onOverlongLine)
            position = newline + 1
        }
    }

    /// Ends the input: an unfinished final line is delivered (or counted as overlong),
    /// or, with `holdTail`, kept back (a line still being written, read next time):
    /// returns how many bytes were held back.
    @discardableResult
    func finish(holdTail: Bool = false, onLine: (ByteSlice, Int) -> Void, onOverlongLine: (Int, Int) -> Void) -> Int {
        if holdTail {
            let held = pendingCR ? carryCount + 1 : skipping ? skippedBytes : carryCount
            pendingCR = false
            skipping = false
            carryCount = 0
            return held
        }
        if pendingCR {
            // A CR right before end of input is content (no LF follows): maxLineBytes + 1 bytes.
            pendingCR = false
            let length = carryCount + 1
            carryCount = 0
            reportOverlong(length: length, onOverlongLine: onOverlongLine)
        } else if skipping {
            skipping = false
            reportOverlong(length: skippedBytes, onOverlongLine: onOverlongLine)
        } else if carryCount > 0 {
            deliverCarry(count: carryCount, onLine: onLine)
        }
        return 0
    }

    /// A line whose LF is at `segment + length`; earlier parts may be in the carry.
    @inline(__always)
    private func endLine(_ segment: UnsafePointer<UInt8>, _ length: Int,
                         onLine: (ByteSlice, Int) -> Void,
                         onOverlongLine: (Int, Int) -> Void) {
        if skipping {
            let endsWithCR = length > 0 ? segment[length - 1] == Self.cr : skippedEndsWithCR
            let total = skippedBytes + length - (endsWithCR ? 1 : 0)
            skipping = false
            reportOverlong(length: total, onOverlongLine: onOverlongLine)
        } else if carryCount == 0 {
            // The common case: the whole line is in this block.
            let content = length > 0 && segment[length - 1] == Self.cr ? length - 1 : length
            if content > maxLineBytes {
                reportOverlong(length: content, onOverlongLine: onOverlongLine)
            } else {
                lineNumber += 1
                lines += 1
                onLine(ByteSlice(base: segment, count: content), lineNumber)
            }
        } else {
            let endsWithCR = length > 0 ? segment[length - 1] == Self.cr : carry[carryCount - 1] == Self.cr
            let content = carryCount + length - (endsWithCR ? 1 : 0)
            if content > maxLineBytes {
                carryCount = 0
                reportOverlong(length: content, onOverlongLine: onOverlongLine)
            } else {
                let copy = content - carryCount
                if copy > 0 {
                    // safe because: carryCount + copy = content <= maxLineBytes, the
                    // carry capacity, and segment holds at least copy bytes.
                    (carry + carryCount).update(from: segment, count: copy)
                }
                deliverCarry(count: content, onLine: onLine)
            }
        }
    }

    /// Keeps the unfinished tail of a block (no LF in it).
    private func stash(_ segment: UnsafePointer<UInt8>, _ length: Int) {
        let endsWithCR = segment[length - 1] == Self.cr
        if skipping {
            skippedBytes += length
            skippedEndsWithCR = endsWithCR
            return
        }
        let total = carryCount + length
        if total <= maxLineBytes {
            // safe because: total <= maxLineBytes, the carry capacity.
            (carry + carryCount).update(from: segment, count: length)
            carryCount = total
        } else if total == maxLineBytes + 1 && endsWithCR {
            // Exactly full plus a CR that may be the terminator: keep the content, remember the CR.
            (carry + carryCount).update(from: segment, count: length - 1)
            carryCount = maxLineBytes
            pendingCR = true
        } else {
            skipping = true
            skippedBytes = total
            skippedEndsWithCR = endsWithCR
            carryCount = 0
        }
        peakCarryBytes = max(peakCarryBytes, carryCount)
    }

    private func deliverCarry(count: Int, onLine: (ByteSlice, Int) -> Void) {
        peakCarryBytes = max(peakCarryBytes, count)
        lineNumber += 1
        lines += 1
        carryCount = 0
        // safe because: the carry holds count initialised bytes and is not
        // modified while onLine runs.
        onLine(ByteSlice(base: carry, count: count), lineNumber)
    }

    private func reportOverlong(length: Int, onOverlongLine: (Int, Int) -> Void) {
        lineNumber += 1
        overlongLines += 1
        onOverlongLine(lineNumber, length)
    }
}
