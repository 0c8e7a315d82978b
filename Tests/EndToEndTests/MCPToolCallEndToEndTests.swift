import Foundation
import TestSupport
import Testing
import Tools

/// `binance-shell --mcp` calling real tools on the simulated exchange, over raw pipes.
@Suite struct MCPToolCallEndToEndTests {
    let stdio = MCPStdioTests()

    @Test func transcriptInitializeListCall() throws {
        let (messages, output) = try stdio.run([
            MCPStdioTests.initialize,
            MCPStdioTests.initialized,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_ticker_price","arguments":{"symbol":"BTCUSDT"}}}"#,
        ])
        #expect(output.status == 0)
        #expect(!output.timedOut)
        #expect(output.stdout.hasSuffix("\n"))
        messages.forEach(stdio.expectJSONRPC)
        #expect(messages.count == 3)

        let initialize = try #require(messages.first { $0["id"] == .int(1) })
        #expect(initialize["result"]?["protocolVersion"] == .string("2025-11-25"))
        #expect(initialize["result"]?["serverInfo"]?["name"] == .string("binance-shell"))

        let list = try #require(messages.first { $0["id"] == .int(2) })
        let tools = try #require(list["result"]?["tools"]?.arrayValue)
        let ticker = try #require(tools.first { $0["name"] == .string("get_ticker_price") })
        #expect(ticker["inputSchema"]?["required"] == .array([.string("symbol")]))
        #expect(ticker["annotations"]?["readOnlyHint"] == .bool(true))

        let call = try #require(messages.first { $0["id"] == .int(3) })
        let result = try #require(call["result"])
        #expect(result["isError"] == .bool(false), "get_ticker_price failed: \(result.serialized())")
        let structured = try #require(result["structuredContent"])
        #expect(structured["success"] == .bool(true))
        #expect(structured["data"]?["symbol"] == .string("BTCUSDT"))
        let text = try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(try JSONValue.parse(Data(text.utf8)) == structured)
    }

    @Test func discoverServesStatelessClients() throws {
        let meta = #"{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#
        let (messages, output) = try stdio.run([
            #"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":\#(meta)}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_status","_meta":\#(meta)}}"#,
        ])
        #expect(output.status == 0)
        messages.forEach(stdio.expectJSONRPC)
        let discover = try #require(messages.first { $0["id"] == .int(1) }?["result"])
        #expect(discover["resultType"] == .string("complete"))
        #expect(discover["supportedVersions"]?.arrayValue?.contains(.string("2026-07-28")) == true)
        let status = try #require(messages.first { $0["id"] == .int(2) }?["result"])
        #expect(status["resultType"] == .string("complete"))
        #expect(status["structuredContent"]?["success"] == .bool(true))
    }
}
