import Foundation
import TestSupport
import Testing
import Tools

/// Script mode over pipes: quoted values across lines, and launch options the server must agree with.
struct ScriptQuotingTests {
    func run(_ arguments: [String], input: String = "") throws -> BinaryRunner.Output {
        let home = try BinaryRunner.temporaryHome()
        let output = try BinaryRunner.run(
            arguments,
            input: input,
            environment: BinaryRunner.cleanEnvironment(home: home, extra: ["MCP_LOG_SECURITY": "false"]),
            workingDirectory: home,
            timeout: .seconds(90)
        )
        #expect(!output.timedOut)
        return output
    }

    @Test func quotedValueSpansLinesOfAPipedScript() throws {
        let script = "# two lines in one value\nhelp 'first\nsecond'\nbogus\nprice ETHBTC\n"
        let output = try run(["--json"], input: script)
        #expect(output.status == 1)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3)
        let first = try JSONValue.parse(Data(lines[0].utf8))
        #expect(first["success"] == .bool(false))
        #expect(first["error"]?["message"]?.stringValue?.hasPrefix("No help for 'first\nsecond'.") == true)
        #expect(output.stderr.hasPrefix("line 2: No help for 'first\nsecond'."))
        #expect(output.stderr.contains("\nline 4: Unknown command 'bogus'."))
        #expect(try JSONValue.parse(Data(lines[2].utf8))["data"]?["symbol"] == .string("ETHBTC"))
    }

    @Test func scriptEndingInsideAQuoteNamesTheLine() throws {
        let output = try run([], input: "price BTCUSDT\nprice \"ETH\nBTC\n")
        #expect(output.status == 1)
        #expect(output.stderr == "line 2: Unterminated quote \" opened at column 7: close it with another \".\n")
    }

    @Test(arguments: ["localhost:0", "[::1]:0", "localhost"])
    func serveSimRejectsUnbindableHosts(_ address: String) throws {
        let output = try run(["--serve-sim", address])
        #expect(output.status == 2)
        #expect(output.stderr.contains("write the loopback address as IPv4 digits, such as 127.0.0.1"))
        #expect(output.stdout == "")
    }
}
