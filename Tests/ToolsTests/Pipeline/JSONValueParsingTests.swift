import BinanceAPI
import Foundation
import Testing

@testable import Tools

/// The direct JSON reader behind `JSONValue.parse` must give exactly what `JSONDecoder` gives, and leave to
/// `JSONDecoder` everything it does not accept.
struct JSONValueParsingTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/fixtures/binance").standardizedFileURL

    static func reference(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    @Test func recordedBinanceRepliesParseAsJSONDecoderParsesThem() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count > 20)
        for name in names {
            let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(name))
            let direct = JSONValue.parseDirectly(data)
            #expect(direct != nil, "\(name) took the fallback")
            #expect(direct == (try Self.reference(data)), "\(name)")
            // Serializing both gives the same text too, so decimals keep their digits.
            #expect(direct?.serialized() == (try Self.reference(data)).serialized(), "\(name)")
        }
    }

    @Test(arguments: [
        #"{"a":"0.00001000","b":0.00001000,"c":-12.5,"d":1e-8,"e":2E+3,"f":0,"g":-0.0,"h":28457283958123456}"#,
        #"[true,false,null,[],{},"",[[1]],{"x":{"y":[null]}}]"#,
        #" {"s":"tab\tquote\"slash\/back\\nl\nuni\u00e9\u20ac pair\ud83d\ude00 raw é"} "#,
        #"123456789012345678901234567890.123456789"#,
        #""top-level string""#,
        #"0.1"#,
    ])
    func valuesEqualJSONDecoder(text: String) throws {
        let data = Data(text.utf8)
        let direct = try #require(JSONValue.parseDirectly(data))
        let reference = try Self.reference(data)
        #expect(direct == reference)
        #expect(direct.serialized() == reference.serialized())
        #expect(try JSONValue.parse(data) == reference)
    }

    @Test(arguments: [
        #"{"a":1,}"#, #"[1,]"#, #"{"a" 1}"#, #"01"#, #"1."#, #".5"#, #"-"#, #"+1"#, #"tru"#, #"nul"#,
        #""unterminated"#, "\"control\u{01}char\"", #""bad \x escape""#, #""\ud800 lone""#, #"[1] 2"#, "",
        #"{"a":1,"a":2}"#
    ])
    func inputTheReaderDoesNotAcceptIsLeftToJSONDecoder(text: String) {
        #expect(JSONValue.parseDirectly(Data(text.utf8)) == nil)
        // Whatever JSONDecoder makes of it, `parse` agrees with JSONDecoder.
        let reference = try? Self.reference(Data(text.utf8))
        #expect((try? JSONValue.parse(Data(text.utf8))) == reference)
    }

    @Test func invalidUTF8IsRejected() {
        let data = Data([0x22, 0xC3, 0x28, 0x22])
        #expect(JSONValue.parseDirectly(data) == nil)
        #expect(throws: (any Error).self) { try JSONValue.parse(data) }
    }

    @Test func nestingDeeperThanTheLimitIsLeftToJSONDecoder() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(JSONValue.parseDirectly(Data(deep.utf8)) == nil)
        let shallow = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(JSONValue.parseDirectly(Data(shallow.utf8)) != nil)
    }

    @Test func serializedMembersJoinToTheObjectsSerialization() {
        let members: [String: JSONValue] = ["b": .int(2), "a": .string("x\"y"), "c": .array([.null, .bool(true)])]
        let pieces = JSONValue.serializedMembers(members)
        #expect(pieces.map(\.key) == ["a", "b", "c"])
        #expect("{" + pieces.map(\.text).joined(separator: ",") + "}" == JSONValue.object(members).serialized())
    }

    @Test func auditChainLineIsTheObjectWithItsHashSerializedOnce() {
        let head = AuditReceipt(seq: 41, hash: String(repeating: "ab", count: 32))
        let members: [String: JSONValue] = [
            "type": .string("tool_call"), "arguments": .object(["symbol": .string("BTCUSDT")]), "v": .int(1),
            "zeta": .string("after hash"), "alpha": .number(Decimal(string: "0.00001")!),
        ]
        let (receipt, line) = AuditLog.chain(members, after: head)
        var expected = members
        expected["seq"] = .int64(42)
        expected["prev_hash"] = .string(head.hash)
        let canonical = JSONValue.object(expected).serialized()
        #expect(receipt.seq == 42)
        #expect(receipt.hash == AuditLog.hash(canonical: canonical, previous: head.hash))
        expected["hash"] = .string(receipt.hash)
        #expect(line == JSONValue.object(expected).serialized())
    }
}
