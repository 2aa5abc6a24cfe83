import CorsLogKit

/// `Origin.parse` and `Origin.fromReferer` on arbitrary bytes. A valid origin
/// is printable ASCII without quotes or backslashes, and its serialisation
/// parses back to itself (normalisation is idempotent), as an Origin header
/// and (http and https) as a Referer. `ClientKey` on the same bytes: an IPv6 address has the
/// key of any other address in its /64.
enum OriginFuzz {
    static func run(_ data: UnsafeRawBufferPointer) {
        let slice = ByteSlice(data.assumingMemoryBound(to: UInt8.self))
        for value in [Origin.parse(slice), Origin.fromReferer(slice)] {
            switch value {
            case .origin(let origin):
                let s = origin.serialized
                FuzzTargets.check(s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f && $0 != 0x22 && $0 != 0x27 && $0 != 0x5c && $0 != 0x60 },
                                  "unsafe byte in \(s.debugDescription)")
                FuzzTargets.check(Origin.parse(s) == .origin(origin), "\(s) does not parse back to itself")
                if origin.isWebScheme {
                    FuzzTargets.check(Origin.fromReferer(s + "/") == .origin(origin), "\(s)/ as a Referer is not \(s)")
                }
            case .null:
                break
            case .invalid(let why):
                _ = why
            }
        }
        let key = ClientKey.hash(slice)
        if let network = slice.withBuffer({ ClientKey.network64($0) }), !slice.bytes.contains(UInt8(ascii: ".")) {
            let other = (0..<4).map { String(network[$0], radix: 16) }.joined(separator: ":") + "::1"
            let otherKey = Array(other.utf8).withUnsafeBufferPointer { ClientKey.hash(ByteSlice($0)) }
            FuzzTargets.check(otherKey == key, "\(other) is not in the /64 of the input")
        }
        let text = String(decoding: data, as: UTF8.self)
        _ = Origin.parse(text)
        _ = Origin.fromReferer(text)
    }
}
