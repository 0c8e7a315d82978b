import BinanceAPI
import Foundation
import Testing
import TestSupport

@testable import Tools

private func writeEvents(_ count: Int, to log: AuditLog, origin: Origin = .shell, firstNumber: Int = 1) async throws {
    for number in firstNumber..<(firstNumber + count) {
        try await log.record(
            AuditEvent(
                .toolInvocation,
                requestID: String(number),
                origin: origin,
                tool: "tool_\(number)",
                arguments: .object(["symbol": .string("BTCUSDT")]),
                outcome: "success",
                latencyMilliseconds: 3,
                venue: .sim
            )
        )
    }
}

private func lines(of path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
}

private func write(_ lines: [String], to path: String) throws {
    chmod(path, 0o600)
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
}

private func problemMessages(_ verification: AuditVerification) -> [String] {
    verification.problems.map { "\($0.line): \($0.message)" }
}

@Suite struct SafetyAuditTests {
    @Test func intactChainVerifies() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let log = AuditLog(directory: directory)
        try await writeEvents(5, to: log)

        let verification = AuditLog.verify(path: directory)

        #expect(verification.isValid)
        #expect(verification.recordCount == 5)
        #expect(verification.last?.seq == 5)
        #expect(SecureFile.mode(ofPath: directory + "/audit.jsonl") == 0o600)
        #expect(SecureFile.mode(ofPath: directory + "/audit.head") == 0o600)
    }

    @Test func recordsCarryTheDocumentedMembers() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let log = AuditLog(directory: directory)
        try await writeEvents(2, to: log, origin: .mcp)

        let records = try lines(of: directory + "/audit.jsonl").map { try JSONValue.parse(Data($0.utf8)) }

        #expect(records[0]["seq"] == .int(1))
        #expect(records[0]["prev_hash"] == .string(AuditLog.genesisHash))
        #expect(records[1]["prev_hash"] == records[0]["hash"])
        #expect(records[1]["type"] == .string("tool_invocation"))
        #expect(records[1]["origin"] == .string("mcp"))
        #expect(records[1]["request_id"] == .string("2"))
        #expect(records[1]["tool"] == .string("tool_2"))
        #expect(records[1]["venue"] == .string("sim"))
        #expect(records[1]["latency_ms"] == .int(3))
        #expect(records[1]["outcome"] == .string("success"))
        #expect(records[1]["time"]?.stringValue?.hasSuffix("Z") == true)
    }

    @Test func editedRecordIsDetected() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        try await writeEvents(5, to: AuditLog(directory: directory))
        let path = directory + "/audit.jsonl"
        var records = try lines(of: path)
        records[2] = records[2].replacingOccurrences(of: "tool_3", with: "tool_9")
        try write(records, to: path)

        let verification = AuditLog.verify(path: path)

        #expect(problemMessages(verification) == ["3: record 3 was edited: its hash does not match its contents"])
    }

    @Test func deletedRecordIsDetected() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        try await writeEvents(5, to: AuditLog(directory: directory))
        let path = directory + "/audit.jsonl"
        var records = try lines(of: path)
        records.remove(at: 2)
        try write(records, to: path)

        let verification = AuditLog.verify(path: path)

        #expect(
            problemMessages(verification)
                == ["3: record 4 does not follow record 2: a record was deleted, inserted or moved"]
        )
    }

    @Test func reorderedRecordsAreDetected() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        try await writeEvents(5, to: AuditLog(directory: directory))
        let path = directory + "/audit.jsonl"
        var records = try lines(of: path)
        records.swapAt(1, 2)
        try write(records, to: path)

        let verification = AuditLog.verify(path: path)

        #expect(!verification.isValid)
        #expect(verification.problems.map(\.line) == [2, 3, 4])
    }

    @Test func fileCutInsideARecordIsDetected() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        try await writeEvents(3, to: AuditLog(directory: directory))
        let path = directory + "/audit.jsonl"
        let data = try #require(FileManager.default.contents(atPath: path))
        chmod(path, 0o600)
        try data.prefix(data.count - 20).write(to: URL(fileURLWithPath: path))

        let verification = AuditLog.verify(path: path)

        #expect(
            problemMessages(verification) == [
                "0: the file ends inside a record: it was cut short",
                "3: the line is not a complete audit record: it was edited or cut short",
                "0: the log ends at record 2 but its head file names record 3: records were removed from the end",
            ]
        )
    }

    @Test func recordsRemovedFromTheEndAreDetected() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        try await writeEvents(4, to: AuditLog(directory: directory))
        let path = directory + "/audit.jsonl"
        try write(Array(try lines(of: path).dropLast(2)), to: path)

        let verification = AuditLog.verify(path: path)

        #expect(
            problemMessages(verification)
                == ["0: the log ends at record 2 but its head file names record 4: records were removed from the end"]
        )
    }

    @Test func recordsRemovedFromTheStartAreDetected() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        try await writeEvents(4, to: AuditLog(directory: directory))
        let path = directory + "/audit.jsonl"
        try write(Array(try lines(of: path).dropFirst()), to: path)

        let verification = AuditLog.verify(path: path)

        #expect(
            problemMessages(verification)
                == ["1: the log does not start at record 1: records were deleted from the start"]
        )
    }

    @Test func rotationKeepsTheChainAcrossFiles() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let log = AuditLog(directory: directory, maxFileBytes: 1500)
        try await writeEvents(20, to: log)

        let files = AuditLog.auditFiles(in: directory)
        let verification = AuditLog.verify(path: directory)
        let current = try lines(of: directory + "/audit.jsonl").map { try JSONValue.parse(Data($0.utf8)) }
        let previous = try lines(of: try #require(files.dropLast().last)).map { try JSONValue.parse(Data($0.utf8)) }

        #expect(files.count > 2)
        #expect(verification.isValid, "\(verification.summary)")
        #expect(verification.recordCount == 20 + files.count - 1)
        #expect(current.first?["type"] == .string("log_rotated"))
        #expect(current.first?["prev_hash"] == previous.last?["hash"])
        #expect(AuditLog.verify(path: directory + "/audit.jsonl").isValid)
        #expect(files.dropLast().allSatisfy { SecureFile.mode(ofPath: $0) == 0o400 })
        let tools = try files.flatMap { try lines(of: $0) }.compactMap { try JSONValue.parse(Data($0.utf8))["tool"] }
        #expect(tools == (1...20).map { .string("tool_\($0)") })
    }

    @Test func missingRotatedFileIsDetected() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        try await writeEvents(20, to: AuditLog(directory: directory, maxFileBytes: 1500))
        let files = AuditLog.auditFiles(in: directory)
        try FileManager.default.removeItem(atPath: files[1])

        let verification = AuditLog.verify(path: directory)

        #expect(!verification.isValid)
        #expect(verification.problems.first?.message.contains("does not follow") == true)
    }

    @Test func twoWritersExtendOneChain() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let shell = AuditLog(directory: directory, maxFileBytes: 4000)
        let server = AuditLog(directory: directory, maxFileBytes: 4000)

        async let first: Void = writeEvents(15, to: shell)
        async let second: Void = writeEvents(15, to: server, origin: .mcp, firstNumber: 100)
        _ = try await (first, second)

        let verification = AuditLog.verify(path: directory)
        #expect(verification.isValid, "\(verification.summary)")
        #expect(verification.last?.seq == Int64(verification.recordCount))
    }

    @Test func mcpEventsAreEchoedAsSecurityEvents() async throws {
        let lines = LineCollector()
        let log = AuditLog(directory: nil, securityEventSink: lines.append)

        try await writeEvents(1, to: log, origin: .mcp)
        try await writeEvents(1, to: log, origin: .shell)

        let echoed = lines.lines
        #expect(echoed.count == 1)
        #expect(echoed.first?.hasPrefix("SECURITY_EVENT: {") == true)
        #expect(echoed.first?.contains(#""origin":"mcp""#) == true)
    }

    @Test func pendingIntentSurvivesARestart() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let intent = OrderIntent(
            symbol: "BTCUSDT",
            side: "BUY",
            type: "LIMIT",
            quantity: 0.01,
            price: 50000,
            notional: 500,
            quoteAsset: "USDT",
            clientOrderID: "bsh-crashed-1"
        )
        let first = AuditLog(directory: directory)
        for (id, finished) in [("a", true), ("b", false), ("c", true)] {
            try await first.record(
                AuditEvent(.orderSubmitted, tool: "create_order", invocationID: id, details: ["intent": intent.json]),
                durable: true
            )
            if finished {
                // "c" finished without learning the order's status, so it stays pending.
                let unknown = id == "c" ? ToolErrorType.orderStatusUnknown.rawValue : nil
                try await first.record(
                    AuditEvent(
                        .toolInvocation,
                        tool: "create_order",
                        outcome: unknown == nil ? "success" : "error",
                        errorType: unknown,
                        invocationID: id
                    )
                )
            }
        }

        let pending = await AuditLog(directory: directory).pendingIntents()

        #expect(pending.map(\.invocationID) == ["b", "c"])
        #expect(pending.first?.clientOrderID == "bsh-crashed-1")
        #expect(pending.first?.intent["price"] == .string("50000"))
    }

    @Test func eventsAreRedactedBeforeWriting() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let log = AuditLog(directory: directory, redactor: Redactor(secrets: [SafetyFixtures.canarySecret]))

        try await log.record(
            AuditEvent(
                .toolInvocation,
                tool: "get_balance",
                arguments: .object(["note": .string("secret is \(SafetyFixtures.canarySecret)")]),
                errorMessage: "Binance said: signature=abcdef0123456789abcdef",
                details: ["echo": .string(SafetyFixtures.canarySecret)]
            )
        )

        let text = try String(contentsOfFile: directory + "/audit.jsonl", encoding: .utf8)
        #expect(!text.contains(SafetyFixtures.canarySecret))
        #expect(!text.contains("abcdef0123456789abcdef"))
        #expect(text.contains("[REDACTED]"))
        #expect(AuditLog.verify(path: directory).isValid)
    }

    @Test func linesAreCanonicalJSON() async throws {
        let directory = SafetyFixtures.temporaryDirectory()
        let log = AuditLog(directory: directory, maxFileBytes: 2_048)
        let awkward = "quote \" backslash \\ tab \t newline \n nul \u{0} del \u{7F} sep \u{2028} é 🙂 \u{202E}"
        let events = [
            AuditEvent(.configurationValidated),
            AuditEvent(
                .toolInvocation,
                requestID: awkward,
                origin: .mcp,
                tool: awkward,
                arguments: .object(["text": .string(awkward), "n": .number(Decimal(string: "0.00001")!)]),
                outcome: "error",
                errorType: "validation_error",
                errorMessage: awkward,
                latencyMilliseconds: 12,
                venue: .sim,
                invocationID: "inv-1",
                details: ["client_order_id": .string("x"), "list": .array([.bool(true), .null])]
            ),
            AuditEvent(.orderSubmitted, origin: .script, details: ["intent": .object(["symbol": .string("BTCUSDT")])]),
            AuditEvent(.toolInvocation, tool: "get_ticker_price", arguments: .object([:]), outcome: "success"),
        ]
        // Enough events to rotate the 2 KiB file several times, so `log_rotated` records are checked too.
        for round in 0..<12 {
            for event in events { try await log.record(event, durable: round == 0) }
        }

        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }
        #expect(files.count > 2)
        var checked = 0
        for file in files {
            for line in try lines(of: directory + "/" + file) {
                let parsed = try JSONValue.parse(Data(line.utf8))
                #expect(parsed.serialized() == line)
                checked += 1
            }
        }
        #expect(checked >= 48)
        #expect(AuditLog.verify(path: directory).isValid)
        let head = try String(contentsOfFile: directory + "/audit.head", encoding: .utf8)
        let last = try #require(AuditLog.verify(path: directory).last)
        let expectedHead = JSONValue.object(["seq": .int64(last.seq), "hash": .string(last.hash)]).serialized()
        #expect(head == expectedHead + String(repeating: " ", count: 127 - expectedHead.utf8.count) + "\n")
    }

    @Test func timestampsMatchStringFormatting() {
        // The reference: the same fields formatted through strings.
        func reference(_ date: Date) -> String {
            let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
            var seconds = time_t(milliseconds / 1000)
            var parts = tm()
            gmtime_r(&seconds, &parts)
            func pad(_ value: Int32, _ width: Int) -> String {
                let text = String(value)
                return String(repeating: "0", count: max(0, width - text.count)) + text
            }
            return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
                + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "."
                + pad(Int32(milliseconds % 1000), 3) + "Z"
        }
        var generator = ReliabilityFuzzer(seed: 11)
        // The last millisecond of year 9999 and a time in year 11476 sit on both sides of the wider layout.
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_733_300_000.5),
            Date(timeIntervalSince1970: 253_402_300_799.999), Date(timeIntervalSince1970: 300_000_000_000.25),
        ]
        for _ in 0..<500 { dates.append(Date(timeIntervalSince1970: Double(generator.below(400_000_000_000_000)) / 100_000)) }
        for date in dates {
            #expect(AuditTimestamp.format(date) == reference(date), "\(date.timeIntervalSince1970)")
        }
        #expect(AuditTimestamp.format(Date(timeIntervalSince1970: 1_733_300_000.5)) == "2024-12-04T08:13:20.500Z")
    }

    @Test func missingLogIsReported() {
        let path = SafetyFixtures.temporaryDirectory() + "/audit.jsonl"

        let verification = AuditLog.verify(path: path)

        #expect(verification.summary == "Audit log damaged: 1 problem(s) in 0 records.\n\(path): the audit log does not exist")
    }
}

/// Collects lines written by a sink, in order.
final class LineCollector: @unchecked Sendable {
    // The lock protects `stored`, appended from the audit actor and read by the test.
    private let lock = NSLock()
    private var stored: [String] = []

    var lines: [String] { lock.withLock { stored } }

    var append: @Sendable (String) -> Void { { [self] line in lock.withLock { stored.append(line) } } }
}
