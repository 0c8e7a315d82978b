import Foundation
import MCP
import Testing
import Tools

@Suite struct JSONRPCFramingTests {
    @Test(arguments: ["0", "7", "-42", "1000000", "18446744073709551615", "123456789012345678901234567890"])
    func integerRequestIDDescriptionIsItsDigits(_ text: String) throws {
        let number = try #require(Decimal(string: text))
        let id = try #require(RequestID(json: .number(number)))
        #expect(id.description == text)
    }

    @Test func invalidJSONGetsParseErrorWithNullID() async throws {
        let harness = try MCPHarness()
        await harness.send(#"{"jsonrpc":"2.0","id":1,"method":"ping""#)
        let reply = try await harness.sink.waitFor("parse error") { _ in true }
        #expect(reply["id"] == .null)
        #expect(reply["error"]?["code"] == .int(-32700))
    }

    @Test func frameDecoderAcceptsMultibyteText() throws {
        let line = Data(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"note":"prix en € — 価格"}}"#.utf8)

        let frame = FrameDecoder.decode(line)

        guard case .message(let message) = frame else {
            Issue.record("expected a message, got \(frame)")
            return
        }
        #expect(message["params"]?["note"] == .string("prix en € — 価格"))
    }

    @Test func frameDecoderRejectsTruncatedMultibyte() {
        var line = Data(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"note":""#.utf8)
        line.append(contentsOf: [0xE2, 0x82])
        line.append(contentsOf: Data(#""}}"#.utf8))

        #expect(FrameDecoder.decode(line) == .failure(.parseError("Parse error: the message is not valid UTF-8.")))
    }

    @Test func frameDecoderCountsDepthOutsideStrings() {
        let deep = String(repeating: "[", count: FrameDecoder.maximumDepth + 1)
        let quoted = Data(("{\"a\":\"" + deep + "\"}").utf8)
        let nested = Data(deep.utf8)

        guard case .message = FrameDecoder.decode(quoted) else {
            Issue.record("brackets inside a string counted as nesting")
            return
        }
        guard case .failure(let error) = FrameDecoder.decode(nested) else {
            Issue.record("nesting deeper than the limit was accepted")
            return
        }
        #expect(error.code == -32600)
    }

    @Test func invalidUTF8GetsParseError() async throws {
        let harness = try MCPHarness()
        var bytes = Data(#"{"jsonrpc":"2.0","id":1,"method":"p"#.utf8)
        bytes.append(contentsOf: [0xC3, 0x28, 0xFF])
        bytes.append(contentsOf: Data(#""}"#.utf8))
        await harness.server.receive(.line(bytes))
        let reply = try await harness.sink.waitFor("parse error") { _ in true }
        #expect(reply["error"]?["code"] == .int(-32700))
        #expect(reply["id"] == .null)
    }

    @Test func deepNestingIsRejectedWithoutCrashing() async throws {
        let harness = try MCPHarness()
        let depth = 200_000
        await harness.send(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        let reply = try await harness.sink.waitFor("invalid request") { _ in true }
        #expect(reply["error"]?["code"] == .int(-32600))
        #expect(reply["id"] == .null)
    }

    @Test func oversizedLineGetsInvalidRequest() async throws {
        let harness = try MCPHarness()
        await harness.server.receive(.oversized(byteCount: 20_000_000))
        let reply = try await harness.sink.waitFor("invalid request") { _ in true }
        #expect(reply["error"]?["code"] == .int(-32600))
        #expect(reply["id"] == .null)
    }

    @Test func megabyteMessageIsAnswered() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let padding = String(repeating: "x", count: 1_048_576)
        let reply = try await harness.request(7, "ping", #"{"_meta":{"padding":"\#(padding)"}}"#)
        #expect(reply["result"] == .object([:]))
    }

    @Test func blankLinesGetNoReply() async throws {
        let harness = try MCPHarness()
        await harness.send("")
        await harness.send("   \r")
        try await harness.request(1, "ping")
        #expect(harness.sink.all.count == 1)
    }

    struct BadRequest: CustomStringConvertible, Sendable {
        var description: String
        var line: String
        var code: Int
        var id: JSONValue
    }

    static let badRequests: [BadRequest] = [
        BadRequest(description: "missing jsonrpc", line: #"{"id":1,"method":"ping"}"#, code: -32600, id: .int(1)),
        BadRequest(description: "wrong jsonrpc", line: #"{"jsonrpc":"1.0","id":2,"method":"ping"}"#, code: -32600, id: .int(2)),
        BadRequest(description: "null id", line: #"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, code: -32600, id: .null),
        BadRequest(description: "fractional id", line: #"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#, code: -32600, id: .null),
        BadRequest(description: "object id", line: #"{"jsonrpc":"2.0","id":{},"method":"ping"}"#, code: -32600, id: .null),
        BadRequest(description: "numeric method", line: #"{"jsonrpc":"2.0","id":3,"method":42}"#, code: -32600, id: .int(3)),
        BadRequest(description: "missing method", line: #"{"jsonrpc":"2.0","id":4}"#, code: -32600, id: .int(4)),
        BadRequest(description: "params array", line: #"{"jsonrpc":"2.0","id":5,"method":"ping","params":[1]}"#, code: -32602, id: .int(5)),
        BadRequest(description: "top-level number", line: "42", code: -32600, id: .null),
        BadRequest(description: "top-level string", line: #""ping""#, code: -32600, id: .null),
        BadRequest(description: "batch", line: #"[{"jsonrpc":"2.0","id":6,"method":"ping"}]"#, code: -32600, id: .null),
        BadRequest(description: "empty object", line: "{}", code: -32600, id: .null),
    ]

    @Test(arguments: badRequests)
    func malformedRequestGetsError(_ bad: BadRequest) async throws {
        let harness = try MCPHarness()
        await harness.send(bad.line)
        let reply = try await harness.sink.waitFor(bad.description) { _ in true }
        #expect(reply["jsonrpc"] == .string("2.0"))
        #expect(reply["error"]?["code"] == .int(bad.code))
        #expect(reply["id"] == bad.id)
        #expect(reply["error"]?["message"]?.stringValue?.isEmpty == false)
    }

    @Test func notificationsNeverGetReplies() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let before = harness.sink.all.count
        await harness.send(#"{"jsonrpc":"2.0","method":"notifications/unknown"}"#)
        await harness.send(#"{"jsonrpc":"2.0","method":"tools/call","params":{"name":"nope"}}"#)
        await harness.send(#"{"method":"ping"}"#)
        await harness.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":999}}"#)
        await harness.send(#"{"jsonrpc":"2.0","method":"ping","params":[1]}"#)
        try await harness.request(50, "ping")
        let after = harness.sink.all.dropFirst(before)
        #expect(after.count == 1)
        #expect(after.first?["id"] == .int(50))
    }

    @Test func stringIDsAreEchoed() async throws {
        let harness = try MCPHarness()
        await harness.send(#"{"jsonrpc":"2.0","id":"abc-1","method":"ping"}"#)
        let reply = try await harness.sink.response(id: .string("abc-1"))
        #expect(reply["result"] == .object([:]))
    }

    @Test func everyMessageSerializesToOneLine() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        try await harness.request(1, "tools/call", #"{"name":"echo_price","arguments":{"symbol":"line\nbreak"}}"#)
        for message in harness.sink.all {
            #expect(!message.serialized().contains("\n"))
        }
    }
}

@Suite struct LineSplitterTests {
    @Test func splitsLinesAndStripsCarriageReturn() {
        var splitter = LineSplitter(maximumLineLength: 100)
        let lines = splitter.append(Array("a\r\nbc\n".utf8))
        #expect(lines == [.line(Data("a".utf8)), .line(Data("bc".utf8))])
        #expect(splitter.finish() == nil)
    }

    @Test func joinsLinesAcrossChunks() {
        var splitter = LineSplitter(maximumLineLength: 100)
        #expect(splitter.append(Array("ab".utf8)).isEmpty)
        #expect(splitter.append(Array("c\nd".utf8)) == [.line(Data("abc".utf8))])
        #expect(splitter.finish() == .line(Data("d".utf8)))
    }

    @Test func dropsLinesOverTheLimit() {
        var splitter = LineSplitter(maximumLineLength: 4)
        let lines = splitter.append(Array("123456789\nok\n".utf8))
        #expect(lines == [.oversized(byteCount: 9), .line(Data("ok".utf8))])
    }
}
