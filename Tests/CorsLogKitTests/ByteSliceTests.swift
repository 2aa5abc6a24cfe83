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
}
