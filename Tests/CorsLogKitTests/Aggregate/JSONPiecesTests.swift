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

/// The scan `merge` reads a summary file with, a piece at a time: the elements and the rest
/// `JSONPieces.split` finds in the whole document, however the document is cut.
@Suite struct JSONArrayScanTests {
    private let document = #"{"a":{"b":"x\"[","origins":[9]},"evidence":{"n":[1,{"origins":[]}],"origins":[ {"o":"]}","v":[1,{"w":2}]} ,{"o":"\\"} ],"z":null},"t":[]}"#

    @Test(arguments: [1, 2, 7, 64, 10_000])
    func piecesOfAnySizeFindWhatTheWholeDocumentSplitsInto(pieceSize: Int) throws {
        let bytes = Array(document.utf8)
        let whole = try #require(JSONPieces.split(bytes, arrayAt: ["evidence", "origins"]))
        var scan = JSONArrayScan(path: ["evidence", "origins"])
        var i = 0
        while i < bytes.count {
            scan.feed(bytes[i..<min(i + pieceSize, bytes.count)])
            i += pieceSize
        }
        #expect(scan.succeeded)
        #expect(scan.elements == whole.elements)
        #expect(Data(scan.rest) == whole.rest)
        #expect(scan.elements.map { String(decoding: bytes[$0], as: UTF8.self) } == [#"{"o":"]}","v":[1,{"w":2}]}"#, #"{"o":"\\"}"#])
    }

    @Test func whatItDoesNotTakePlainlyFails() {
        for bad in [#"{"evidence":{"origins":[1]}}"#, #"{"evidence":{"origins":["x"]}}"#,
                    #"{"evidence":{"origins":[],"origins":[]}}"#, #"{"evidence":{"orig\u0069ns":[]}}"#,
                    #"{"evidence":{"origins":[{}]}"#, #"{"evidence":{"other":[]}}"#, #"{"evidence":{"origins":[{}]}}}"#] {
            var scan = JSONArrayScan(path: ["evidence", "origins"])
            scan.feed(Array(bad.utf8))
            #expect(!scan.succeeded, "\(bad)")
        }
    }
}
