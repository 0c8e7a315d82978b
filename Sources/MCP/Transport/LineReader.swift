import BinanceAPI
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One unit of input from the stdio transport.
package enum InputLine: Sendable, Equatable {
    /// A line without its `\n` (and without a trailing `\r`).
    case line(Data)
    /// A line longer than the limit; its bytes were dropped.
    case oversized(byteCount: Int)
}

/// Reads newline-delimited messages from a file descriptor on a dedicated thread.
///
/// Blocking `read(2)` never runs on the cooperative pool, which has as few threads as the machine has cores.
/// The stream finishes at end of input, on a read error, or when `stop()` is called.
package final class LineReader: Sendable {
    /// Longest line kept, in bytes; longer lines are reported as `.oversized` and skipped.
    package static let defaultMaximumLineLength = 16 * 1024 * 1024

    package let lines: AsyncStream<InputLine>
    private let continuation: AsyncStream<InputLine>.Continuation

    package init() {
        (lines, continuation) = AsyncStream.makeStream(of: InputLine.self, bufferingPolicy: .unbounded)
    }

    /// Starts the reader thread on `fileDescriptor`.
    package func start(fileDescriptor: Int32, maximumLineLength: Int = LineReader.defaultMaximumLineLength) {
        let continuation = self.continuation
        let thread = Thread {
            Self.readLines(from: fileDescriptor, maximumLineLength: maximumLineLength, into: continuation)
        }
        thread.name = "mcp-stdin"
        thread.start()
    }

    /// Reads `fileDescriptor` on the thread of `loop`. A line then reaches a task that prefers `loop` without waking
    /// another thread.
    package func start(
        fileDescriptor: Int32,
        on loop: CurlEventLoop,
        maximumLineLength: Int = LineReader.defaultMaximumLineLength
    ) {
        let continuation = self.continuation
        let splitter = SplitterBox(LineSplitter(maximumLineLength: maximumLineLength))
        loop.startReading(fileDescriptor) { chunk in
            guard let chunk else {
                if let last = splitter.value.finish() { continuation.yield(last) }
                continuation.finish()
                return
            }
            for line in splitter.value.append(chunk) {
                if case .terminated = continuation.yield(line) {
                    loop.stopReading()
                    return
                }
            }
        }
    }

    /// Ends the stream early, as if input had ended. The reader thread may stay blocked in `read` until the
    /// process exits.
    package func stop() {
        continuation.finish()
    }

    private static func readLines(
        from fileDescriptor: Int32,
        maximumLineLength: Int,
        into continuation: AsyncStream<InputLine>.Continuation
    ) {
        var splitter = LineSplitter(maximumLineLength: maximumLineLength)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            for line in splitter.append(buffer[0..<count]) {
                if case .terminated = continuation.yield(line) { return }
            }
        }
        if let last = splitter.finish() { continuation.yield(last) }
        continuation.finish()
    }
}

/// A splitter that only the thread of a `CurlEventLoop` uses.
private final class SplitterBox: @unchecked Sendable {
    var value: LineSplitter

    init(_ value: LineSplitter) {
        self.value = value
    }
}

/// Splits a byte stream into lines, dropping the bytes of lines longer than the limit.
package struct LineSplitter: Sendable {
    private let maximumLineLength: Int
    private var pending = Data()
    private var droppedCount = 0

    package init(maximumLineLength: Int) {
        self.maximumLineLength = maximumLineLength
    }

    /// Adds bytes and returns the lines they complete.
    package mutating func append(_ bytes: some Collection<UInt8>) -> [InputLine] {
        var lines: [InputLine] = []
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            add(rest[rest.startIndex..<newline])
            lines.append(takeLine())
            rest = rest[rest.index(after: newline)...]
        }
        add(rest)
        return lines
    }

    /// Returns the unterminated last line at end of input, if there is one.
    package mutating func finish() -> InputLine? {
        guard !pending.isEmpty || droppedCount > 0 else { return nil }
        return takeLine()
    }

    private mutating func add(_ bytes: some Collection<UInt8>) {
        if droppedCount > 0 || pending.count + bytes.count > maximumLineLength {
            droppedCount += pending.count + bytes.count
            pending.removeAll()
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    private mutating func takeLine() -> InputLine {
        defer {
            pending = Data()
            droppedCount = 0
        }
        if droppedCount > 0 { return .oversized(byteCount: droppedCount) }
        if pending.last == UInt8(ascii: "\r") { return .line(pending.dropLast()) }
        return .line(pending)
    }
}
