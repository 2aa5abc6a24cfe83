import Testing
@testable import CorsLogKit

@Suite struct ByteSliceTests {
    @Test func comparesIgnoringASCIICase() {
        let bytes: [UInt8] = Array("OPTIONS".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let slice = ByteSlice(buffer)
            #expect(slice.equals("OPTIONS"))
            #expect(!slice.equals("options"))
            #expect(slice.equalsIgnoringASCIICase("options"))
            #expect(!slice.equalsIgnoringASCIICase("option"))
            #expect(slice.slice(1, 3).string == "PT")
        }
    }

    /// `tableHash` reads eight bytes at a time with an overlapping last word: every byte
    /// of every length must count, or distinct Origin values would share cache slots
    /// (and compare equal only by the memcmp behind them, slowly).
    @Test func everyByteOfEveryLengthChangesTheTableHash() {
        for n in 0...40 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: 0x41 + $0 * 7) }
            let h = bytes.withUnsafeBufferPointer { ByteSlice($0).tableHash }
            for i in 0..<n {
                var changed = bytes
                changed[i] ^= 0x01
                let g = changed.withUnsafeBufferPointer { ByteSlice($0).tableHash }
                #expect(g != h, "length \(n), byte \(i)")
            }
            // A longer value with the same leading bytes differs too.
            let longer = (bytes + [0]).withUnsafeBufferPointer { ByteSlice($0).tableHash }
            #expect(longer != h, "length \(n) + a zero byte")
        }
    }

    @Test func fnv1aIsTheStoredHash() {
        // FNV-1a 64 test vectors (the values summaries and state files keep).
        let vectors: [(String, UInt64)] = [("", 0xcbf2_9ce4_8422_2325), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8)]
        for (text, expected) in vectors {
            let h = Array(text.utf8).withUnsafeBufferPointer { ByteSlice($0).fnv1a }
            #expect(h == expected, "\(text)")
        }
    }
}
