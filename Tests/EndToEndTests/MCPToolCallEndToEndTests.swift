import Foundation
import TestSupport
import Testing
import Tools

/// `binance-shell --mcp` calling real tools on the simulated exchange, over raw pipes.
@Suite(.serialized) struct MCPToolCallEndToEndTests {
    let stdio = MCPStdioTests()

    /// Sends each line and waits for its reply before the next, so no call is still running at end of input.
    func converse(_ lines: [String]) async throws -> (messages: [JSONValue], status: Int32?) {
        let home = try BinaryRunner.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let server = try MCPProcess(environment: BinaryRunner.cleanEnvironment(home: home))
        let (texts, status) = try await runOffThePool {
            var texts: [String] = []
            for line in lines {
                server.send(line)
                guard line.contains(#""id":"#) else { continue }
                while let text = try server.readLine(timeout: .seconds(120)) {
                    texts.append(text)
                    if text.contains(#""id":"#) { break }
                }
            }
            server.closeInput()
            let status = server.waitForExit(timeout: .seconds(30))
            while let text = try server.readLine(timeout: .seconds(5)) { texts.append(text) }
            return (texts, status)
        }
        return (try texts.map { try JSONValue.parse(Data($0.utf8)) }, status)
    }

    @Test func transcriptInitializeListCall() async throws {
        let (messages, status) = try await converse([
            MCPStdioTests.initialize,
            MCPStdioTests.initialized,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_ticker_price","arguments":{"symbol":"BTCUSDT"}}}"#,
        ])
        #expect(status == 0)
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

    @Test func discoverServesStatelessClients() async throws {
        let meta = #"{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}"#
        let (messages, status) = try await converse([
            #"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":\#(meta)}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_status","_meta":\#(meta)}}"#,
        ])
        #expect(status == 0)
        messages.forEach(stdio.expectJSONRPC)
        let discover = try #require(messages.first { $0["id"] == .int(1) }?["result"])
        #expect(discover["resultType"] == .string("complete"))
        #expect(discover["supportedVersions"]?.arrayValue?.contains(.string("2026-07-28")) == true)
        let getStatus = try #require(messages.first { $0["id"] == .int(2) }?["result"])
        #expect(getStatus["resultType"] == .string("complete"))
        #expect(getStatus["structuredContent"]?["success"] == .bool(true))
        #expect(getStatus["structuredContent"]?["data"]?["venue"] == .string("sim"))
    }
}
