import BinanceAPI
import Foundation
import Testing
import TestSupport

@testable import Tools

/// Bytes a terminal acts on: C0 controls other than newline and tab, DEL, and C1 controls in UTF-8.
private func rawControlCharacter(in text: String) -> Unicode.Scalar? {
    text.unicodeScalars.first { scalar in
        (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }
}

private let ansiRed = "\u{1B}[31mred\u{1B}[0m"
private let megabyte = String(repeating: "A", count: 1_048_576)

@Suite struct SafetyHostileInputTests {
    @Test(arguments: [
        ("BTCUSDT", "'BTCUSDT'"),
        ("BTC/USDT", "'BTC/USDT'"),
        ("it's", "'it\\'s'"),
        ("a\\b", "'a\\\\b'"),
        ("line\nfake line", "'line\\nfake line'"),
        ("cr\rtab\t", "'cr\\rtab\\t'"),
        ("nul\u{0}end", "'nul\\0end'"),
        (ansiRed, "'\\u{1B}[31mred\\u{1B}[0m'"),
        ("c1\u{9B}2J", "'c1\\u{9B}2J'"),
        ("del\u{7F}", "'del\\u{7F}'"),
        ("bidi\u{202E}txt.exe", "'bidi\\u{202E}txt.exe'"),
        ("invalid\u{FFFD}", "'invalid\\u{FFFD}'"),
        ("é ü 日本", "'é ü 日本'"),
    ])
    func quotingEscapesEveryControl(value: String, expected: String) {
        #expect(UntrustedText.quoted(value) == expected)
    }

    @Test func megabyteValueIsCutWithItsLength() {
        let quoted = UntrustedText.quoted(megabyte)

        #expect(quoted == "'" + String(repeating: "A", count: 64) + "…' (1048576 bytes)")
    }

    @Test func cutNeverSplitsAnEscape() {
        let value = String(repeating: "a", count: 60) + "\u{1B}" + String(repeating: "b", count: 10)

        let quoted = UntrustedText.quoted(value)

        #expect(quoted == "'" + String(repeating: "a", count: 60) + "…' (71 bytes)")
    }

    @Test func invalidUTF8BytesAreShownAsHex() {
        let bytes: [UInt8] = [0x41, 0xFF, 0x42, 0xC3, 0x28, 0xE2, 0x82, 0x1B]

        #expect(UntrustedText.quoted(bytes: bytes) == "'A\\xFFB\\xC3(\\xE2\\x82\\u{1B}'")
    }

    @Test func escapingControlsKeepsNewlinesAndPlainText() {
        let plain = "Line one\nLine two\tand 70000.12 BTCUSDT é"

        #expect(UntrustedText.escapingControls(plain) == plain)
        #expect(UntrustedText.escapingControls("a\u{1B}[2Jb\u{9B}c\u{0}") == "a\\u{1B}[2Jb\\u{9B}c\\u{00}")
    }

    @Test func escapingControlsReachesNestedJSON() {
        let clean: JSONValue = .object(["symbol": .string("BTCUSDT"), "list": .array([.string("€ and é"), .int(1)])])
        let hostile: JSONValue = .object([
            "symbol": .string("BTCUSDT"),
            "list": .array([.string("clean"), .object(["deep": .string("x\u{1B}[2J")])]),
            "key\u{202E}": .bool(true),
        ])

        #expect(UntrustedText.escapingControls(clean) == clean)
        #expect(
            UntrustedText.escapingControls(hostile)
                == .object([
                    "symbol": .string("BTCUSDT"),
                    "list": .array([.string("clean"), .object(["deep": .string("x\\u{1B}[2J")])]),
                    "key\\u{202E}": .bool(true),
                ])
        )
    }

    @Test func validationMessagesQuoteHostileValues() throws {
        let tool = SafetyFixtures.orderTool

        #expect(throws: ToolError.validation(
            "Invalid symbol '\\u{1B}[31mred\\u{1B}[0m': expected 2 to 20 letters and digits such as BTCUSDT, with no "
                + "'/' or spaces."
        )) {
            try ArgumentDecoder.decode(["symbol": .string(ansiRed), "side": "BUY", "order_type": "LIMIT"], for: tool)
        }
        #expect(throws: ToolError.validation(
            "Invalid symbol '\(String(repeating: "A", count: 64))…' (1048576 bytes): expected 2 to 20 letters and "
                + "digits such as BTCUSDT, with no '/' or spaces."
        )) {
            try ArgumentDecoder.decode(["symbol": .string(megabyte), "side": "BUY", "order_type": "LIMIT"], for: tool)
        }
    }

    @Test func hostileInputNeverReachesOutputsRaw() async throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let securityLines = LineCollector()
        let engine = SafetyFixtures.engine(
            try SafetyFixtures.configuration(["MCP_RATE_LIMIT_ENABLED": "false"], home: home.path),
            transport: RecordingTransport(),
            securityEventSink: securityLines.append
        )
        let invocation = SafetyFixtures.invocation(.mcp)
        let hostile = ["\u{1B}]0;pwned\u{7}\u{1B}[2J", "a\u{0}b\nline 2: fake\r\u{9B}31m", "\u{202E}gnp.exe", megabyte]

        var results: [ToolResult] = []
        for value in hostile {
            results.append(await engine.invoke(value, arguments: [:], invocation: invocation))
            results.append(await engine.invoke("test_order", arguments: [value: .string("x")], invocation: invocation))
            results.append(
                await engine.invoke(
                    "test_order",
                    arguments: ["symbol": .string(value), "side": .string("BUY"), "order_type": .string("LIMIT")],
                    invocation: invocation
                )
            )
        }
        let auditData = try Data(contentsOf: URL(fileURLWithPath: home.path + "/" + AuditLog.fileName))
        let auditText = String(decoding: auditData, as: UTF8.self)

        for result in results {
            let message = try #require(result.structured["error"]?["message"]?.stringValue)
            #expect(rawControlCharacter(in: message) == nil, "\(message)")
            #expect(!message.contains("\n"), "\(message)")
            #expect(message.utf8.count < 400, "\(message.prefix(100))")
        }
        #expect(results.contains { $0.structured["error"]?["message"]?.stringValue?.contains("(1048576 bytes)") == true })
        #expect(rawControlCharacter(in: auditText) == nil)
        #expect(auditText.utf8.count < 200_000)
        #expect(auditText.contains("\\\\u{1B}]0;pwned"))
        #expect(securityLines.lines.count == results.count)
        for line in securityLines.lines {
            #expect(rawControlCharacter(in: line) == nil)
            #expect(!line.contains("\n"))
        }
        #expect(AuditLog.verify(path: home.path).isValid)
    }

    @Test func redactingLoggerEscapesControls() {
        let records = LockedValue<[(message: String, metadata: Logger.Metadata)]>([])
        let base = Logger(label: "test", minimumLevel: .trace) { _, message, metadata in
            records.withLock { $0.append((message, metadata)) }
        }

        base.redacting(with: Redactor()).error("bad \u{1B}[2J value", ["value": "x\u{9B}y"])

        let record = records.withLock { $0.first }
        #expect(record?.message == "bad \\u{1B}[2J value")
        #expect(record?.metadata["value"] == "x\\u{9B}y")
    }

    @Test func errorResultsCarryNoRawControls() {
        let error = ToolError(.binanceAPIError, "Exchange said \u{1B}[31mno\u{1B}[0m\nsecond line", hint: "Retry \u{7}")

        let redacted = Redactor().redact(error)

        #expect(redacted.message == "Exchange said \\u{1B}[31mno\\u{1B}[0m\nsecond line")
        #expect(redacted.hint == "Retry \\u{07}")
    }

    @Test func scriptErrorsReachTheTerminalEscaped() throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let hostile = "\u{1B}]0;pwned\u{7}\u{1B}[2J\u{9B}31m"

        let output = try BinaryRunner.run(
            ["-c", "\(hostile); price \u{1B}[31mBTC"],
            environment: BinaryRunner.cleanEnvironment(home: home.path)
        )

        #expect(output.status == 1)
        #expect(rawControlCharacter(in: output.stderr) == nil, "\(output.stderr)")
        #expect(rawControlCharacter(in: output.stdout) == nil, "\(output.stdout)")
        // `;` separates commands in -c, so the hostile text arrives as two unknown commands.
        #expect(output.stderr.contains("line 1: Unknown command '\\u{1B}]0'."))
        #expect(output.stderr.contains("Invalid symbol '\\u{1B}[31mBTC'"))
    }
}
