import Testing
@testable import CorsLogKit

/// `HTTPMethod(_ bytes:)` compares words, not characters: it must name exactly the methods
/// `HTTPMethod(rawValue:)` names, and nothing near them.
@Suite struct HTTPMethodTests {
    static func method(_ bytes: [UInt8]) -> HTTPMethod? {
        bytes.withUnsafeBufferPointer { HTTPMethod(ByteSlice($0)) }
    }

    static func reference(_ bytes: [UInt8]) -> HTTPMethod? {
        HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
    }

    @Test func everyNameGivesItsMethod() {
        for m in HTTPMethod.allCases {
            #expect(Self.method(Array(m.rawValue.utf8)) == m, "\(m.rawValue)")
            #expect(Self.method(Array(m.rawValue.lowercased().utf8)) == nil, "\(m.rawValue.lowercased())")
        }
    }

    @Test func nearMissesGiveNoMethod() {
        var checked = 0
        for m in HTTPMethod.allCases {
            let name = Array(m.rawValue.utf8)
            var variants: [[UInt8]] = [Array(name.dropLast()), Array(name.dropFirst()), name + [UInt8(ascii: "S")],
                                       [UInt8(ascii: "X")] + name, name + [0], name + name]
            for i in name.indices {
                for b: UInt8 in [0, 0x20, name[i] ^ 0x01, name[i] ^ 0x20, name[i] ^ 0x80, 0xFF] where b != name[i] {
                    var v = name
                    v[i] = b
                    variants.append(v)
                }
            }
            for v in variants {
                #expect(Self.method(v) == Self.reference(v), "\(v)")
                checked += 1
            }
        }
        for n in 0...12 {
            #expect(Self.method(Array(repeating: UInt8(ascii: "A"), count: n)) == nil)
        }
        #expect(checked > 500)
    }
}
