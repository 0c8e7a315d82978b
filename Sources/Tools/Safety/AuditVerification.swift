import BinanceAPI
import Foundation

/// The result of checking an audit log's hash chain.
package struct AuditVerification: Sendable, Equatable {
    /// One break in the chain, located by file and line.
    package struct Problem: Sendable, Equatable, CustomStringConvertible {
        package var file: String
        /// 1-based line number; 0 for a problem of the whole file.
        package var line: Int
        package var message: String

        package var description: String {
            line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
        }
    }

    /// The files checked, oldest first.
    package var files: [String] = []
    package var recordCount = 0
    /// The last readable record's sequence number and hash; anchor it somewhere else to detect a rewritten chain.
    package var last: AuditReceipt?
    package var problems: [Problem] = []

    package var isValid: Bool { problems.isEmpty }

    /// Lines for `--verify-audit`: a verdict, then one line per problem.
    package var summary: String {
        var lines: [String] = []
        if isValid {
            let head = last.map { "; last record \($0.seq), hash \($0.hash)" } ?? ""
            lines.append("Audit log intact: \(recordCount) records in \(files.count) file(s)\(head).")
        } else {
            lines.append("Audit log damaged: \(problems.count) problem(s) in \(recordCount) records.")
            lines += problems.map(\.description)
        }
        return lines.joined(separator: "\n")
    }
}

/// An order whose intent was written but whose outcome was not: the process stopped between sending and
/// recording the result, so the order must be looked up on the exchange by its client order id.
package struct PendingIntent: Sendable, Equatable {
    package var seq: Int64
    package var time: String
    package var invocationID: String
    package var origin: String?
    /// The `intent` member of the `order_submitted` event: symbol, side, type, quantity, price, client order id.
    package var intent: JSONValue

    package var clientOrderID: String? { intent["client_order_id"]?.stringValue }
}

extension AuditLog {
    // MARK: - Verification

    /// Checks the hash chain of one audit file, or of every audit file in a directory (rotated files first).
    ///
    /// Detects an edited record, because its hash no longer matches, and a deleted, inserted or moved record,
    /// because `prev_hash` or `seq` no longer follows. It also detects a file cut inside a record, and records
    /// removed from the end, because the head file `audit.head` names a later record. Someone who can rewrite every file can rebuild a valid chain; compare
    /// `last.hash` with a copy kept elsewhere to catch that.
    package static func verify(path: String) -> AuditVerification {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            var verification = AuditVerification()
            verification.problems.append(.init(file: path, line: 0, message: "the audit log does not exist"))
            return verification
        }
        let directory = isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent
        let files = isDirectory.boolValue ? auditFiles(in: path) : [path]
        var verification = AuditVerification()
        var previous: AuditReceipt?
        for (index, file) in files.enumerated() {
            verification.files.append(file)
            verifyFile(
                file,
                after: &previous,
                isChainStart: index == 0,
                requirePreviousFile: isDirectory.boolValue,
                into: &verification
            )
        }
        if files.last.map({ ($0 as NSString).lastPathComponent == fileName }) == true {
            checkHead(directory: directory, file: files.last ?? path, into: &verification)
        }
        return verification
    }

    /// Rotated files in chain order, then the current file.
    static func auditFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let rotated = names.filter { $0.hasPrefix("audit.") && $0.hasSuffix(".jsonl") && $0 != fileName }.sorted()
        var files = rotated.map { (directory as NSString).appendingPathComponent($0) }
        if names.contains(fileName) { files.append((directory as NSString).appendingPathComponent(fileName)) }
        return files
    }

    private static func verifyFile(
        _ file: String,
        after previous: inout AuditReceipt?,
        isChainStart: Bool,
        requirePreviousFile: Bool,
        into verification: inout AuditVerification
    ) {
        func problem(_ line: Int, _ message: String) {
            verification.problems.append(.init(file: file, line: line, message: message))
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            problem(0, "the file cannot be read")
            return
        }
        if let last = data.last, last != UInt8(ascii: "\n") {
            problem(0, "the file ends inside a record: it was cut short")
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (offset, bytes) in lines.enumerated() where !bytes.isEmpty {
            let lineNumber = offset + 1
            guard let record = try? JSONValue.parse(Data(bytes)), var members = record.objectValue,
                let seqNumber = members["seq"]?.decimalValue, let hash = members["hash"]?.stringValue,
                let previousHash = members["prev_hash"]?.stringValue
            else {
                problem(lineNumber, "the line is not a complete audit record: it was edited or cut short")
                previous = nil
                continue
            }
            let seq = NSDecimalNumber(decimal: seqNumber).int64Value
            verification.recordCount += 1
            members["hash"] = nil
            if AuditLog.hash(canonical: JSONValue.object(members).serialized(), previous: previousHash) != hash {
                problem(lineNumber, "record \(seq) was edited: its hash does not match its contents")
            }
            if let expected = previous {
                if previousHash != expected.hash {
                    problem(lineNumber, "record \(seq) does not follow record \(expected.seq): a record was deleted, "
                        + "inserted or moved")
                } else if seq != expected.seq + 1 {
                    problem(lineNumber, "the sequence jumps from \(expected.seq) to \(seq)")
                }
            } else if isChainStart && verification.recordCount == 1 {
                let rotatedFrom = members["details"]?["previous_file"]?.stringValue
                if members["type"]?.stringValue == AuditEventType.logRotated.rawValue, let rotatedFrom {
                    if requirePreviousFile {
                        problem(lineNumber, "the chain continues from '\(rotatedFrom)', which is missing")
                    }
                } else if previousHash != genesisHash || seq != 1 {
                    problem(lineNumber, "the log does not start at record 1: records were deleted from the start")
                }
            }
            previous = AuditReceipt(seq: seq, hash: hash)
            verification.last = previous
        }
    }

    private static func checkHead(directory: String, file: String, into verification: inout AuditVerification) {
        guard let head = readHead(directory: directory), let last = verification.last else { return }
        if head.seq > last.seq {
            verification.problems.append(.init(
                file: file,
                line: 0,
                message: "the log ends at record \(last.seq) but its head file names record \(head.seq): "
                    + "records were removed from the end"
            ))
        } else if head.seq == last.seq, head.hash != last.hash {
            verification.problems.append(.init(
                file: file,
                line: 0,
                message: "the last record \(last.seq) differs from the one its head file names"
            ))
        }
    }

    // MARK: - Pending intents

    /// Orders whose intent is in the log without an outcome or an `intent_reported` event, oldest first.
    /// Reads the current file and the most recent rotated one (or the records in memory).
    package func pendingIntents() -> [PendingIntent] {
        var lines: [String]
        if let directory {
            lines = []
            for file in Self.auditFiles(in: directory).suffix(2) {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                lines += data.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
            }
        } else {
            lines = recordsInMemory
        }
        var pending: [String: PendingIntent] = [:]
        var order: [String] = []
        for line in lines {
            guard let record = try? JSONValue.parse(Data(line.utf8)),
                let invocationID = record["invocation_id"]?.stringValue,
                let type = record["type"]?.stringValue
            else { continue }
            if type == AuditEventType.orderSubmitted.rawValue {
                pending[invocationID] = PendingIntent(
                    seq: NSDecimalNumber(decimal: record["seq"]?.decimalValue ?? 0).int64Value,
                    time: record["time"]?.stringValue ?? "",
                    invocationID: invocationID,
                    origin: record["origin"]?.stringValue,
                    intent: record["details"]?["intent"] ?? .null
                )
                order.append(invocationID)
            } else if type == AuditEventType.intentReported.rawValue {
                pending[invocationID] = nil
            } else if type == AuditEventType.toolInvocation.rawValue,
                record["error_type"]?.stringValue != ToolErrorType.orderStatusUnknown.rawValue
            {
                // An invocation that ended with the order's status unknown leaves it pending, so the next start
                // looks the order up.
                pending[invocationID] = nil
            }
        }
        return order.compactMap { pending.removeValue(forKey: $0) }
    }
}
