import BinanceAPI
import Foundation
import Shell
import Testing
import TestSupport
import Tools

/// The README's tool table must be the one the registry writes. Run the test with
/// `BINANCE_SHELL_UPDATE_README=1` to rewrite the table after changing a tool.
struct ReadmeToolTableTests {
    static let begin = "<!-- tool table: written by ReadmeToolTableTests; do not edit by hand -->"
    static let end = "<!-- end of tool table -->"

    @Test func readmeTableMatchesTheRegistry() throws {
        let home = try BinaryRunner.temporaryHome()
        let configuration = try Configuration.load(
            environment: ["BINANCE_SHELL_HOME": home, "MCP_LOG_SECURITY": "false"], envFileText: nil)
        let engine = try ToolEngine.make(
            configuration: configuration, transport: UnreachableTransport(), credentials: nil,
            logger: Logger(label: "test", handler: nil))
        let expected = ToolReference.markdownTable(tools: engine.tools)

        let readme = BinaryRunner.packageRoot.appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: Self.begin), "README.md lacks the tool table's opening marker")
        let stop = try #require(text.range(of: Self.end, range: start.upperBound..<text.endIndex),
                                "README.md lacks the tool table's closing marker")
        let current = text[start.upperBound..<stop.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)

        if current != expected, ProcessInfo.processInfo.environment["BINANCE_SHELL_UPDATE_README"] == "1" {
            let updated = text.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: "\n" + expected + "\n")
            try updated.write(to: readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == expected, "README.md's tool table is stale; rerun with BINANCE_SHELL_UPDATE_README=1")
    }

    @Test func tableRowsShowShortFormsAndRequired() throws {
        let table = ToolReference.markdownTable(tools: ShellFakeTools.tools())
        let rows = table.split(separator: "\n").dropFirst(2)
        #expect(rows.count == ShellFakeTools.tools().count)
        let book = try #require(rows.first { $0.hasPrefix("| `get_order_book` |") })
        #expect(book.contains("| `book` |"))
        #expect(book.contains("**symbol**, limit"))
    }
}
