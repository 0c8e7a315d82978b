import BinanceAPI
import Foundation

/// A chained audit record as written: its sequence number and hash.
package struct AuditReceipt: Sendable, Equatable {
    package var seq: Int64
    package var hash: String
}

/// The reason an audit event could not be written.
package struct AuditLogError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String
}

/// The tamper-evident audit log: JSON Lines in the state directory, one event per line, each chained to the
/// previous one by SHA-256.
///
/// Each record contains `seq` (1, 2, 3, … across rotations), `prev_hash` and
/// `hash = SHA-256(prev_hash + canonical record without hash)`, where the canonical form is compact JSON with
/// sorted keys. The first record of the first file has `prev_hash` of 64 zeros.
///
/// Writing: the file is created with mode 0600 and opened with `O_APPEND`. Each record is one `write` under an
/// exclusive `flock` of `audit.lock`, after reading the last record of the file, so a shell and an MCP server
/// sharing the directory extend one chain. `durable` events (order intents) are synced with `fsync` before `record`
/// returns. After each record the head file `audit.head` stores the last `seq` and hash, so lines removed from
/// the end are detected too. A file over `maxFileBytes` is renamed to `audit.<last seq>.jsonl` with mode 0400
/// and a new file starts with a `log_rotated` record carrying the previous file's last hash; no event is
/// dropped. The program never deletes or truncates audit files.
///
/// With no directory the log keeps the records in memory (bounded), which tests and the `--verify-audit`-less
/// paths use. Every event is redacted before it is chained.
package actor AuditLog {
    package static let fileName = "audit.jsonl"
    package static let headFileName = "audit.head"
    package static let lockFileName = "audit.lock"
    /// Bytes of the padded head file line, newline included; the unpadded line with a 19-digit `seq` takes 102.
    static let headFileWidth = 128
    package static let genesisHash = String(repeating: "0", count: 64)
    /// Arguments longer than this, once serialized, are replaced by their length and hash.
    static let maximumArgumentsBytes = 8192
    /// Tool names and request ids longer than this are cut, with their length.
    static let maximumTextBytes = 256

    /// Directory of the log files; nil keeps records in memory.
    package nonisolated let directory: String?
    /// Path of the current log file; nil for a log in memory.
    package nonisolated let path: String?
    private let headPath: String?
    private let lockPath: String?
    package nonisolated let maxFileBytes: Int
    private let redactor: Redactor
    /// Receives `SECURITY_EVENT: {…}` lines for events from the MCP way in; nil when `MCP_LOG_SECURITY` is off.
    private let securityEventSink: (@Sendable (String) -> Void)?
    private let logger: Logger

    private var descriptor: Int32 = -1
    /// Device and inode of the open file. An open descriptor keeps its inode, so these never change while it is open.
    private var descriptorIdentity: (device: dev_t, inode: ino_t)?
    /// The head file, open once and overwritten in place.
    private var headDescriptor: Int32 = -1
    /// Size of the open file after this log's last write, and that record's receipt.
    private var cachedTail: (size: Int, receipt: AuditReceipt)?
    private var lockDescriptor: Int32 = -1
    private var memoryLines: [String] = []
    private var memoryHead = AuditReceipt(seq: 0, hash: AuditLog.genesisHash)
    private static let memoryLimit = 10_000

    package init(
        directory: String?,
        maxFileBytes: Int = 16 * 1024 * 1024,
        redactor: Redactor = Redactor(),
        securityEventSink: (@Sendable (String) -> Void)? = nil,
        logger: Logger = .disabled
    ) {
        self.directory = directory
        path = directory.map { ($0 as NSString).appendingPathComponent(Self.fileName) }
        headPath = directory.map { ($0 as NSString).appendingPathComponent(Self.headFileName) }
        lockPath = directory.map { ($0 as NSString).appendingPathComponent(Self.lockFileName) }
        self.maxFileBytes = maxFileBytes
        self.redactor = redactor
        self.securityEventSink = securityEventSink
        self.logger = logger
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if headDescriptor >= 0 { close(headDescriptor) }
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    /// A sink that writes each line to the process's stderr.
    package static let standardErrorSink: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    // MARK: - Writing

    /// Redacts, chains and appends one event.
    /// - Parameter durable: sync the file to disk before returning; used for order intents, which must be on
    ///   disk before the order request is sent.
    /// - Throws: `AuditLogError` when the record cannot be written; callers sending an order must not send it.
    @discardableResult
    package func record(_ event: AuditEvent, durable: Bool = false) throws(AuditLogError) -> AuditReceipt {
        var fields = AuditRecordFields(type: event.type.rawValue, time: AuditTimestamp.format(event.time))
        // Control characters from input are written as visible `\u{…}` text: JSON escapes only C0 and DEL, and a
        // raw C1 or bidirectional control would act on the terminal of a person reading the log with `cat`.
        if let arguments = event.arguments {
            fields.arguments = Self.bounded(UntrustedText.escapingControls(redactor.redact(arguments)))
        }
        if let message = event.errorMessage {
            fields.errorMessage = UntrustedText.escapingControls(redactor.redact(message))
        }
        if !event.details.isEmpty {
            fields.details = UntrustedText.escapingControls(redactor.redact(JSONValue.object(event.details))).serialized()
        }
        // The tool name and request id come from the client as sent: an unknown tool's name may be any text.
        if let tool = event.tool { fields.tool = Self.boundedText(redactor.redact(tool)) }
        if let requestID = event.requestID { fields.requestID = Self.boundedText(redactor.redact(requestID)) }
        fields.origin = event.origin?.rawValue
        fields.outcome = event.outcome
        fields.errorType = event.errorType
        fields.latencyMilliseconds = event.latencyMilliseconds.map(Int64.init)
        fields.venue = event.venue?.rawValue
        fields.invocationID = event.invocationID

        let receipt: AuditReceipt
        let line: [UInt8]
        if directory == nil {
            (receipt, line) = appendInMemory(fields)
        } else {
            (receipt, line) = try appendToFile(fields, durable: durable)
        }
        if let securityEventSink, event.origin == .mcp {
            securityEventSink("SECURITY_EVENT: " + String(decoding: line.dropLast(), as: UTF8.self))
        }
        return receipt
    }

    /// Records an event and reports a failure to the logger instead of the caller, for events that must not
    /// stop an invocation.
    package func recordReportingFailure(_ event: AuditEvent) {
        do {
            try record(event)
        } catch {
            logger.error("audit log write failed", ["audit.error": redactor.redact(error.description)])
        }
    }

    /// The records kept in memory, oldest first (only for a log without a directory).
    package var recordsInMemory: [String] { memoryLines }

    private func appendInMemory(_ fields: AuditRecordFields) -> (AuditReceipt, [UInt8]) {
        let (receipt, line) = Self.chain(fields, after: memoryHead)
        memoryHead = receipt
        memoryLines.append(String(decoding: line.dropLast(), as: UTF8.self))
        if memoryLines.count > Self.memoryLimit { memoryLines.removeFirst(memoryLines.count - Self.memoryLimit) }
        return (receipt, line)
    }

    private func appendToFile(_ fields: AuditRecordFields, durable: Bool) throws(AuditLogError) -> (AuditReceipt, [UInt8]) {
        guard let directory, let path else { throw AuditLogError(description: "The audit log has no directory.") }
        if lockDescriptor < 0 { try createDirectory(directory) }
        try lockDirectory(directory)
        defer { flock(lockDescriptor, LOCK_UN) }
        // One stat per event: whether the open file is still the current one, and its size.
        var size = descriptor >= 0 ? currentSize(path) : nil
        if size == nil {
            try createDirectory(directory)
            try openCurrentFile(path)
            size = fileSize()
        }
        var fileBytes = size ?? 0

        var head = try lastReceipt(path, size: fileBytes)
        var (receipt, line) = Self.chain(fields, after: head)
        if head.seq > 0, fileBytes + line.count > maxFileBytes {
            head = try rotate(path, after: head)
            fileBytes = fileSize()
            (receipt, line) = Self.chain(fields, after: head)
        }

        do {
            try SecureFile.writeAll(line, to: descriptor, path: path)
        } catch {
            throw AuditLogError(description: error.description)
        }
        if durable, fsync(descriptor) != 0 { throw failure("Syncing", path) }
        writeHead(receipt, sync: durable)
        // The file is opened with O_APPEND and written under the lock, so its size is now the old size plus
        // this record; a writer that ignored the lock changes the size, and the next event then reads the file.
        cachedTail = (fileBytes + line.count, receipt)
        return (receipt, line)
    }

    private func createDirectory(_ directory: String) throws(AuditLogError) {
        do {
            try SecureFile.createDirectory(atPath: directory)
        } catch {
            throw AuditLogError(description: error.description)
        }
    }

    /// Returns the size of the open file while it is still the file at `path`, or nil after another process rotated it.
    ///
    /// One `stat` of the path is enough: when it names the open file's device and inode, its size is that file's size.
    private func currentSize(_ path: String) -> Int? {
        var named = stat()
        guard let descriptorIdentity, stat(path, &named) == 0,
            named.st_ino == descriptorIdentity.inode, named.st_dev == descriptorIdentity.device
        else { return nil }
        return Int(named.st_size)
    }

    /// Renames the full file and starts a new one with a `log_rotated` record; returns that record's receipt.
    private func rotate(_ path: String, after head: AuditReceipt) throws(AuditLogError) -> AuditReceipt {
        guard let directory else { return head }
        let rotatedName = "audit.\(Self.padded(head.seq)).jsonl"
        let rotatedPath = (directory as NSString).appendingPathComponent(rotatedName)
        fsync(descriptor)
        guard rename(path, rotatedPath) == 0 else { throw failure("Renaming", path) }
        chmod(rotatedPath, 0o400)
        try openCurrentFile(path)
        var fields = AuditRecordFields(type: AuditEventType.logRotated.rawValue, time: AuditTimestamp.format(Date()))
        fields.details = JSONValue.object(["previous_file": .string(rotatedName)]).serialized()
        let (receipt, line) = Self.chain(fields, after: head)
        do {
            try SecureFile.writeAll(line, to: descriptor, path: path)
        } catch {
            throw AuditLogError(description: error.description)
        }
        writeHead(receipt, sync: false)
        return receipt
    }

    // MARK: - Chaining

    /// Adds `seq`, `prev_hash` and `hash` to `members`; returns the receipt and the line to write.
    ///
    /// The members are serialized once: the canonical text joins them, and the line is the same members with the
    /// `hash` member inserted at its sorted place, which equals serializing the object with the hash.
    static func chain(_ members: [String: JSONValue], after head: AuditReceipt) -> (AuditReceipt, String) {
        var members = members
        members["seq"] = .int64(head.seq + 1)
        members["prev_hash"] = .string(head.hash)
        members["hash"] = nil
        var pieces = JSONValue.serializedMembers(members)
        let canonical = joinedObject(pieces)
        let hash = hash(canonical: canonical, previous: head.hash)
        let position = pieces.firstIndex { $0.key > "hash" } ?? pieces.count
        pieces.insert((key: "hash", text: #""hash":"# + JSONValue.string(hash).serialized()), at: position)
        return (AuditReceipt(seq: head.seq + 1, hash: hash), joinedObject(pieces))
    }

    /// Adds `seq` and `prev_hash` to an event's fields; returns the receipt and the line to write, newline included.
    ///
    /// The line is the same text as `chain(_:after:)` makes from the same members, built straight into bytes.
    static func chain(_ fields: AuditRecordFields, after head: AuditReceipt) -> (AuditReceipt, [UInt8]) {
        // Members in the sorted order of their keys.
        var text = AuditRecordText(previousHash: head.hash)
        text.append("arguments", serialized: fields.arguments)
        text.append("details", serialized: fields.details)
        text.append("error_message", string: fields.errorMessage)
        text.append("error_type", string: fields.errorType)
        text.markHashPosition()
        text.append("invocation_id", string: fields.invocationID)
        text.append("latency_ms", integer: fields.latencyMilliseconds)
        text.append("origin", string: fields.origin)
        text.append("outcome", string: fields.outcome)
        text.append("prev_hash", string: head.hash)
        text.append("request_id", string: fields.requestID)
        text.append("seq", integer: head.seq + 1)
        text.append("time", string: fields.time)
        text.append("tool", string: fields.tool)
        text.append("type", string: fields.type)
        text.append("v", integer: 1)
        text.append("venue", string: fields.venue)
        let hash = text.hash()
        return (AuditReceipt(seq: head.seq + 1, hash: hash), text.line(hash: hash))
    }

    private static func joinedObject(_ pieces: [(key: String, text: String)]) -> String {
        var text = "{"
        text.reserveCapacity(pieces.reduce(2) { $0 + $1.text.utf8.count + 1 })
        for (index, piece) in pieces.enumerated() {
            if index > 0 { text += "," }
            text += piece.text
        }
        text += "}"
        return text
    }

    static func hash(canonical: String, previous: String) -> String {
        SHA256Digest.hexHash(Array((previous + canonical).utf8))
    }

    /// Returns the serialized arguments, or their length and hash when they are longer than `maximumArgumentsBytes`.
    private static func bounded(_ arguments: JSONValue) -> String {
        let text = arguments.serialized()
        guard text.utf8.count > maximumArgumentsBytes else { return text }
        let summary: JSONValue = .object([
            "omitted_bytes": .int(text.utf8.count),
            "sha256": .string(SHA256Digest.hexHash(Array(text.utf8))),
        ])
        return summary.serialized()
    }

    /// Returns `text` with control characters escaped, cut after `maximumTextBytes` bytes with its length.
    static func boundedText(_ text: String) -> String {
        let escaped = UntrustedText.escapingControls(text)
        guard escaped.utf8.count > maximumTextBytes else { return escaped }
        return String(decoding: escaped.utf8.prefix(maximumTextBytes), as: UTF8.self) + "… (\(text.utf8.count) bytes)"
    }

    static func padded(_ seq: Int64) -> String {
        let text = String(seq)
        return String(repeating: "0", count: max(0, 12 - text.count)) + text
    }

    // MARK: - File handling

    /// Takes the exclusive lock of the directory's `audit.lock` file. Writers lock this file rather than the log
    /// itself, because rotation replaces the log file while other processes may be waiting for it.
    private func lockDirectory(_ directory: String) throws(AuditLogError) {
        let path = lockPath ?? (directory as NSString).appendingPathComponent(Self.lockFileName)
        if lockDescriptor < 0 {
            let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard opened >= 0 else { throw failure("Opening", path) }
            lockDescriptor = opened
        }
        guard flock(lockDescriptor, LOCK_EX) == 0 else { throw failure("Locking", path) }
    }

    /// Opens the file at `path`, creating it, unless the open descriptor already refers to it. Another process
    /// may have rotated the file since this one opened it.
    private func openCurrentFile(_ path: String) throws(AuditLogError) {
        if descriptor >= 0 {
            if descriptorMatchesPath(path) { return }
            close(descriptor)
            descriptor = -1
            descriptorIdentity = nil
        }
        let opened = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard opened >= 0 else { throw failure("Opening", path) }
        descriptor = opened
        cachedTail = nil
        var status = stat()
        descriptorIdentity = fstat(opened, &status) == 0 ? (status.st_dev, status.st_ino) : nil
    }

    private func descriptorMatchesPath(_ path: String) -> Bool {
        var open = stat()
        var named = stat()
        guard fstat(descriptor, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_ino == named.st_ino && open.st_dev == named.st_dev
    }

    private func fileSize() -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return 0 }
        return Int(status.st_size)
    }

    /// Reads the last record of the current file; a new file starts after the head file's record, or from
    /// the genesis hash.
    private func lastReceipt(_ path: String, size: Int) throws(AuditLogError) -> AuditReceipt {
        // Other writers only append (under the lock) or rotate (a new inode, which reopens the file and clears
        // the cache), so an unchanged size means the last record is still the one this log wrote.
        if let cachedTail, cachedTail.size == size, size > 0 { return cachedTail.receipt }
        guard size > 0 else { return readHead() ?? AuditReceipt(seq: 0, hash: Self.genesisHash) }
        guard let line = Self.lastLine(of: descriptor, size: size) else { throw failure("Reading", path) }
        if let record = try? JSONValue.parse(Data(line.utf8)), let seq = record["seq"]?.decimalValue,
            let hash = record["hash"]?.stringValue
        {
            return AuditReceipt(seq: NSDecimalNumber(decimal: seq).int64Value, hash: hash)
        }
        // An unreadable last line (a crash mid-write) stays in the chain's input, so verification reports it.
        return AuditReceipt(seq: 0, hash: SHA256Digest.hexHash(Array(line.utf8)))
    }

    /// Returns the last non-empty line of an open file, reading backwards in growing blocks.
    static func lastLine(of descriptor: Int32, size: Int) -> String? {
        var block = min(size, 65_536)
        while true {
            var buffer = [UInt8](repeating: 0, count: block)
            let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, block, off_t(size - block)) }
            guard read == block else { return nil }
            var end = buffer.count
            while end > 0, buffer[end - 1] == UInt8(ascii: "\n") { end -= 1 }
            if let newline = buffer[..<end].lastIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: buffer[(newline + 1)..<end], as: UTF8.self)
            }
            if block == size { return String(decoding: buffer[..<end], as: UTF8.self) }
            block = min(size, block * 4)
        }
    }

    private func readHead() -> AuditReceipt? {
        guard let directory else { return nil }
        return Self.readHead(directory: directory)
    }

    static func readHead(directory: String) -> AuditReceipt? {
        let path = (directory as NSString).appendingPathComponent(headFileName)
        guard let data = FileManager.default.contents(atPath: path), let json = try? JSONValue.parse(data),
            let seq = json["seq"]?.decimalValue, let hash = json["hash"]?.stringValue
        else { return nil }
        return AuditReceipt(seq: NSDecimalNumber(decimal: seq).int64Value, hash: hash)
    }

    /// Stores the last receipt in the head file, synced only for durable events, because syncing the head of an
    /// event whose own line is not synced would make a crash look like removed lines.
    ///
    /// The head is one line padded to `headFileWidth` bytes and overwritten in place with one `pwrite` on a
    /// descriptor kept open, which costs a fraction of writing a temporary file and renaming it for every event.
    /// NOTE: a crash during that write could leave a torn head, although a write this short stays within one disk
    /// sector; verification skips a head file it cannot parse, so that would lose the check for removed lines.
    private func writeHead(_ receipt: AuditReceipt, sync: Bool) {
        guard let path = headPath else { return }
        let bytes = Self.headLine(receipt)
        if headDescriptor < 0 {
            let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard opened >= 0 else {
                logger.error("audit head write failed", ["audit.error": failure("Opening", path).description])
                return
            }
            headDescriptor = opened
            // A head written in an older, longer form is cut to the fixed width once, when it is opened.
            var status = stat()
            if fstat(opened, &status) == 0, Int(status.st_size) > bytes.count {
                ftruncate(opened, off_t(bytes.count))
            }
        }
        let written = bytes.withUnsafeBytes { pwrite(headDescriptor, $0.baseAddress, $0.count, 0) }
        if written != bytes.count || (sync && fsync(headDescriptor) != 0) {
            logger.error("audit head write failed", ["audit.error": failure("Writing", path).description])
        }
    }

    /// Returns the head file's line: `{"hash":…,"seq":…}` as `JSONValue.serialized()` writes it, padded with
    /// spaces to `headFileWidth` bytes with the newline.
    static func headLine(_ receipt: AuditReceipt) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headFileWidth)
        bytes.append(contentsOf: #"{"hash":"#.utf8)
        AuditRecordText.appendString(receipt.hash, to: &bytes)
        bytes.append(contentsOf: #","seq":"#.utf8)
        bytes.append(contentsOf: String(receipt.seq).utf8)
        bytes.append(UInt8(ascii: "}"))
        if bytes.count < headFileWidth - 1 {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: headFileWidth - 1 - bytes.count))
        }
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private func failure(_ operation: String, _ path: String) -> AuditLogError {
        AuditLogError(description: "\(operation) the audit log '\(path)' failed: \(String(cString: strerror(errno))).")
    }
}
