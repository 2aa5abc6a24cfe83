import Foundation
import Testing
@testable import CorsLogKit

/// A document written with one array an element at a time is the whole document's text,
/// and splits back into the rest and that array's elements.
@Suite struct JSONPiecesTests {
    struct Item: Codable, Equatable { var name: String; var n: Int }
    struct Inner: Codable, Equatable { var items: [Item]; var tag: String }
    struct Doc: Codable, Equatable { var a: Int; var inner: Inner; var z: [String] }

    private let doc = Doc(a: 1, inner: Inner(items: (0..<300).map { Item(name: "i\"t]em{\($0)}", n: $0) }, tag: "[]"),
                          z: ["x", "]"])

    private var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    @Test func writtenInPiecesItIsTheWholeText() throws {
        var bare = doc
        bare.inner.items = []
        var pieces: [String] = []
        let encoder = self.encoder
        JSONPieces.emit(bare, arrayAt: ["inner", "items"], count: doc.inner.items.count, encoder: encoder,
                        element: { try! encoder.encode(doc.inner.items[$0]) }) { pieces.append($0) }
        #expect(pieces.joined() == String(decoding: try encoder.encode(doc), as: UTF8.self))
        #expect(pieces.count >= 2)
    }

    @Test func itSplitsBackIntoTheRestAndTheElements() throws {
        let bytes = [UInt8](try encoder.encode(doc))
        let (rest, elements) = try #require(JSONPieces.split(bytes, arrayAt: ["inner", "items"]))
        var back = try JSONDecoder().decode(Doc.self, from: rest)
        #expect(back.inner.items.isEmpty && back.inner.tag == "[]" && back.z == ["x", "]"])
        back.inner.items = try elements.map { try JSONDecoder().decode(Item.self, from: Data(bytes[$0])) }
        #expect(back == doc)
        #expect(JSONPieces.split(bytes, arrayAt: ["inner", "nothing"]) == nil)
        #expect(JSONPieces.split(bytes, arrayAt: ["inner", "tag"]) == nil)   // a string, not an array
    }
}
