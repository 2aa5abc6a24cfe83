import Foundation

/// A JSON document with one large array written and read an element at a time:
/// `JSONEncoder`/`JSONDecoder` over a whole summary at the origin cap (20,000 origins,
/// 16 MB of JSON) held 10 times that in their trees and maps.
///
/// Writing: the document is encoded with the array empty, and the elements are encoded
/// one by one into its place — the same bytes as encoding it whole, since the encoder
/// (sorted keys) writes each value the same wherever it stands. Reading: the document
/// without the array's elements is decoded as one small document, the elements alone.
enum JSONPieces {
    /// Emits the text of `document`, whose array at `path` is empty, with `count` elements
    /// there instead (`element(i)` encodes the i-th, in order).
    static func emit(_ document: some Encodable, arrayAt path: [String], count: Int, encoder: JSONEncoder,
                     element: (Int) -> Data, _ emit: (String) throws -> Void) rethrows {
        try self.emit(document, at: path, empty: "[]", count: count, encoder: encoder,
                      element: { String(decoding: element($0), as: UTF8.self) }, emit)
    }

    /// Emits the text of `document`, whose value at `path` is the empty array or object
    /// `empty`, with `count` elements or members (`element(i)`'s text) there instead.
    static func emit(_ document: some Encodable, at path: [String], empty: String, count: Int, encoder: JSONEncoder,
                     element: (Int) -> String, _ emit: (String) throws -> Void) rethrows {
        // Plain values, strings and numbers: encoding cannot fail.
        let bytes = [UInt8](try! encoder.encode(document))
        guard let slot = JSONMembers.value(at: path, in: bytes), bytes[slot].elementsEqual(empty.utf8) else {
            preconditionFailure("the document has no \(empty) at \(path)")
        }
        try emit(String(decoding: bytes[..<slot.lowerBound], as: UTF8.self) + String(empty.prefix(1)))
        var piece = ""
        for i in 0..<count {
            if i > 0 { piece += "," }
            piece += element(i)
            if piece.utf8.count >= 64 << 10 {
                try emit(piece)
                piece = ""
            }
        }
        try emit(piece + String(empty.suffix(1)) + String(decoding: bytes[slot.upperBound...], as: UTF8.self))
    }

    /// The document `bytes` with the array at `path` emptied, and that array's elements'
    /// ranges in `bytes`; nil if the path or the array is not plainly there.
    static func split(_ bytes: [UInt8], arrayAt path: [String]) -> (rest: Data, elements: [Range<Int>])? {
        guard let array = JSONMembers.value(at: path, in: bytes),
              let elements = JSONMembers.elements(bytes, in: array) else { return nil }
        var rest = Data(bytes[..<array.lowerBound])
        rest.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "]")])
        rest.append(contentsOf: bytes[array.upperBound...])
        return (rest, elements)
    }
}
